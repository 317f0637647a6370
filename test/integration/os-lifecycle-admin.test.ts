import { beforeAll, describe, expect, it } from "vitest";
import * as lifecycleList from "~/routes/admin.os-lifecycle._index";
import * as newVersion from "~/routes/admin.os-lifecycle.new";
import * as versionPage from "~/routes/admin.os-lifecycle.$id";
import { getDb } from "~/utils/db.server";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { ensureLifecycleSeed } from "../support/estate-seed";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { call, cookieFor, get, post } from "../support/requests";
import { EMAILS } from "../support/scoping";

const db = () => getDb();
let admin: string;
let lead: string;
let partner: string;
let adminId: number;

beforeAll(async () => {
  await seedOrgs(db());
  adminId = (await createRoleUsers(db())).admin;
  await ensureLifecycleSeed(db());
  admin = await cookieFor(EMAILS.admin);
  lead = await cookieFor(EMAILS.icbLead);
  partner = await cookieFor(EMAILS.partnerIcb);
});

// 28H1: a version the reference file (app/modules/os-lifecycle/reference.ts) does not hold.
const valid = {
  family: "Windows 11",
  edition: "Home/Pro",
  version: "28H1",
  build: "29000",
  release_date: "30/03/2028",
  end_of_support: "12/03/2030",
  esu_year_ends: "",
  source: "Microsoft lifecycle page",
  notes: "",
};
const create = (fields: Record<string, string>, cookie = admin) =>
  call(newVersion.action, post("/admin/os-lifecycle/new", fields, { cookie }));
const row = (id: number) => db().selectFrom("os_lifecycle").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const edit = (id: number, fields: Record<string, string>, cookie = admin) =>
  call(versionPage.action, post(`/admin/os-lifecycle/${id}`, fields, { cookie }), { id: String(id) });

describe("OS lifecycle administration", () => {
  it("lists the seeded rows", async () => {
    const res = await call(lifecycleList.loader, get("/admin/os-lifecycle", admin));
    const win10 = res.data.rows.find((r: { family: string; version: string }) => r.family === "Windows 10" && r.version === "22H2");
    expect(win10).toMatchObject({
      edition: "Home/Pro/Enterprise/Education",
      end_of_support: "2025-10-14",
      extended_end: "2028-10-10",
      esu_year_ends: ["2026-10-13", "2027-10-12", "2028-10-10"],
    });
  });

  it("takes an edited row over from the reference data: the sync never overwrites it", async () => {
    const seeded = await db()
      .selectFrom("os_lifecycle")
      .selectAll()
      .where("family", "=", "Windows 11")
      .where("edition", "=", "Home/Pro")
      .where("version", "=", "25H2")
      .executeTakeFirstOrThrow();
    expect(seeded.reference_version).not.toBeNull();
    const fields = {
      family: "Windows 11",
      edition: "Home/Pro",
      version: "25H2",
      build: "26200",
      release_date: "",
      end_of_support: "13/10/2027",
      esu_year_ends: "",
      source: "Local decision",
      notes: "",
      version_no: String(seeded.version_no),
    };
    expect((await edit(seeded.id, fields)).data).toEqual({ ok: true });
    expect(await row(seeded.id)).toMatchObject({ end_of_support: "2027-10-13", reference_version: null });
    const again = await syncLifecycleReference(db());
    expect(again.keptAdminRows).toContain("Windows 11 Home/Pro 25H2");
    expect(await row(seeded.id)).toMatchObject({ end_of_support: "2027-10-13", source: "Local decision" });
  });

  it("checks the fields and refuses a second row for the same version", async () => {
    const missing = await create({ ...valid, edition: " ", end_of_support: "", esu_year_ends: "" });
    expect(missing.data.fieldErrors).toEqual({ edition: "Enter the edition", end_of_support: "Enter the end of support date" });
    const order = await create({ ...valid, esu_year_ends: "01/01/2027" });
    expect(order.data.fieldErrors).toEqual({ esu_year_ends: "The first ESU year must end after the end of support date" });
    const unordered = await create({ ...valid, esu_year_ends: "10/10/2031, 09/10/2031" });
    expect(unordered.data.fieldErrors).toEqual({ esu_year_ends: "Enter the ESU year end dates in order, earliest first" });
    const dup = await create({ ...valid, version: "22H2" });
    expect(dup.data.fieldErrors).toEqual({ version: "There is already a row for Windows 11 Home/Pro 22H2" });
  });

  it("adds a version with an audit event", async () => {
    const res = await create(valid);
    expect(res.status).toBe(302);
    const id = Number(res.location?.split("/").pop());
    expect(await row(id)).toMatchObject({
      version: "28H1",
      end_of_support: "2030-03-12",
      release_date: "2028-03-30",
      extended_end: null,
      esu_year_ends: [],
      version_no: 1,
      reference_version: null,
    });
    const audit = await db()
      .selectFrom("audit_event")
      .selectAll()
      .where("entity_type", "=", "os_lifecycle")
      .where("entity_id", "=", String(id))
      .execute();
    expect(audit.map((a) => [a.action, a.user_id])).toEqual([["os_lifecycle.create", adminId]]);
  });

  it("changes a row, refuses a stale change and keeps the history", async () => {
    const id = Number((await create({ ...valid, version: "27H2", end_of_support: "10/10/2028" })).location?.split("/").pop());
    const ok = await edit(id, { ...valid, version: "27H2", end_of_support: "11/10/2028", version_no: "1" });
    expect(ok.data).toEqual({ ok: true });
    expect(await row(id)).toMatchObject({ end_of_support: "2028-10-11", version_no: 2 });
    const stale = await edit(id, { ...valid, version: "27H2", end_of_support: "01/01/2030", version_no: "1" });
    expect(stale.data.formError).toMatch(/^Someone else changed these support dates/);
    expect(await row(id)).toMatchObject({ end_of_support: "2028-10-11", version_no: 2 });
    const page = await call(versionPage.loader, get(`/admin/os-lifecycle/${id}`, admin), { id: String(id) });
    expect(page.data.history.map((h: { action: string }) => h.action)).toEqual(["os_lifecycle.update", "os_lifecycle.create"]);
    expect(page.data.history[0].before).toMatchObject({ end_of_support: "2028-10-10" });
    expect(page.data.history[0].after).toMatchObject({ end_of_support: "2028-10-11" });
  });

  it("is for admins only", async () => {
    const seeded = await db()
      .selectFrom("os_lifecycle")
      .select(["id", "end_of_support", "version_no"])
      .orderBy("id")
      .executeTakeFirstOrThrow();
    for (const cookie of [lead, partner]) {
      expect((await call(lifecycleList.loader, get("/admin/os-lifecycle", cookie))).status).toBe(403);
      expect((await create({ ...valid, version: "27H1" }, cookie)).status).toBe(403);
      expect((await edit(seeded.id, { ...valid, version_no: "1" }, cookie)).status).toBe(403);
    }
    expect(await row(seeded.id)).toMatchObject({ end_of_support: seeded.end_of_support, version_no: seeded.version_no });
    expect(await db().selectFrom("os_lifecycle").select("id").where("version", "=", "27H1").execute()).toEqual([]);
  });
});
