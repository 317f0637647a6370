import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { devicesDigest } from "~/modules/devices/import/repository.server";
import { getDb } from "~/utils/db.server";
import { seedEstateWithPartner } from "../support/estate-seed";

/**
 * The digest of a set of practices' devices that the import compares with its kept check instead
 * of reading every device again (repository.server.ts, check-cache.server.ts): any change to a
 * device the check read must change it, and nothing else may.
 */

const db = () => getDb();
const PRACTICES = ["F84013", "A81001"];

beforeAll(async () => {
  await seedEstateWithPartner(db(), "digest@test.nhs.test");
  await db()
    .insertInto("device")
    .values([
      { practice_code: "F84013", asset_tag: "DG-1", device_type: "desktop", status: "in_use", notes: "desk 1" },
      { practice_code: "F84013", asset_tag: "DG-2", device_type: "laptop", status: "in_use", purchase_date: "2024-01-02" },
      { practice_code: "A81001", serial_number: "SN-DG-3", device_type: "laptop", status: "spare" },
      { practice_code: "F84003", asset_tag: "DG-4", device_type: "desktop", status: "in_use" },
    ])
    .execute();
});

const digest = () => devicesDigest(db(), PRACTICES);

describe("the digest of the devices an import's check read", () => {
  it("is the same when nothing changed, and names how many devices it covers", async () => {
    const first = await digest();
    expect(first).toMatch(/^3:-?\d+$/);
    expect(await digest()).toBe(first);
    expect(await devicesDigest(db(), [])).toBe("");
  });

  it("changes when a field changes, even to and fro, and when a device is added or removed", async () => {
    const before = await digest();
    const id = (await db().selectFrom("device").select("id").where("asset_tag", "=", "DG-1").executeTakeFirstOrThrow()).id;
    // A field changed without the version (as no product code does): still seen.
    await sql`update device set notes = 'desk 2' where id = ${id}`.execute(db());
    const changed = await digest();
    expect(changed).not.toBe(before);
    // Changed back, with the version moved on as every change through the product does.
    await sql`update device set notes = 'desk 1', version = version + 1 where id = ${id}`.execute(db());
    expect(await digest()).not.toBe(before);
    await sql`update device set version = version - 1 where id = ${id}`.execute(db());
    expect(await digest()).toBe(before);
    await sql`update device set purchase_date = null where asset_tag = 'DG-2'`.execute(db());
    expect(await digest()).not.toBe(before);
    await sql`update device set purchase_date = '2024-01-02' where asset_tag = 'DG-2'`.execute(db());
    expect(await digest()).toBe(before);
    await db()
      .insertInto("device")
      .values({ practice_code: "A81001", asset_tag: "DG-5", device_type: "desktop", status: "in_use" })
      .execute();
    const added = await digest();
    expect(added).toMatch(/^4:/);
    await db().deleteFrom("device").where("asset_tag", "=", "DG-5").execute();
    expect(await digest()).toBe(before);
    await db().deleteFrom("device").where("asset_tag", "=", "DG-2").execute();
    expect(await digest()).toMatch(/^2:/);
  });

  it("covers only the practices asked for", async () => {
    const before = await digest();
    await sql`update device set notes = 'elsewhere' where asset_tag = 'DG-4'`.execute(db());
    expect(await digest()).toBe(before);
  });
});
