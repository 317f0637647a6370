import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadLifecycle } from "~/modules/devices/import/repository.server";
import { indexLifecycle, supportStatus } from "~/modules/os-lifecycle/support";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import { getDb } from "~/utils/db.server";
import { parseArgs, runCli } from "../../scripts/estate-import";
import { BASE, call, get, post } from "../support/requests";
import { finishImportJob } from "../support/import-jobs";
import { useRoleCookies } from "../support/scoping";
import { seedIntuneFixture } from "../support/estate-seed";

// An Intune "All devices" export as it comes (the headers in the order feeds.md §4 lists them),
// 27 Windows computers and 3 phones, with fictitious names and serials, for Stamford Hill Group
// Practice (F84013, one of the fixture's real practices), which has one site.
const FIXTURE = fs.readFileSync(path.join(__dirname, "../fixtures/intune-all-devices.csv"), "utf8");
const AS_OF = "2026-12-03";

const cookies = useRoleCookies(() => seedIntuneFixture(getDb()));
const db = () => getDb();

function uploadRequest(cookie: string | undefined, content: string, fields: Record<string, string> = {}, query = "") {
  const form = new FormData();
  form.append("file", new File([content], "DevicesWithInventory_2026-12-01.csv"));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return new Request(`${BASE}/estate/import${query}`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

async function upload(cookie: string | undefined, content: string, fields: Record<string, string> = {}) {
  const res = await call(uploadPage.action, uploadRequest(cookie, content, fields));
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  return res.location!.split("/").pop()!;
}

async function preview(cookie: string | undefined, id: string) {
  const res = await call(previewPage.loader, get(`/estate/import/${id}`, cookie), { id });
  expect(res.status).toBe(200);
  return res.data;
}

async function confirm(cookie: string | undefined, id: string) {
  const p = (await preview(cookie, id)).preview;
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

async function devicesAt(practice: string) {
  return db().selectFrom("device").selectAll().where("practice_code", "=", practice).orderBy("device_name").execute();
}

/** Each device's support state on AS_OF, counted by family and release. */
async function judgements(practice: string) {
  const index = indexLifecycle(await loadLifecycle(db()));
  const out: Record<string, number> = {};
  for (const d of await devicesAt(practice)) {
    const key = `${d.os_family} ${d.os_edition ?? "-"} ${d.os_version}: ${supportStatus(d, index, AS_OF).state}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const EXPECTED_JUDGEMENTS = {
  "Windows 10 Enterprise 22H2: unsupported": 9, // 19045: ended 2025-10-14, no ESU years recorded
  "Windows 11 Enterprise 23H2: unsupported": 5, // 22631 (E): ended 2026-11-10
  "Windows 11 Enterprise 24H2: supported": 10, // 26100 (E): to 2027-10-12
  "Windows 11 Enterprise 25H2: supported": 3, // 26200 (E): to 2028-10-10
  "iOS - 17.6.1: unknown": 1,
  "iOS - 18.1: unknown": 1,
  "Android - 14: unknown": 1,
};

beforeEach(async () => {
  await sql`truncate device, audit_event, import_run, import_upload, import_mapping restart identity`.execute(db());
});

describe("an Intune export through the Import devices page", () => {
  it("offers only the practices the user may import into, and finds them by name", async () => {
    const partner = await call(uploadPage.loader, get("/estate/import", cookies.partnerIcb));
    expect(partner.data.choices.choices.map((c: { ods_code: string }) => c.ods_code)).toEqual(["F84003", "F84013"]);
    const listed = await call(uploadPage.loader, get("/estate/import", cookies.partnerPractice));
    expect(listed.data.choices.choices.map((c: { ods_code: string }) => c.ods_code)).toEqual(["F84013"]);
    const found = await call(uploadPage.loader, get("/estate/import?q=stamford", cookies.admin));
    expect(found.data.choices).toMatchObject({ q: "stamford", total: 1, choices: [{ ods_code: "F84013" }] });
    // From a practice's page the practice is already known: no chooser.
    const fromPage = await call(uploadPage.loader, get("/estate/import?practice=F84013", cookies.partnerIcb));
    expect(fromPage.data.choices).toBeNull();
  });

  it("imports the file as it comes into the chosen practice, with releases, check-ins, the only site and lifecycle judgements", async () => {
    const id = await upload(cookies.partnerIcb, FIXTURE, { practice: "F84013" });
    const data = await preview(cookies.partnerIcb, id);
    expect(data.practice).toMatchObject({ ods_code: "F84013" });
    const target = (h: string) => data.columns.find((c: { header: string }) => c.header === h)?.target;
    expect(
      [
        "Device name",
        "Last check-in",
        "OS version",
        "Serial number",
        "Manufacturer",
        "Model",
        "Category",
        "Compliance",
        "Managed by",
        "Ownership",
        "Encrypted",
        "OS",
        "SkuFamily",
      ].map(target),
    ).toEqual([
      "device_name",
      "last_seen",
      "os_version",
      "serial_number",
      "make",
      "model",
      "device_type",
      "compliance",
      "managed",
      "ownership",
      "encrypted",
      "os_name",
      "os_edition",
    ]);
    expect(data.columns.find((c: { header: string }) => c.header === "Primary user UPN")).toMatchObject({
      target: null,
      notImported: expect.stringContaining("personal data"),
    });
    expect(data.preview.counts).toEqual({ create: 30, update: 0, unchanged: 0, rejected: 0 });
    expect(data.preview.groups).toEqual([]);
    expect(data.preview.assumptions).toEqual(["Site not in the file for 30 new devices: recorded at the practice's only site (F84013)."]);

    await confirm(cookies.partnerIcb, id);
    const devices = await devicesAt("F84013");
    expect(devices).toHaveLength(30);
    expect(devices.find((d) => d.device_name === "SHGP-PC-0101")).toMatchObject({
      device_type: "desktop",
      make: "Dell Inc.",
      model: "OptiPlex 7010",
      serial_number: "Z7S7D20",
      site_code: "F84013",
      status: "in_use",
      os_family: "Windows 10",
      os_edition: "Enterprise",
      os_version: "22H2",
      os_build: "19045.5131",
      last_seen: "2026-11-21",
      managed: true,
      ownership: "corporate",
      compliance: "compliant",
      encrypted: true,
    });
    expect(devices.find((d) => d.device_name === "SHGP-LT-0113")).toMatchObject({
      device_type: "laptop",
      os_family: "Windows 11",
      os_version: "23H2",
      compliance: "in_grace_period",
    });
    expect(devices.find((d) => d.device_name === "sam's Galaxy")).toMatchObject({
      device_type: "mobile_phone",
      os_family: "Android",
      os_version: "14",
      ownership: "personal",
    });
    expect(await judgements("F84013")).toEqual(EXPECTED_JUDGEMENTS);

    // The same file again changes nothing.
    const again = await upload(cookies.partnerIcb, FIXTURE, { practice: "F84013" });
    expect((await preview(cookies.partnerIcb, again)).preview.counts).toEqual({ create: 0, update: 0, unchanged: 30, rejected: 0 });
  });

  it("refuses a practice chosen outside the user's scope by editing the form", async () => {
    // A delivery partner for F84013 only, sending F84003 (same ICB, not theirs): not found for them.
    expect((await call(uploadPage.action, uploadRequest(cookies.partnerPractice, FIXTURE, { practice: "F84003" }))).status).toBe(404);
    // The ICB's delivery partner sending a practice in another ICB.
    expect((await call(uploadPage.action, uploadRequest(cookies.partnerIcb, FIXTURE, { practice: "A81001" }))).status).toBe(404);
    expect((await call(uploadPage.action, uploadRequest(cookies.partnerIcb, FIXTURE, { practice: "NOT A CODE" }))).status).toBe(404);
    // F84003's practice manager cannot import devices at all (the delivery partner keeps them).
    expect((await call(uploadPage.action, uploadRequest(cookies.practiceManager, FIXTURE, { practice: "F84003" }))).status).toBe(403);
    expect(await db().selectFrom("import_upload").selectAll().execute()).toEqual([]);
  });

  it("without a practice, says once for every row that the file has no practice column", async () => {
    const id = await upload(cookies.partnerIcb, FIXTURE);
    const p = (await preview(cookies.partnerIcb, id)).preview;
    expect(p.counts.rejected).toBe(30);
    expect(p.groups).toEqual([
      { column: "Practice ODS code", message: expect.stringContaining("no practice code column"), rows: 30, examples: [2, 3, 4, 5, 6] },
    ]);
  });

  it("groups values it does not recognise by kind, with counts and example rows", async () => {
    const kiosks = FIXTURE.replace(/,Desktops,/g, ",Kiosks,").replace(/,Co-managed,/g, ",Tanium,");
    const id = await upload(cookies.partnerIcb, kiosks, { practice: "F84013" });
    const p = (await preview(cookies.partnerIcb, id)).preview;
    expect(p.groups.map((g: { rows: number; column: string; message: string }) => [g.rows, g.column, g.message.split(". ")[0]])).toEqual([
      [15, "Category", 'Type "Kiosks" is not recognised'],
      [6, "Managed by", 'Managed by "Tanium" is not recognised'],
    ]);
    expect(p.groups[0].examples).toEqual([2, 3, 4, 5, 6]);
    expect(p.issues.total).toBe(21);
  });
});

describe("replacing a practice's inventory", () => {
  it("lists the devices missing from the file, with the count first, and retires them on import", async () => {
    // Two devices recorded before: one the file names (by serial), one it does not.
    await db()
      .insertInto("device")
      .values([
        { practice_code: "F84013", asset_tag: "SH-OLD-1", serial_number: "Z7S7D20", device_type: "desktop", status: "in_use" },
        { practice_code: "F84013", asset_tag: "SH-OLD-2", serial_number: "GONE-001", device_type: "laptop", status: "in_use" },
        { practice_code: "F84003", asset_tag: "LC-KEEP", serial_number: "LC-1", device_type: "laptop", status: "in_use" },
      ])
      .execute();
    const id = await upload(cookies.partnerIcb, FIXTURE, { practice: "F84013" });
    const added = (await preview(cookies.partnerIcb, id)).preview;
    expect(added).toMatchObject({ replace: false, retireCount: 0, counts: { create: 29, update: 1 } });

    const mode = await call(
      previewPage.action,
      post(`/estate/import/${id}`, { intent: "mode", mode: "replace" }, { cookie: cookies.partnerIcb }),
      { id },
    );
    expect(mode.status).toBe(302);
    const p = (await preview(cookies.partnerIcb, id)).preview;
    expect(p).toMatchObject({ replace: true, retireCount: 1, retire: [{ asset_tag: "SH-OLD-2", serial_number: "GONE-001" }] });
    // A stale confirmation (made before the mode changed) is refused.
    const stale = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "commit", expected_create: "29", expected_update: "1", expected_rejected: "0" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    const staleJob = await finishImportJob(cookies.partnerIcb, stale.location);
    expect(staleJob.status).toBe("failed");
    expect(staleJob.error).toMatch(
      /^The devices changed since you checked this file: it would now add 29, change 1, retire 1 and skip 0 rows/,
    );

    const ok = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "commit", expected_create: "29", expected_update: "1", expected_rejected: "0", expected_retire: "1" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    expect(ok.status, JSON.stringify(ok.data)).toBe(302);
    expect((await finishImportJob(cookies.partnerIcb, ok.location)).status).toBe("done");
    const gone = await db().selectFrom("device").selectAll().where("asset_tag", "=", "SH-OLD-2").executeTakeFirstOrThrow();
    expect(gone).toMatchObject({ status: "disposed", disposed_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(await db().selectFrom("device").select("status").where("asset_tag", "=", "LC-KEEP").executeTakeFirstOrThrow()).toEqual({
      status: "in_use",
    });
    const events = await db().selectFrom("audit_event").select(["entity_id", "after"]).where("action", "=", "device.retire").execute();
    expect(events).toEqual([{ entity_id: String(gone.id), after: expect.objectContaining({ status: "disposed" }) }]);
  });

  it("cannot replace without a practice", async () => {
    const id = await upload(cookies.partnerIcb, FIXTURE);
    const res = await call(
      previewPage.action,
      post(`/estate/import/${id}`, { intent: "mode", mode: "replace" }, { cookie: cookies.partnerIcb }),
      { id },
    );
    expect(res.data).toMatchObject({ ok: false, formError: expect.stringContaining("Choose the practice") });
    expect(() => parseArgs(["--kind", "devices", "--replace", "x.csv"])).toThrow(/--replace needs --practice/);
  });
});

describe("a file with no edition", () => {
  it("names the edition assumption, and keeps an edition already recorded", async () => {
    const noSku = FIXTURE.replace(/,Enterprise,Microsoft Entra joined,/g, ",,Microsoft Entra joined,");
    await db()
      .insertInto("device")
      .values({
        practice_code: "F84013",
        asset_tag: "SH-ENT",
        serial_number: "Z7S7D20",
        device_type: "desktop",
        status: "in_use",
        os_family: "Windows 10",
        os_edition: "Enterprise",
        os_version: "22H2",
      })
      .execute();
    const id = await upload(cookies.partnerIcb, noSku, { practice: "F84013" });
    const p = (await preview(cookies.partnerIcb, id)).preview;
    expect(p.assumptions).toContainEqual(
      expect.stringMatching(/^Edition not in the file for 26 Windows devices: judged on the Home and Pro end of support dates/),
    );
    await confirm(cookies.partnerIcb, id);
    expect(
      await db()
        .selectFrom("device")
        .select(["os_edition", "os_build", "device_name"])
        .where("asset_tag", "=", "SH-ENT")
        .executeTakeFirstOrThrow(),
    ).toEqual({
      os_edition: "Enterprise",
      os_build: "19045.5131",
      device_name: "SHGP-PC-0101",
    });
  });
});

describe("an Intune export from the command line with --practice", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "intune-import-"));
    fs.writeFileSync(path.join(dir, "intune.csv"), FIXTURE);
  });
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(db(), parseArgs(argv), { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out, err };
  };

  it("imports into the practice, judges the same, and a second run changes nothing", async () => {
    const first = await run(["--kind", "devices", "--practice", "f84013", "--json", path.join(dir, "intune.csv")]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out[0])).toMatchObject({ rowsRead: 30, created: 30, updated: 0, unchanged: 0, rejected: [] });
    expect(await judgements("F84013")).toEqual(EXPECTED_JUDGEMENTS);
    const second = await run(["--kind", "devices", "--practice=F84013", path.join(dir, "intune.csv")]);
    expect(second.code).toBe(0);
    expect(second.out[1]).toContain("0 new devices were added, 0 were updated, 30 unchanged, 0 rows rejected");
    expect(second.out.join("\n")).toContain("for practice F84013");
  });

  it("refuses an unknown practice and a malformed code", async () => {
    const r = await run(["--kind", "devices", "--practice", "Y99999", "--json", path.join(dir, "intune.csv")]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0])).toEqual({ error: "No practice has ODS code Y99999" });
    expect(() => parseArgs(["--kind", "devices", "--practice", "not a code!", "x.csv"])).toThrow(/--practice must be a practice ODS code/);
    expect(await devicesAt("F84013")).toEqual([]);
  });

  it("rejects unknown builds, impossible versions and future dates as row errors, grouped in the summary", async () => {
    const lines = FIXTURE.trimEnd().split("\r\n");
    lines[1] = lines[1].replace("10.0.19045.5131", "10.0.23456.1000");
    lines[2] = lines[2].replace("10.0.19045.5131", "banana");
    lines[3] = lines[3].replace(/2026-11-\d\d/, "2031-01-01"); // the first 2026 date on the row is its Last check-in
    fs.writeFileSync(path.join(dir, "bad.csv"), lines.join("\r\n"));
    const r = await run(["--kind", "devices", "--practice", "F84013", "--dry-run", "--json", path.join(dir, "bad.csv")]);
    const o = JSON.parse(r.out[0]);
    expect(o).toMatchObject({ created: 27, updated: 0 });
    expect(o.rejected).toEqual([
      {
        row: 2,
        column: "OS version",
        message: expect.stringMatching(
          /^OS version 10\.0\.23456\.1000: build 23456 is not a Windows release in the OS lifecycle reference/,
        ),
      },
      {
        row: 3,
        column: "OS version",
        message: 'OS version "banana" is not a Windows build (such as 10.0.26100.3476) or release (such as 24H2)',
      },
      { row: 4, column: "Last check-in", message: "Last check-in 1 January 2031 is in the future: it must be today or earlier" },
    ]);
    const purchase = "Serial number,Type,Purchase date\r\nSN-FUTURE,Laptop,01/04/2031\r\n";
    fs.writeFileSync(path.join(dir, "purchase.csv"), purchase);
    const p = await run(["--kind", "devices", "--practice", "F84013", "--dry-run", "--json", path.join(dir, "purchase.csv")]);
    expect(JSON.parse(p.out[0]).rejected).toEqual([
      { row: 2, column: "Purchase date", message: "Purchase date 1 April 2031 is in the future: it must be today or earlier" },
    ]);
  });
});
