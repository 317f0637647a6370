/**
 * Issue 17, the device import's placement and edition assumption:
 * - rows placed by device-name prefix → practice rules typed on the upload page (the matcher the
 *   Intune sync uses), each rule's practice checked against the importer's scope;
 * - an ICB's default edition (policy default_os_edition) used for Windows rows with no edition in
 *   the file or the register, named on the preview with a link to the setting.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { placeDevice } from "~/modules/device-sync/map";
import { matchPrefix, parsePrefixRules } from "~/modules/devices/import/prefix-rules";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import { getDb } from "~/utils/db.server";
import { BASE, call, get, post } from "../support/requests";
import { finishImportJob } from "../support/import-jobs";
import { useRoleCookies } from "../support/scoping";

// 27 Windows computers (SHGP-PC-…, SHGP-LT-…) and 3 phones, as Intune exports them (device-import-intune.test.ts).
const FIXTURE = fs.readFileSync(path.join(__dirname, "../fixtures/intune-all-devices.csv"), "utf8");
const NO_SKU = FIXTURE.replace(/,Enterprise,Microsoft Entra joined,/g, ",,Microsoft Entra joined,");

const cookies = useRoleCookies(async () => {
  await syncLifecycleReference(getDb());
});
const db = () => getDb();

function uploadRequest(cookie: string | undefined, content: string, fields: Record<string, string>) {
  const form = new FormData();
  form.append("file", new File([content], "DevicesWithInventory_2026-12-01.csv"));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return new Request(`${BASE}/estate/import`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

async function upload(cookie: string | undefined, content: string, fields: Record<string, string>) {
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

const countAt = async (practice: string) =>
  Number(
    (
      await db()
        .selectFrom("device")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("practice_code", "=", practice)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeEach(async () => {
  await sql`truncate device, audit_event, import_run, import_upload, import_mapping restart identity`.execute(db());
  await sql`delete from icb_policy where key = 'default_os_edition'`.execute(db());
});

describe("the device-name prefix matcher", () => {
  it("is the one the Intune sync places devices with: the longest matching start, any case", () => {
    const rules = [
      { kind: "prefix" as const, value: "SHGP-", practice_code: "F84013" },
      { kind: "prefix" as const, value: "shgp-lt", practice_code: "F84003" },
    ];
    expect(matchPrefix("SHGP-LT-0113", rules)?.practice_code).toBe("F84003");
    expect(matchPrefix("SHGP-PC-0101", rules)?.practice_code).toBe("F84013");
    expect(matchPrefix("tom's iPhone", rules)).toBeNull();
    expect(placeDevice({ deviceName: "SHGP-LT-0113" }, rules, new Map(), null)).toEqual({ practice: "F84003", by: "name starts shgp-lt" });
  });

  it("reads the page's rules one a line and names a bad line", () => {
    expect(parsePrefixRules("SHGP-PC F84013\n\nSHGP-LT = f84003\r\n")).toEqual({
      ok: true,
      rules: [
        { value: "SHGP-PC", practice_code: "F84013" },
        { value: "SHGP-LT", practice_code: "F84003" },
      ],
    });
    expect(parsePrefixRules("SHGP-PC F84013\nSHGP-LT")).toMatchObject({ ok: false, message: expect.stringMatching(/^Line 2 /) });
    expect(parsePrefixRules("A F84013\na F84003")).toMatchObject({ ok: false, message: 'Line 2: the prefix "a" is given twice' });
  });
});

describe("an Intune export placed by device-name prefix", () => {
  it("puts each row at the practice its name's start names, refuses rows no rule matches, and imports the rest", async () => {
    const id = await upload(cookies.partnerIcb, FIXTURE, { prefixes: "SHGP-PC F84013\nSHGP-LT F84003" });
    const data = await preview(cookies.partnerIcb, id);
    expect(data.practice).toBeNull();
    expect(data.preview.prefixRules).toEqual([
      { value: "SHGP-PC", practice_code: "F84013" },
      { value: "SHGP-LT", practice_code: "F84003" },
    ]);
    // 15 PCs and 12 laptops placed; the 3 phones match no rule and are refused with the reason.
    expect(data.preview.counts).toMatchObject({ create: 27, rejected: 3 });
    expect(data.preview.issues.rows.map((i: { message: string }) => i.message)).toContainEqual(
      `No device-name prefix you gave matches "tom's iPhone": add a prefix for it, or a practice code column`,
    );
    await confirm(cookies.partnerIcb, id);
    expect([await countAt("F84013"), await countAt("F84003")]).toEqual([15, 12]);
  });

  it("refuses rules it cannot use, beside the field: a bad line, a practice outside the importer's scope, or a practice chosen as well", async () => {
    const refused = async (cookie: string | undefined, fields: Record<string, string>) => {
      const res = await call(uploadPage.action, uploadRequest(cookie, FIXTURE, fields));
      // A refused form answers 400 with the message beside the field.
      expect(res.status).toBe(400);
      return res.data.fieldErrors.prefixes;
    };
    expect(await refused(cookies.partnerIcb, { prefixes: "SHGP-PC" })).toMatch(/^Line 1 /);
    // The practice-list partner may change F84013's devices; F84003 is outside its scope, so not found (as in the address).
    expect(await refused(cookies.partnerPractice, { prefixes: "SHGP-PC F84013\nSHGP-LT F84003" })).toBe("No practice has ODS code F84003");
    expect(await refused(cookies.partnerIcb, { prefixes: "SHGP-PC A81001" })).toBe("No practice has ODS code A81001");
    expect(await refused(cookies.partnerIcb, { practice: "F84013", prefixes: "SHGP-PC F84013" })).toBe(
      "Choose the practice or give device-name prefixes, not both",
    );
    expect(Number((await sql<{ n: string }>`select count(*) as n from import_upload`.execute(db())).rows[0].n)).toBe(0);
  });
});

describe("the ICB's default edition", () => {
  it("without one, Windows rows with no edition are judged on Home and Pro dates, named with a link to the setting", async () => {
    const id = await upload(cookies.partnerIcb, NO_SKU, { practice: "F84013" });
    const p = (await preview(cookies.partnerIcb, id)).preview;
    const text = p.assumptions.find((a: string) => a.startsWith("Edition not in the file"));
    expect(text).toMatch(/^Edition not in the file for 27 Windows devices: judged on the Home and Pro end of support dates/);
    // The partner can see the ICB's setting, not change it.
    expect(p.assumptionLinks[text]).toEqual({
      href: "/icbs/QMF/policy?edit=default_os_edition#edit-title",
      label: "See the ICB's default (its digital lead can change it)",
    });
  });

  it("with Enterprise set, assumes Enterprise for them, says so, and records it; an edition in the register is kept", async () => {
    await db()
      .insertInto("icb_policy")
      .values({ icb_code: "QMF", key: "default_os_edition", value: JSON.stringify("Enterprise"), set_by: null })
      .execute();
    await db()
      .insertInto("device")
      .values({
        practice_code: "F84013",
        asset_tag: "SH-PRO",
        serial_number: "Z7S7D20",
        device_type: "desktop",
        status: "in_use",
        os_family: "Windows 10",
        os_edition: "Pro",
        os_version: "22H2",
      })
      .execute();
    // The admin may import and change the ICB's policy.
    const id = await upload(cookies.admin, NO_SKU, { practice: "F84013" });
    const p = (await preview(cookies.admin, id)).preview;
    const text = `Edition not in the file for 26 Windows devices: assumed Enterprise, the ICB's (QMF) default.`;
    expect(p.assumptions).toContain(text);
    expect(p.assumptionLinks[text]).toEqual({
      href: "/icbs/QMF/policy?edit=default_os_edition#edit-title",
      label: "Change the ICB's default",
    });
    await confirm(cookies.admin, id);
    const editions = await db()
      .selectFrom("device")
      .select(["os_edition", (eb) => eb.fn.countAll().as("n")])
      .where("practice_code", "=", "F84013")
      .where("os_family", "like", "Windows%")
      .groupBy("os_edition")
      .orderBy("os_edition")
      .execute();
    expect(editions.map((e) => [e.os_edition, Number(e.n)])).toEqual([
      ["Enterprise", 26],
      ["Pro", 1],
    ]);
  });
});
