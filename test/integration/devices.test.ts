import { beforeAll, describe, expect, it } from "vitest";
import * as list from "~/routes/practices.$ods.devices._index";
import * as newDevice from "~/routes/practices.$ods.devices.new";
import * as devicePage from "~/routes/practices.$ods.devices.$id._index";
import * as editDevice from "~/routes/practices.$ods.devices.$id.edit";
import * as retire from "~/routes/practices.$ods.devices.$id.retire";
import * as remove from "~/routes/practices.$ods.devices.$id.delete";
import { getDb } from "~/utils/db.server";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { call, cookieFor, get, post, flashFor } from "../support/requests";
import { EMAILS } from "../support/scoping";

const db = () => getDb();
const c: Record<string, string> = {};
let partnerId: number;

beforeAll(async () => {
  await seedOrgs(db());
  const ids = await createRoleUsers(db());
  partnerId = ids.partnerIcb;
  await ensureLifecycleSeed(db());
  await seedSites(db());
  for (const role of ["admin", "icbLead", "partnerIcb", "partnerPractice", "practiceManager"] as const)
    c[role] = await cookieFor(EMAILS[role]);
});

const url = (ods: string, rest = "") => `/practices/${ods}/devices${rest}`;
const valid = {
  device_type: "desktop",
  status: "in_use",
  asset_tag: "NEL-0001",
  serial_number: "SN-0001",
  make: "Dell",
  model: "OptiPlex 7060",
  site_code: "F84003",
  os_family: "Windows 10",
  os_edition: "Pro",
  os_version: "22H2",
  purchase_date: "30/06/2019",
};

function create(ods: string, fields: Record<string, string>, cookie = c.partnerIcb) {
  return call(newDevice.action, post(url(ods, "/new"), fields, { cookie }), { ods });
}
const idFrom = (location: string | null) => Number(location?.split("?")[0].split("/").pop());
const deviceRow = (id: number) => db().selectFrom("device").selectAll().where("id", "=", id).executeTakeFirst();
const countDevices = async () => (await db().selectFrom("device").select("id").execute()).length;
const auditFor = (id: number) =>
  db()
    .selectFrom("audit_event")
    .selectAll()
    .where("entity_type", "=", "device")
    .where("entity_id", "=", String(id))
    .orderBy("id")
    .execute();

describe("adding a device", () => {
  it("reports each invalid field next to it and writes nothing", async () => {
    const before = await countDevices();
    const res = await create("F84003", {
      device_type: "",
      status: "in_use",
      asset_tag: "",
      serial_number: "",
      purchase_date: "31/02/2024",
      ram_gb: "lots",
    });
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors).toMatchObject({
      device_type: "Select the type of device",
      purchase_date: "Purchase date must be a real date, like 31/03/2024",
      ram_gb: expect.stringMatching(/^Memory \(GB\) must be a whole number/),
    });
    // The cross-field checks run once each field is valid on its own.
    const unnamed = await create("F84003", { ...valid, asset_tag: "", serial_number: "" });
    expect(unnamed.data.fieldErrors).toEqual({ asset_tag: "Enter an asset tag or a serial number" });
    expect(await countDevices()).toBe(before);
  });

  it("saves the device for the practice in the URL, with an audit event", async () => {
    const res = await create("F84003", valid);
    expect(res.status).toBe(302);
    const id = idFrom(res.location);
    // The device page, confirming the save.
    expect(res.location).toBe(`/practices/F84003/devices/${id}`);
    expect(await flashFor(c.partnerIcb)).toBe("Device added.");
    expect(await deviceRow(id)).toMatchObject({
      practice_code: "F84003",
      asset_tag: "NEL-0001",
      purchase_date: "2019-06-30",
      site_code: "F84003",
      version: 1,
    });
    const audit = await auditFor(id);
    expect(audit.map((a) => [a.action, a.user_id])).toEqual([["device.create", partnerId]]);
    expect(audit[0].after).toMatchObject({ asset_tag: "NEL-0001", practice_code: "F84003" });
  });

  it("refuses an asset tag or serial already used at the practice, whatever the case", async () => {
    expect((await create("F84003", valid)).status).toBe(302); // NEL-0001, serial SN-0001
    const before = await countDevices();
    const res = await create("F84003", { ...valid, asset_tag: "nel-0001", serial_number: "sn-0001" });
    expect(res.data.fieldErrors).toEqual({
      asset_tag: "Another device at this practice already has asset tag nel-0001",
      serial_number: "Another device at this practice already has serial number sn-0001",
    });
    expect(await countDevices()).toBe(before);
  });

  it("allows the same asset tag at another practice", async () => {
    const res = await create("F84013", { ...valid, site_code: "F84013" });
    expect(res.status).toBe(302);
    expect((await deviceRow(idFrom(res.location)))?.practice_code).toBe("F84013");
  });

  it("refuses a site that belongs to another practice", async () => {
    const res = await create("F84003", { ...valid, asset_tag: "NEL-0002", serial_number: "", site_code: "F84013" });
    expect(res.data.fieldErrors).toEqual({ site_code: "Site F84013 is not one of this practice's sites" });
    const branch = await create("F84003", { ...valid, asset_tag: "NEL-0002", serial_number: "", site_code: "FA1001" });
    expect(branch.status).toBe(302);
  });
});

describe("changing a device", () => {
  let id: number;
  beforeAll(async () => {
    id = idFrom((await create("F84003", { ...valid, asset_tag: "EDIT-1", serial_number: "" })).location);
  });
  const edit = (fields: Record<string, string>, cookie = c.partnerIcb, ods = "F84003", deviceId = id) =>
    call(editDevice.action, post(url(ods, `/${deviceId}/edit`), fields, { cookie }), { ods, id: String(deviceId) });
  // Each test starts from the device as beforeAll made it (version 1); this is the first test's change.
  const changeModel = async () =>
    expect((await edit({ ...valid, asset_tag: "EDIT-1", serial_number: "", model: "OptiPlex 7070", version: "1" })).status).toBe(302);

  it("saves a change and records before and after", async () => {
    const res = await edit({ ...valid, asset_tag: "EDIT-1", serial_number: "", model: "OptiPlex 7070", version: "1" });
    expect(res.status).toBe(302);
    expect(await deviceRow(id)).toMatchObject({ model: "OptiPlex 7070", version: 2 });
    const update = (await auditFor(id)).find((a) => a.action === "device.update");
    expect(update?.before).toMatchObject({ model: "OptiPlex 7060", version: 1 });
    expect(update?.after).toMatchObject({ model: "OptiPlex 7070", version: 2 });
  });

  it("refuses a save made from a stale page, keeping the database as it was", async () => {
    await changeModel();
    const res = await edit({ ...valid, asset_tag: "EDIT-1", serial_number: "", model: "Overwritten", version: "1" });
    expect(res.status).toBe(409);
    expect(res.data).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/^Someone else changed this device since you opened it/),
    });
    expect(await deviceRow(id)).toMatchObject({ model: "OptiPlex 7070", version: 2 });
  });

  it("refuses another device's asset tag on edit", async () => {
    await changeModel();
    expect((await create("F84003", valid)).status).toBe(302); // NEL-0001
    const res = await edit({ ...valid, serial_number: "", version: "2" });
    expect(res.data.fieldErrors).toEqual({ asset_tag: "Another device at this practice already has asset tag NEL-0001" });
  });

  it("shows the derived facts and the history on the device page", async () => {
    await changeModel();
    const res = await call(devicePage.loader, get(url("F84003", `/${id}`), c.icbLead), { ods: "F84003", id: String(id) });
    expect(res.data.canEdit).toBe(false);
    expect(res.data.derived.support).toMatchObject({ state: "unsupported", endOfSupport: "2025-10-14" });
    expect(res.data.history.map((h: { action: string }) => h.action)).toEqual(["device.update", "device.create"]);
  });
});

describe("retiring and deleting", () => {
  it("retires a device on a date, with before and after in the audit trail", async () => {
    const id = idFrom((await create("F84003", { ...valid, asset_tag: "RET-1", serial_number: "" })).location);
    const path = url("F84003", `/${id}/retire`);
    const page = await call(retire.loader, get(path, c.partnerIcb), { ods: "F84003", id: String(id) });
    expect(page.data.device.asset_tag).toBe("RET-1");
    const future = await call(retire.action, post(path, { disposed_date: "01/01/2199", version: "1" }, { cookie: c.partnerIcb }), {
      ods: "F84003",
      id: String(id),
    });
    expect(future.data.fieldErrors).toEqual({ disposed_date: "Disposal date must be today or in the past" });
    const res = await call(retire.action, post(path, { disposed_date: "15/01/2025", version: "1" }, { cookie: c.partnerIcb }), {
      ods: "F84003",
      id: String(id),
    });
    expect(res.status).toBe(302);
    expect(await deviceRow(id)).toMatchObject({ status: "disposed", disposed_date: "2025-01-15", version: 2 });
    const event = (await auditFor(id)).find((a) => a.action === "device.retire");
    expect(event?.before).toMatchObject({ status: "in_use", disposed_date: null });
    expect(event?.after).toMatchObject({ status: "disposed", disposed_date: "2025-01-15" });
    const again = await call(retire.action, post(path, { disposed_date: "15/01/2025", version: "2" }, { cookie: c.partnerIcb }), {
      ods: "F84003",
      id: String(id),
    });
    expect(again.data.formError).toBe("This device is already recorded as disposed of.");
  });

  it("deletes a device after confirmation, keeping the whole row in the audit event", async () => {
    const id = idFrom((await create("F84003", { ...valid, asset_tag: "DEL-1", serial_number: "SER-DEL-1" })).location);
    const path = url("F84003", `/${id}/delete`);
    const page = await call(remove.loader, get(path, c.partnerIcb), { ods: "F84003", id: String(id) });
    expect(page.data.device.asset_tag).toBe("DEL-1");
    expect(await deviceRow(id)).toBeDefined();
    const stale = await call(remove.action, post(path, { version: "9" }, { cookie: c.partnerIcb }), { ods: "F84003", id: String(id) });
    expect(stale.data.formError).toMatch(/^Someone else changed this device/);
    const res = await call(remove.action, post(path, { version: "1" }, { cookie: c.partnerIcb }), { ods: "F84003", id: String(id) });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/practices/F84003/devices");
    expect(await deviceRow(id)).toBeUndefined();
    const event = (await auditFor(id)).find((a) => a.action === "device.delete");
    expect(event?.before).toMatchObject({ id, asset_tag: "DEL-1", serial_number: "SER-DEL-1", make: "Dell", practice_code: "F84003" });
    expect(event?.after).toBeNull();
  });
});

describe("who may change devices", () => {
  let id: number;
  beforeAll(async () => {
    id = idFrom((await create("F84003", { ...valid, asset_tag: "SCOPE-1", serial_number: "" })).location);
  });
  const p = (rest: string) => url("F84003", rest);

  it("a practice manager can read their devices but gets 403 on every change", async () => {
    const read = await call(list.loader, get(p(""), c.practiceManager), { ods: "F84003" });
    expect(read.status).toBe(200);
    expect(read.data.canEdit).toBe(false);
    const before = await countDevices();
    const params = { ods: "F84003", id: String(id) };
    expect(
      (await call(newDevice.action, post(p("/new"), { ...valid, asset_tag: "PM-1" }, { cookie: c.practiceManager }), { ods: "F84003" }))
        .status,
    ).toBe(403);
    expect(
      (
        await call(
          editDevice.action,
          post(p(`/${id}/edit`), { ...valid, asset_tag: "PM-2", version: "1" }, { cookie: c.practiceManager }),
          params,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          retire.action,
          post(p(`/${id}/retire`), { disposed_date: "01/01/2025", version: "1" }, { cookie: c.practiceManager }),
          params,
        )
      ).status,
    ).toBe(403);
    expect((await call(remove.action, post(p(`/${id}/delete`), { version: "1" }, { cookie: c.practiceManager }), params)).status).toBe(403);
    expect(await countDevices()).toBe(before);
    expect(await deviceRow(id)).toMatchObject({ asset_tag: "SCOPE-1", status: "in_use", version: 1 });
  });

  it("a delivery partner for F84013 only cannot see or change F84003's devices", async () => {
    const params = { ods: "F84003", id: String(id) };
    expect((await call(list.loader, get(p(""), c.partnerPractice), { ods: "F84003" })).status).toBe(404);
    expect((await call(devicePage.loader, get(p(`/${id}`), c.partnerPractice), params)).status).toBe(404);
    expect(
      (await call(newDevice.action, post(p("/new"), { ...valid, asset_tag: "DP2-1" }, { cookie: c.partnerPractice }), { ods: "F84003" }))
        .status,
    ).toBe(404);
    expect((await call(remove.action, post(p(`/${id}/delete`), { version: "1" }, { cookie: c.partnerPractice }), params)).status).toBe(404);
  });

  it("posting F84003's device id under F84013's URL finds nothing and changes nothing", async () => {
    const own = { ods: "F84013", id: String(id) };
    const q = (rest: string) => url("F84013", `/${id}${rest}`);
    const page = await call(devicePage.loader, get(q(""), c.partnerPractice), own);
    expect(page.status).toBe(404);
    expect(
      (await call(editDevice.action, post(q("/edit"), { ...valid, asset_tag: "HIJACK", version: "1" }, { cookie: c.partnerPractice }), own))
        .status,
    ).toBe(404);
    expect(
      (await call(retire.action, post(q("/retire"), { disposed_date: "01/01/2025", version: "1" }, { cookie: c.partnerPractice }), own))
        .status,
    ).toBe(404);
    expect((await call(remove.action, post(q("/delete"), { version: "1" }, { cookie: c.partnerPractice }), own)).status).toBe(404);
    expect(await deviceRow(id)).toMatchObject({ practice_code: "F84003", asset_tag: "SCOPE-1", status: "in_use", version: 1 });
    expect((await auditFor(id)).map((a) => a.action)).toEqual(["device.create"]);
  });
});

describe("the device list", () => {
  // A81001's register, checked on fixed dates around Windows 10's end of support.
  beforeAll(async () => {
    const base = { practice_code: "A81001", status: "in_use" as const, site_code: "A81001" };
    await db()
      .insertInto("device")
      .values([
        {
          ...base,
          asset_tag: "L-1",
          device_type: "desktop",
          make: "HP",
          model: "EliteDesk 800 G4",
          os_family: "Windows 10",
          os_edition: "Pro",
          os_version: "22H2",
          warranty_end: "2027-01-01",
          purchase_date: "2019-01-01",
        },
        {
          ...base,
          asset_tag: "L-2",
          device_type: "laptop",
          make: "Lenovo",
          model: "ThinkPad T14",
          os_family: "Windows 11",
          os_edition: "Pro",
          os_version: "24H2",
          warranty_end: "2025-01-01",
          purchase_date: "2022-01-01",
        },
        {
          ...base,
          asset_tag: "L-3",
          device_type: "desktop",
          make: "Dell",
          model: "OptiPlex 3050",
          os_family: "Windows 10",
          os_edition: "Pro",
          os_version: null,
          warranty_end: null,
          purchase_date: null,
        },
        {
          ...base,
          asset_tag: "L-4",
          device_type: "monitor",
          make: "Iiyama",
          model: "ProLite",
          warranty_end: "2027-01-01",
          purchase_date: "2021-01-01",
        },
        {
          ...base,
          asset_tag: "L-5",
          device_type: "desktop",
          status: "disposed",
          disposed_date: "2025-01-01",
          os_family: "Windows 10",
          os_edition: "Pro",
          os_version: "22H2",
        },
      ])
      .execute();
  });
  const tags = async (qs: string) => {
    const res = await call(list.loader, get(`${url("A81001")}?${qs}`, c.admin), { ods: "A81001" });
    expect(res.status).toBe(200);
    return res.data.page.rows.map((r: { asset_tag: string }) => r.asset_tag);
  };

  it("filters by operating system support on the as-of date", async () => {
    expect(await tags("os=unsupported&as_of=2025-10-15")).toEqual(["L-1"]);
    expect(await tags("os=unsupported&as_of=14/10/2025")).toEqual([]);
    expect(await tags("os=supported&as_of=2025-10-14")).toEqual(["L-1", "L-2"]);
    expect(await tags("os=unknown&as_of=2025-10-15")).toEqual(["L-3"]);
  });

  it("filters by expired warranty, type, status and text", async () => {
    expect(await tags("warranty=expired&as_of=2026-01-01")).toEqual(["L-2"]);
    expect(await tags("type=desktop")).toEqual(["L-1", "L-3"]);
    expect(await tags("status=disposed")).toEqual(["L-5"]);
    expect(await tags("status=all")).toEqual(["L-1", "L-2", "L-3", "L-4", "L-5"]);
    expect(await tags("q=thinkpad")).toEqual(["L-2"]);
    expect(await tags("q=%25")).toEqual([]);
    expect(await tags("type=toaster&sort=nonsense")).toEqual(["L-1", "L-2", "L-3", "L-4"]);
  });

  it("counts the register above the list", async () => {
    const res = await call(list.loader, get(`${url("A81001")}?as_of=2026-01-01&type=monitor`, c.admin), { ods: "A81001" });
    expect(res.data.summary).toEqual({ total: 4, unsupportedOs: 1, warrantyExpired: 1 });
    expect(res.data.canEdit).toBe(true);
  });

  it("sorts either way with blanks last and pages without repeats", async () => {
    expect(await tags("sort=warranty_end&dir=desc")).toEqual(["L-1", "L-4", "L-2", "L-3"]);
    expect(await tags("sort=end_of_support&dir=asc&as_of=2026-01-01")).toEqual(["L-1", "L-2", "L-3", "L-4"]);
    await db()
      .insertInto("device")
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          practice_code: "A81001",
          asset_tag: `P-${i + 1}`,
          device_type: "monitor",
          status: "in_use" as const,
          purchase_date: "2020-01-01",
        })),
      )
      .execute();
    const first = await tags("type=monitor&sort=purchase_date");
    const second = await tags("type=monitor&sort=purchase_date&page=2");
    expect(first).toHaveLength(25);
    expect(second).toHaveLength(6);
    expect(new Set([...first, ...second]).size).toBe(31);
    // Equal purchase dates keep insertion (id) order.
    expect(first.slice(0, 3)).toEqual(["P-1", "P-2", "P-3"]);
    expect((await tags("type=monitor&sort=asset_tag&dir=desc")).slice(0, 3)).toEqual(["P-30", "P-29", "P-28"]);
  });
});
