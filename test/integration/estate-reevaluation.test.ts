import { beforeAll, describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice, updateDevice } from "~/modules/devices/service.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { seedEstateWithPartner } from "../support/estate-seed";

let actor: number;

/** The stored result for a practice and requirement on today's date (latest change on or before it). */
async function resultFor(ods: string, requirementId: string) {
  return getDb()
    .selectFrom("evaluation_result")
    .select(["status", "reason"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", requirementId)
    .where("as_of", "<=", todayIso())
    .orderBy("as_of", "desc")
    .executeTakeFirst();
}

const device = (os: Record<string, string>) =>
  DeviceInputSchema.parse({ asset_tag: "LC-0001", device_type: "desktop", status: "in_use", site_code: "F84003", ...os });
const WINDOWS_10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };
const WINDOWS_11 = { os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" };
/** LC-0001 added to F84003 on `os` by the delivery partner (refused when F84003 already has an LC-0001). */
const addLc0001 = (os: Record<string, string>) => createDevice(getDb(), actor, "F84003", device(os));

beforeAll(async () => {
  actor = await seedEstateWithPartner(getDb(), "dp@test.nhs.test");
});

describe("estate changes re-check compliance in the same transaction", () => {
  it("changing a device's operating system changes the practice's DEV-02 result at once", async () => {
    const created = await addLc0001(WINDOWS_10);
    expect(created.ok).toBe(true);
    const before = await resultFor("F84003", "DEV-02");
    expect(before?.status).toBe("not_met");
    expect(before?.reason).toMatch(/Windows 10/);

    const id = (created as { id: number }).id;
    const updated = await updateDevice(getDb(), actor, "F84003", id, 1, device(WINDOWS_11));
    expect(updated.ok).toBe(true);
    expect((await resultFor("F84003", "DEV-02"))?.status).toBe("met");
    // Other practices are not touched by this practice's change.
    expect(await resultFor("F84013", "DEV-02")).toBeUndefined();
  });

  it("a refused change leaves the results as they were", async () => {
    // LC-0001 on Windows 11, so DEV-02 is met and a second LC-0001 on Windows 10 would change it.
    const first = await addLc0001(WINDOWS_11);
    expect(first.ok).toBe(true);
    const before = await resultFor("F84003", "DEV-02");
    const clash = await addLc0001(WINDOWS_10);
    expect(clash.ok).toBe(false);
    expect(await resultFor("F84003", "DEV-02")).toEqual(before);
  });
});

describe("re-checking the practices a change touched", () => {
  it("reports progress by practice, ending with every practice checked and their results stored", async () => {
    const { reevaluateAfterChange } = await import("~/modules/estate/reevaluate.server");
    const db = getDb();
    const codes = ["F84003", "F84013", "A81001"];
    const progress: { done: number; total: number }[] = [];
    await db.transaction().execute((trx) => reevaluateAfterChange(trx, codes, actor, (p) => progress.push(p)));
    expect(progress[0]).toEqual({ done: 0, total: 3 });
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    for (const ods of codes) expect(await resultFor(ods, "DEV-02"), ods).toBeDefined();
  });
});
