import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { loadCostedGaps, OPEN_STATUSES } from "~/modules/gaps/costed.server";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import * as mappingsPage from "~/routes/estate.import.mappings";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { BASE, call, flashFor, get, post } from "../support/requests";
import { finishImportJob } from "../support/import-jobs";
import { useRoleCookies } from "../support/scoping";
import { seedIntuneFixture } from "../support/estate-seed";

// The Intune "All devices" fixture (30 devices at Stamford Hill Group Practice, F84013, one
// site), with the desktops' category written as a practice's own word: "Reception PCs".
const FIXTURE = fs.readFileSync(path.join(__dirname, "../fixtures/intune-all-devices.csv"), "utf8");
const OWN_WORDS = FIXTURE.replaceAll(",Desktops,", ",Reception PCs,");
const DESKTOPS = FIXTURE.split("\n").filter((l) => l.includes(",Desktops,")).length;

const cookies = useRoleCookies(() => seedIntuneFixture(getDb()));
const db = () => getDb();

beforeEach(async () => {
  await sql`truncate device, audit_event, import_run, import_upload, import_mapping, import_value_mapping, evaluation_result, gap restart identity cascade`.execute(
    db(),
  );
});

async function upload(cookie: string | undefined, content: string, practice = "F84013") {
  const form = new FormData();
  form.append("file", new File([content], "DevicesWithInventory.csv"));
  form.append("practice", practice);
  const req = new Request(`${BASE}/estate/import`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
  const res = await call(uploadPage.action, req);
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  return res.location!.split("/").pop()!;
}

async function check(cookie: string | undefined, id: string) {
  const res = await call(previewPage.loader, get(`/estate/import/${id}`, cookie), { id });
  expect(res.status).toBe(200);
  return res.data;
}

type Line = { column: string; practice: string; source: string; rows: number; mappedTo: string | null; options: { value: string }[] };

/** Posts the value form as the page does: one choice per line shown. */
function chooseValues(cookie: string | undefined, id: string, lines: Line[], choose: (l: Line) => string) {
  const fields: Record<string, string> = { intent: "values", "value-count": String(lines.length) };
  lines.forEach((l, i) => {
    fields[`value-${i}-column`] = l.column;
    fields[`value-${i}-practice`] = l.practice;
    fields[`value-${i}-source`] = l.source;
    fields[`value-${i}`] = choose(l);
  });
  return call(previewPage.action, post(`/estate/import/${id}`, fields, { cookie }), { id });
}

async function commit(cookie: string | undefined, id: string) {
  const p = (await check(cookie, id)).preview;
  const fields = {
    intent: "commit",
    expected_create: String(p.counts.create),
    expected_update: String(p.counts.update),
    expected_rejected: String(p.counts.rejected),
  };
  const res = await call(previewPage.action, post(`/estate/import/${id}`, fields, { cookie }), { id });
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  expect((await finishImportJob(cookie, res.location)).status).toBe("done");
}

const savedRows = () => db().selectFrom("import_value_mapping").selectAll().orderBy("id").execute();

describe("mapping a file's own values", () => {
  it("shows one line per unrecognised value with its rows, applies the choice to every row, and remembers it for the user", async () => {
    expect(DESKTOPS).toBeGreaterThan(5);
    const id = await upload(cookies.partnerIcb, OWN_WORDS);
    const first = await check(cookies.partnerIcb, id);
    expect(first.preview.counts).toMatchObject({ rejected: DESKTOPS, create: 30 - DESKTOPS });
    const lines: Line[] = first.preview.values.lines;
    expect(lines).toEqual([
      expect.objectContaining({ column: "device_type", header: "Category", source: "Reception PCs", rows: DESKTOPS, mappedTo: null }),
    ]);
    expect(lines[0].options.map((o) => o.value)).toContain("desktop");

    const saved = await chooseValues(cookies.partnerIcb, id, lines, () => "desktop");
    expect(saved.status, JSON.stringify(saved.data)).toBe(302);
    const rows = await savedRows();
    expect(rows).toMatchObject([{ column_name: "device_type", practice_code: "", source_value: "reception pcs", target_value: "desktop" }]);
    const audit = await db().selectFrom("audit_event").selectAll().where("action", "=", "import_value_mapping.save").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ choices: [{ column: "device_type", value: "Reception PCs", to: "desktop" }] });

    // Checked again: every row with that value is now a desktop, none rejected.
    const again = await check(cookies.partnerIcb, id);
    expect(again.preview.counts).toEqual({ create: 30, update: 0, unchanged: 0, rejected: 0 });
    expect(again.preview.values.lines).toEqual([expect.objectContaining({ source: "Reception PCs", mappedTo: "desktop", rows: DESKTOPS })]);
    await commit(cookies.partnerIcb, id);
    const desktops = await db().selectFrom("device").select("device_type").where("practice_code", "=", "F84013").execute();
    expect(desktops.filter((d) => d.device_type === "desktop").length).toBeGreaterThanOrEqual(DESKTOPS);

    // The same user's next file is mapped by their saved choice; another user's is not.
    await sql`truncate device restart identity cascade`.execute(db());
    const next = await check(cookies.partnerIcb, await upload(cookies.partnerIcb, OWN_WORDS));
    expect(next.preview.counts.rejected).toBe(0);
    expect(next.preview.values.lines[0]).toMatchObject({ mappedTo: "desktop" });
    const other = await check(cookies.admin, await upload(cookies.admin, OWN_WORDS));
    expect(other.preview.counts.rejected).toBe(DESKTOPS);

    // The saved choice is listed, and deleting it means the value is asked about again.
    const list = await call(mappingsPage.loader, get("/estate/import/mappings", cookies.partnerIcb));
    expect(list.data.choices).toMatchObject([{ column: "Type", source: "Reception PCs", target: "Desktop" }]);
    const del = await call(
      mappingsPage.action,
      post("/estate/import/mappings", { id: String(rows[0].id) }, { cookie: cookies.partnerIcb }),
    );
    expect(del.status).toBe(302);
    expect(del.location).toBe("/estate/import/mappings");
    expect(await flashFor(cookies.partnerIcb)).toBe("Saved choice deleted. Your next import will ask about that value again.");
    expect(await savedRows()).toEqual([]);
    expect(
      await db().selectFrom("audit_event").select("action").where("action", "=", "import_value_mapping.delete").execute(),
    ).toHaveLength(1);
    const forgotten = await check(cookies.partnerIcb, await upload(cookies.partnerIcb, OWN_WORDS));
    expect(forgotten.preview.counts.rejected).toBe(DESKTOPS);
  });

  it("refuses a value the column does not allow, and saves nothing", async () => {
    const id = await upload(cookies.partnerIcb, OWN_WORDS);
    const lines: Line[] = (await check(cookies.partnerIcb, id)).preview.values.lines;
    const res = await chooseValues(cookies.partnerIcb, id, lines, () => "spaceship");
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({
      ok: false,
      fieldErrors: { "value-0": expect.stringContaining("not one of the values allowed for Type") },
    });
    // A site that is not one of the practice's is refused the same way.
    const site = await chooseValues(cookies.partnerIcb, id, [{ ...lines[0], column: "site_code", practice: "F84013" }], () => "F84003");
    expect(site.data).toMatchObject({ ok: false, fieldErrors: { "value-0": expect.stringContaining("Site") } });
    expect(await savedRows()).toEqual([]);
    expect((await check(cookies.partnerIcb, id)).preview.counts.rejected).toBe(DESKTOPS);
  });

  it("refuses tampering: another practice's sites, another user's upload or saved choice", async () => {
    const id = await upload(cookies.partnerIcb, OWN_WORDS);
    const lines: Line[] = (await check(cookies.partnerIcb, id)).preview.values.lines;
    // A site choice for a practice the file is not for.
    const otherPractice = await chooseValues(
      cookies.partnerIcb,
      id,
      [{ ...lines[0], column: "site_code", practice: "F84003" }],
      () => "F84003",
    );
    expect(otherPractice.status).toBe(403);
    // Another user's upload does not exist for this one.
    const notTheirs = await chooseValues(cookies.partnerPractice, id, lines, () => "desktop");
    expect(notTheirs.status).toBe(404);
    expect(await savedRows()).toEqual([]);

    // Another user's saved choice cannot be deleted (nor seen) by id.
    expect((await chooseValues(cookies.partnerIcb, id, lines, () => "desktop")).status).toBe(302);
    const [row] = await savedRows();
    const list = await call(mappingsPage.loader, get("/estate/import/mappings", cookies.partnerPractice));
    expect(list.data.choices).toEqual([]);
    const del = await call(
      mappingsPage.action,
      post("/estate/import/mappings", { id: String(row.id) }, { cookie: cookies.partnerPractice }),
    );
    expect(del.status).toBe(404);
    expect(await savedRows()).toHaveLength(1);
  });
});

describe("the impact preview", () => {
  /** Everything evaluation stores, in a stable order: results, gaps and gap events. */
  const stored = async () =>
    JSON.stringify([
      await db().selectFrom("evaluation_result").selectAll().orderBy("id").execute(),
      await db().selectFrom("gap").selectAll().orderBy("id").execute(),
      await db().selectFrom("gap_event").selectAll().orderBy("id").execute(),
      await db().selectFrom("evaluation_run").selectAll().orderBy("id").execute(),
    ]);

  it("shows the rules' judgement and cost before and after, writes nothing, and equals what the import then stores", async () => {
    await evaluatePractice(db(), "F84013", todayIso());
    const id = await upload(cookies.partnerIcb, FIXTURE);
    const before = await stored();
    const data = await check(cookies.partnerIcb, id);
    expect(await stored()).toBe(before);

    const impact = data.preview.impact;
    expect(impact.practiceCount).toBe(1);
    const [p] = impact.practices;
    expect(p).toMatchObject({ odsCode: "F84013", rowsChanging: 30 });
    // Nine Windows 10 computers out of support: DEV-02 changes, naming how many more to replace or upgrade.
    const dev02 = p.requirements.find((r: { requirementId: string }) => r.requirementId === "DEV-02");
    expect(dev02).toBeDefined();
    // 9 of the 27 computers: partly met, with the work counted.
    expect(dev02.after).toBe("partial");
    expect(dev02.units.join(" ")).toMatch(/0 → 9/);
    expect(p.gapsAfter.count).toBeGreaterThan(p.gapsBefore.count);
    expect(p.gapsAfter.pence).toBeGreaterThan(p.gapsBefore.pence);

    // The register before the import matches "before".
    const gapsNow = await loadCostedGaps(db(), { scope: { all: true }, practice: "F84013", statuses: OPEN_STATUSES }, todayIso());
    const total = (gs: typeof gapsNow) => gs.reduce((s, g) => s + (g.estimate.pence ?? 0), 0);
    expect(gapsNow.length).toBe(p.gapsBefore.count);
    expect(total(gapsNow)).toBe(p.gapsBefore.pence);

    await commit(cookies.partnerIcb, id);
    const gapsAfter = await loadCostedGaps(db(), { scope: { all: true }, practice: "F84013", statuses: OPEN_STATUSES }, todayIso());
    expect(gapsAfter.length).toBe(p.gapsAfter.count);
    expect(total(gapsAfter)).toBe(p.gapsAfter.pence);
    expect(gapsAfter.reduce((s, g) => s + (g.estimate.vatPence ?? 0), 0)).toBe(p.gapsAfter.vatPence);
    const results = await db()
      .selectFrom("evaluation_result")
      .select(["requirement_id", "status"])
      .where("practice_code", "=", "F84013")
      .orderBy("as_of", "desc")
      .execute();
    const latest = new Map<string, string>();
    for (const r of results) if (!latest.has(r.requirement_id)) latest.set(r.requirement_id, r.status);
    for (const r of p.requirements) expect([r.requirementId, latest.get(r.requirementId)]).toEqual([r.requirementId, r.after]);
  });
});
