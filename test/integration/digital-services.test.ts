import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVICE_KEYS } from "~/modules/catalogue/digital-services";
import * as view from "~/routes/practices.$ods.services._index";
import * as edit from "~/routes/practices.$ods.services.edit";
import * as exporter from "~/routes/practices.$ods.services.export";
import { getDb } from "~/utils/db.server";
import type { createRoleUsers } from "../support/factories";
import { seedAndSignIn } from "../support/scoping";
import { call, get, post } from "../support/requests";

let ids: Awaited<ReturnType<typeof createRoleUsers>>;
const c: Record<string, string> = {};
const P = { ods: "F84003" };
const BASE = "/practices/F84003/services";

beforeAll(async () => {
  const db = getDb();
  ids = await seedAndSignIn(c, ["pm", "dp", "lead", "dp2", "admin"]);
  await db
    .updateTable("practice")
    .set({ clinical_system_detail: "EMIS Web", clinical_system_source: "NHS Digital supplier file, April 2026" })
    .where("ods_code", "=", "F84003")
    .execute();
});

const rows = () => getDb().selectFrom("digital_service").selectAll().where("practice_code", "=", "F84003").orderBy("service_key").execute();
const audits = () =>
  getDb()
    .selectFrom("audit_event")
    .selectAll()
    .where("entity_type", "=", "digital_services")
    .where("entity_id", "=", "F84003")
    .orderBy("id")
    .execute();

/** The edit form as the browser posts it, built from what the edit page loaded. */
async function formFromPage(cookie = c.dp) {
  const page = await call(edit.loader, get(`${BASE}/edit`, cookie), P);
  expect(page.status).toBe(200);
  const form: Record<string, string> = {};
  for (const s of page.data.services) {
    form[`${s.key}.status`] = s.status;
    form[`${s.key}.supplier`] = s.supplier ?? "";
    form[`${s.key}.since_date`] = s.since_date ?? "";
    form[`${s.key}.notes`] = s.notes ?? "";
    form[`${s.key}.version`] = String(s.version);
  }
  return form;
}
const save = (form: Record<string, string>, cookie = c.dp) => call(edit.action, post(`${BASE}/edit`, form, { cookie }), P);

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these save
// what a test builds on through the edit page, as the delivery partner would.
/** The principal clinical system (EMIS Web), online consultation (Accurx since 31/03/2024) and video consultation (not in use). */
const THREE_SERVICES = {
  "principal_clinical_system.status": "in_use",
  "principal_clinical_system.supplier": "EMIS Web",
  "online_consultation.status": "in_use",
  "online_consultation.supplier": "Accurx",
  "online_consultation.since_date": "31/03/2024",
  "video_consultation.status": "not_in_use",
};
/** The three recorded through the edit page, version 1 each. */
async function recordThree() {
  const res = await save({ ...(await formFromPage()), ...THREE_SERVICES });
  expect(res.status).toBe(302);
}
/** The three recorded, then online consultation's opening hours noted (its version 2). */
async function recordThreeWithNote() {
  await recordThree();
  expect((await save({ ...(await formFromPage()), "online_consultation.notes": "Open 08:00 to 18:30" })).status).toBe(302);
}

describe("clinical system and digital services", () => {
  it("shows every catalogue service as Not known until recorded, and the national clinical system", async () => {
    const res = await call(view.loader, get(BASE, c.pm), P);
    expect(res.status).toBe(200);
    expect(res.data.canEdit).toBe(false);
    expect(res.data.national).toEqual({
      clinical_system: "EMIS",
      clinical_system_detail: "EMIS Web",
      clinical_system_source: "NHS Digital supplier file, April 2026",
    });
    expect(res.data.principal).toMatchObject({ key: "principal_clinical_system", status: "unknown", supplier: null, version: 0 });
    expect(res.data.services).toHaveLength(SERVICE_KEYS.length - 1);
    expect(res.data.services.every((s: any) => s.status === "unknown" && s.version === 0)).toBe(true);
    expect(res.data.services.find((s: any) => s.key === "online_consultation").requirementIds).toEqual(["CLN-05", "CLN-06"]);
  });

  it("saving an unchanged form writes nothing", async () => {
    const res = await save(await formFromPage());
    expect(res.status).toBe(302);
    expect(await rows()).toHaveLength(0);
    expect(await audits()).toHaveLength(0);
  });

  it("reports field errors by service and writes nothing", async () => {
    const form = await formFromPage();
    const res = await save({ ...form, "eps.status": "in_use", "eps.since_date": "31/02/2024", "nhsmail.status": "sometimes" });
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors).toEqual({
      "eps.since_date": "Electronic Prescription Service (EPS) start date must be a real date, like 31/03/2024",
      "nhsmail.status": "Select whether NHSmail is in use",
    });
    expect(await rows()).toHaveLength(0);
  });

  it("saves changed services together, with one audit event per changed row", async () => {
    const form = await formFromPage();
    const res = await save({ ...form, ...THREE_SERVICES });
    expect(res.status).toBe(302);
    expect(res.location).toBe(BASE);
    expect((await rows()).map((r) => [r.service_key, r.status, r.supplier, r.since_date, r.version])).toEqual([
      ["online_consultation", "in_use", "Accurx", "2024-03-31", 1],
      ["principal_clinical_system", "in_use", "EMIS Web", null, 1],
      ["video_consultation", "not_in_use", null, null, 1],
    ]);
    const events = await audits();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.user_id === ids.partnerIcb && e.action === "digital_service.create")).toBe(true);
    expect(events.map((e) => (e.after as any).service_key).sort()).toEqual([
      "online_consultation",
      "principal_clinical_system",
      "video_consultation",
    ]);

    const page = await call(view.loader, get(BASE, c.dp), P);
    expect(page.data.principal).toMatchObject({ status: "in_use", supplier: "EMIS Web" });
    expect(page.data.history.map((h: any) => h.action).sort()).toEqual([
      "Online consultation updated",
      "Principal clinical system updated",
      "Video consultation updated",
    ]);
    const video = page.data.history.find((h: any) => h.action === "Video consultation updated");
    expect(video.before).toBeNull();
    expect(video.after).toMatchObject({ service_key: "video_consultation", status: "Not in use" });
  });

  it("a second save audits only the row that changed", async () => {
    await recordThree();
    const form = await formFromPage();
    const res = await save({ ...form, "online_consultation.notes": "Open 08:00 to 18:30" });
    expect(res.status).toBe(302);
    const events = await audits();
    expect(events).toHaveLength(4);
    expect(events[3]).toMatchObject({ action: "digital_service.update" });
    expect(events[3].before).toMatchObject({ service_key: "online_consultation", notes: null, version: 1 });
    expect(events[3].after).toMatchObject({ service_key: "online_consultation", notes: "Open 08:00 to 18:30", version: 2 });
    expect((await rows()).find((r) => r.service_key === "video_consultation")!.version).toBe(1);
  });

  it("a conflict on any row aborts every change and names the service", async () => {
    await recordThree();
    const form = await formFromPage();
    // Someone else updates video consultation after this form was opened.
    await getDb()
      .updateTable("digital_service")
      .set({ status: "in_use", version: 2 })
      .where("practice_code", "=", "F84003")
      .where("service_key", "=", "video_consultation")
      .execute();
    const before = await rows();
    const eventsBefore = await audits();
    // Online consultation comes before video consultation, so it is written first and must be rolled back.
    const res = await save({ ...form, "online_consultation.supplier": "Klinik", "video_consultation.supplier": "AccuRx" });
    expect(res.status).toBe(409);
    expect(res.data.formError).toMatch(
      /^Someone else changed Video consultation since you opened this page, so none of your changes were saved/,
    );
    expect(await rows()).toEqual(before);
    expect(await audits()).toEqual(eventsBefore);
  });

  it("a row someone else created meanwhile is a conflict too", async () => {
    const form = await formFromPage();
    await getDb().insertInto("digital_service").values({ practice_code: "F84003", service_key: "nhsmail", status: "in_use" }).execute();
    const before = await rows();
    const res = await save({ ...form, "nhsmail.status": "not_in_use", "gp2gp.status": "in_use" });
    expect(res.data.formError).toMatch(/Someone else changed NHSmail/);
    expect(await rows()).toEqual(before);
  });

  it("a failure while auditing leaves no change behind", async () => {
    const db = getDb();
    const form = await formFromPage();
    const before = await rows();
    await sql`create function test_fail_audit() returns trigger language plpgsql as $$
      begin raise exception 'forced audit failure'; end $$`.execute(db);
    await sql`create trigger test_fail_audit before insert on audit_event for each row execute function test_fail_audit()`.execute(db);
    try {
      await expect(save({ ...form, "scr.status": "in_use", "eps.status": "in_use" })).rejects.toThrow(/forced audit failure/);
    } finally {
      await sql`drop trigger test_fail_audit on audit_event`.execute(db);
      await sql`drop function test_fail_audit()`.execute(db);
    }
    expect(await rows()).toEqual(before);
  });

  it("rows of another practice are not touched", async () => {
    await getDb().insertInto("digital_service").values({ practice_code: "F84013", service_key: "eps", status: "not_in_use" }).execute();
    const form = await formFromPage();
    expect((await save({ ...form, "eps.status": "in_use" })).status).toBe(302);
    const other = await getDb().selectFrom("digital_service").selectAll().where("practice_code", "=", "F84013").execute();
    expect(other.map((r) => [r.service_key, r.status, r.version])).toEqual([["eps", "not_in_use", 1]]);
  });
});

describe("digital services permissions", () => {
  it("the delivery partner and admin can edit; the practice manager and ICB lead cannot", async () => {
    const form = await formFromPage();
    const before = await rows();
    for (const who of ["pm", "lead"]) {
      expect((await save({ ...form, "sms_messaging.status": "in_use" }, c[who])).status).toBe(403);
      expect((await call(edit.loader, get(`${BASE}/edit`, c[who]), P)).status).toBe(403);
    }
    expect(await rows()).toEqual(before);
    expect((await call(edit.loader, get(`${BASE}/edit`, c.admin), P)).status).toBe(200);
  });

  it("a delivery partner for another practice gets 404 on this one", async () => {
    expect((await call(view.loader, get(BASE, c.dp2), P)).status).toBe(404);
    expect((await call(edit.action, post(`${BASE}/edit`, {}, { cookie: c.dp2 }), P)).status).toBe(404);
  });
});

describe("digital services export", () => {
  it("lists every catalogue service, Not known ones included", async () => {
    await recordThreeWithNote();
    const res = await call(exporter.loader, get(`${BASE}/export?format=csv`, c.pm), P);
    expect(res.status).toBe(200);
    const [header, ...lines] = (await res.response!.text())
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(header).toBe("practice_ods_code,service_key,service,status,supplier,since_date,seats,notes");
    expect(lines).toHaveLength(SERVICE_KEYS.length);
    expect(lines).toContain("F84003,online_consultation,Online consultation,in_use,Accurx,2024-03-31,,Open 08:00 to 18:30");
    expect(lines).toContain("F84003,gp2gp,GP2GP record transfer,unknown,,,,");
  });
});
