import { beforeAll, describe, expect, it } from "vitest";
import * as devices from "~/routes/api.v1.practices.$ods.devices";
import { getDb } from "~/utils/db.server";
import { apiRequest, callApi, tokenFor } from "../support/api";
import { createUser, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";

// Pushing devices through the API runs the device import's own check and commit: the messy
// inputs of test/unit/device-import-validate.test.ts, sent as JSON, give the same results, with
// each problem pointing at the device and field it is about.

let token: string;
const push = (body: unknown, query = "", ods = "F84003", t = token) =>
  callApi(devices, apiRequest("POST", `/api/v1/practices/${ods}/devices${query}`, t, body), { ods });
const stored = (tag: string) =>
  getDb().selectFrom("device").selectAll().where("practice_code", "=", "F84003").where("asset_tag", "=", tag).executeTakeFirst();
const deviceCount = async () =>
  Number(
    (
      await getDb()
        .selectFrom("device")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  await createUser(db, { email: "dp@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
  token = await tokenFor("dp@test.nhs.test");
});

describe("pushing devices", () => {
  const first = {
    devices: [
      {
        asset_tag: "PC-1",
        device_type: "Desktop PC",
        status: "Active",
        purchase_date: "31/03/2024",
        warranty_end: "30/03/2029",
        encrypted: "Y",
        managed: true,
        antivirus_up_to_date: "n",
        tpm_version: "TPM 2.0",
        ram_gb: "16 GB",
        last_patched: "21/11/2026 09:13:00",
        cpu_generation: "8th Gen",
      },
      {
        asset_tag: "PC-2",
        device_type: "laptop",
        status: "in_use",
        os_name: "Microsoft Windows 10 Pro 10.0.19045",
        ram_gb: 8,
        site_code: "clapton branch",
      },
    ],
  };

  // Each test starts from beforeAll's state (its own transaction, rolled back after it).
  /** The first test's push: PC-1 and PC-2 created. */
  const pushFirst = async () => expect((await push(first)).status).toBe(200);

  it("reads dates as people write them, Y/N/TRUE, labels for choices and units, as the import does", async () => {
    const res = await push(first);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.counts).toEqual({ rowsRead: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(res.body.run_id).toEqual(expect.any(Number));
    expect(await stored("PC-1")).toMatchObject({
      device_type: "desktop",
      status: "in_use",
      purchase_date: "2024-03-31",
      warranty_end: "2029-03-30",
      encrypted: true,
      managed: true,
      antivirus_up_to_date: false,
      tpm_version: "2.0",
      ram_gb: 16,
      last_patched: "2026-11-21",
      cpu_generation: 8,
    });
    expect(await stored("PC-2")).toMatchObject({
      os_family: "Windows 10",
      os_edition: "Pro",
      os_version: "22H2",
      os_build: "19045",
      ram_gb: 8,
      site_code: "FA1001",
    });
  });

  it("is idempotent: the same push again creates and updates nothing", async () => {
    await pushFirst();
    const again = await push(first);
    expect(again.status).toBe(200);
    expect(again.body.counts).toEqual({ rowsRead: 2, created: 0, updated: 0, unchanged: 2, rejected: 0 });
  });

  it("matches by asset tag then serial number, ignoring case, and keeps fields not sent", async () => {
    await pushFirst();
    const before = await stored("PC-1");
    const res = await push({ devices: [{ asset_tag: "PC-1", serial_number: "SN-1", make: "Dell" }] });
    expect(res.body.counts).toMatchObject({ created: 0, updated: 1 });
    expect(await stored("PC-1")).toMatchObject({
      id: before!.id,
      serial_number: "SN-1",
      make: "Dell",
      device_type: "desktop",
      ram_gb: 16,
      version: before!.version + 1,
    });
    // Matched by serial number whatever its case; the values are stored as sent.
    const bySerial = await push({ devices: [{ serial_number: "sn-1", model: "OptiPlex 7010" }] });
    expect(bySerial.body.counts).toMatchObject({ created: 0, updated: 1 });
    const after = await getDb().selectFrom("device").selectAll().where("id", "=", before!.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ asset_tag: "PC-1", serial_number: "sn-1", model: "OptiPlex 7010", make: "Dell" });
  });

  it("refuses the whole push when any device is not valid, pointing at each field", async () => {
    const count = await deviceCount();
    const res = await push({
      devices: [
        { asset_tag: "A1", device_type: "gizmo", purchase_date: "31/02/2024", encrypted: "maybe", site_code: "FA1001" },
        { asset_tag: "", device_type: "laptop" },
        { asset_tag: "A6", device_type: "laptop", site_code: "Nowhere" },
        { asset_tag: "A7", device_type: "laptop" },
        { asset_tag: "a7", device_type: "laptop" },
        { asset_tag: "A8" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/^5 of 6 devices are not valid, so nothing was changed/);
    expect(res.body.errors).toEqual([
      { pointer: "/devices/0/device_type", detail: expect.stringMatching(/^Type "gizmo" is not recognised. Use one of: Desktop, Laptop/) },
      { pointer: "/devices/0/purchase_date", detail: "Purchase date must be a real date, like 31/03/2024" },
      { pointer: "/devices/0/encrypted", detail: "Encrypted must be yes, no or blank" },
      { pointer: "/devices/1/asset_tag", detail: "Enter an asset tag or a serial number" },
      { pointer: "/devices/2/site_code", detail: "Site Nowhere is not one of practice F84003's sites (F84003, FA1001)" },
      { pointer: "/devices/4/asset_tag", detail: "Asset tag a7 appears more than once in this file (rows 4 and 5)" },
      { pointer: "/devices/5/device_type", detail: "Enter the type of device" },
    ]);
    expect(await deviceCount()).toBe(count);
  });

  it("with skip_invalid, writes the valid devices and reports the others, as the file import does", async () => {
    const res = await push(
      {
        devices: [
          { asset_tag: "B1", device_type: "laptop" },
          { asset_tag: "B2", device_type: "gizmo" },
        ],
      },
      "?skip_invalid=true",
    );
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ created: 1, rejected: 1 });
    expect(res.body.errors).toEqual([
      { index: 1, field: "device_type", pointer: "/devices/1/device_type", detail: expect.stringMatching(/^Type "gizmo"/) },
    ]);
    expect(await stored("B1")).toBeDefined();
    expect(await stored("B2")).toBeUndefined();
  });

  it("a dry run reports and writes nothing", async () => {
    const count = await deviceCount();
    const res = await push({ devices: [{ asset_tag: "C1", device_type: "laptop", warranty_end: "01/01/2025" }] }, "?dry_run=true");
    expect(res.body).toMatchObject({ dry_run: true, run_id: null, counts: { created: 1 } });
    expect(res.body.warnings).toEqual([
      { index: 0, field: "warranty_end", pointer: "/devices/0/warranty_end", detail: "Warranty ended on 1 January 2025" },
    ]);
    expect(await deviceCount()).toBe(count);
  });

  it("refuses a device that takes another device's serial number", async () => {
    await push({
      devices: [
        { asset_tag: "D1", serial_number: "S-D1", device_type: "laptop" },
        { asset_tag: "D2", serial_number: "S-D2", device_type: "laptop" },
      ],
    });
    const res = await push({ devices: [{ asset_tag: "D1", serial_number: "S-D2" }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        pointer: "/devices/0/serial_number",
        detail: "Serial number S-D2 already belongs to another device at practice F84003 (asset tag D2)",
      },
    ]);
  });

  it("records who pushed, with the token, in the audit trail, in the same transaction as the change", async () => {
    const tokenRow = await getDb().selectFrom("api_token").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    await push({ devices: [{ asset_tag: "E1", device_type: "tablet" }] });
    const e1 = await stored("E1");
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["action", "api_token_id", "user_id"])
      .where((eb) => eb.or([eb("entity_id", "=", String(e1!.id)).and("entity_type", "=", "device"), eb("action", "=", "device.import")]))
      .orderBy("id", "desc")
      .execute();
    expect(events.find((e) => e.action === "device.create")).toMatchObject({ api_token_id: tokenRow.id });
    expect(events.find((e) => e.action === "device.import")).toMatchObject({ api_token_id: tokenRow.id });
  });
});

describe("what the body may be", () => {
  it("names unknown fields, a missing identifier and too many devices", async () => {
    const unknown = await push({ devices: [{ asset_tag: "X", colour: "red" }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe("/devices/0");
    expect(unknown.body.errors[0].detail).toMatch(/colour/);
    const noKey = await push({ devices: [{ device_type: "laptop" }] });
    expect(noKey.status).toBe(400);
    expect(noKey.body.detail).toMatch(/asset tag or the serial number/);
    const many = await push({ devices: Array.from({ length: 5001 }, (_, i) => ({ asset_tag: `M${i}` })) });
    expect(many.status).toBe(400);
    expect(many.body.errors).toEqual([{ pointer: "/devices", detail: "Send at most 5000 devices at a time" }]);
  });

  it("refuses a body that is not JSON (415), not valid JSON (400) or too large (413)", async () => {
    const form = await callApi(
      devices,
      apiRequest("POST", "/api/v1/practices/F84003/devices", token, "a=b", { "Content-Type": "application/x-www-form-urlencoded" }),
      { ods: "F84003" },
    );
    expect(form.status).toBe(415);
    const broken = await callApi(devices, apiRequest("POST", "/api/v1/practices/F84003/devices", token, "{devices:"), { ods: "F84003" });
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toBe("The body is not valid JSON.");
    const huge = await callApi(
      devices,
      apiRequest("POST", "/api/v1/practices/F84003/devices", token, `{"devices":[{"notes":"${"x".repeat(6 * 1024 * 1024)}"}]}`),
      { ods: "F84003" },
    );
    expect(huge.status).toBe(413);
  });

  it("answers 405 to a method the address does not take", async () => {
    const res = await callApi(devices, apiRequest("DELETE", "/api/v1/practices/F84003/devices", token), { ods: "F84003" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET, POST");
  });
});

describe("listing devices", () => {
  /** Six devices at F84003, three of them laptops: three pages of two. */
  async function pushSix() {
    const types = ["desktop", "laptop", "laptop", "tablet", "laptop", "desktop"];
    const res = await push({ devices: types.map((device_type, i) => ({ asset_tag: `L${i + 1}`, device_type })) });
    expect(res.body.counts).toMatchObject({ created: 6, rejected: 0 });
  }

  it("pages with an opaque cursor and applies the devices page's filters", async () => {
    await pushSix();
    const list = (q: string) => callApi(devices, apiRequest("GET", `/api/v1/practices/F84003/devices${q}`, token), { ods: "F84003" });
    const first = await list("?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    const total = first.body.page.total;
    expect(total).toBeGreaterThan(3);
    const seen = first.body.data.map((d: { id: number }) => d.id);
    let next = first.body.page.next;
    while (next) {
      const page = await list(`?cursor=${encodeURIComponent(next)}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((d: { id: number }) => d.id));
      next = page.body.page.next;
    }
    expect(new Set(seen).size).toBe(total);
    const laptops = await list("?type=laptop");
    expect(laptops.body.data.every((d: { device_type: string }) => d.device_type === "laptop")).toBe(true);
    const bad = await list("?type=gizmo&limit=500");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(["#/query/limit", "#/query/type"]);
    const forged = await list("?cursor=bm9wZQ");
    expect(forged.status).toBe(400);
  });
});
