import { beforeAll, describe, expect, it } from "vitest";
import { listScopePractices } from "~/modules/compliance/repository.server";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { clearDashboardCache, getIcbForecast } from "~/modules/dashboard/service.server";
import { getDb } from "~/utils/db.server";
import { practiceEstateStamps } from "~/utils/practice-stamp.server";
import { todayIso } from "~/utils/today";
import { addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";

// Per-practice estate stamps (migration 2026-12-04T10-00-00_practice_change), which the ICB
// dashboard keeps each practice's forecast on: F84003 and F84013 in QMF, A81001 in QHM.
const today = todayIso();
const CODES = ["F84003", "F84013", "A81001"];

async function moved(change: () => Promise<unknown>) {
  const before = (await practiceEstateStamps(getDb(), CODES)).stamps;
  await change();
  const after = (await practiceEstateStamps(getDb(), CODES)).stamps;
  return Object.fromEntries(CODES.map((c) => [c, before.get(c) !== after.get(c)]));
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await prepareCompliance(db);
  await addDevices(db, [
    desktopRow("F84003"),
    desktopRow("F84013", { purchase_date: "2021-06-01", warranty_end: "2025-06-01" }),
    desktopRow("A81001"),
  ]);
  await evaluateScope(db, { all: true }, today);
});

describe("per-practice estate stamps", () => {
  it("a write to one practice's estate moves its stamp alone; results, gaps and no-op writes move none", async () => {
    const db = getDb();
    expect(await moved(() => addDevices(db, [desktopRow("F84003", { asset_tag: "PSTAMP-1" })]))).toEqual({
      F84003: true,
      F84013: false,
      A81001: false,
    });
    expect(await moved(() => db.updateTable("site").set({ wifi_staff: false }).where("practice_code", "=", "F84013").execute())).toEqual({
      F84003: false,
      F84013: true,
      A81001: false,
    });
    expect(await moved(() => db.deleteFrom("device").where("asset_tag", "=", "PSTAMP-1").execute())).toEqual({
      F84003: true,
      F84013: false,
      A81001: false,
    });
    // The practice row itself: a real change moves it; rewriting the same values does not.
    expect(await moved(() => db.updateTable("practice").set({ list_size: 12_345 }).where("ods_code", "=", "A81001").execute())).toEqual({
      F84003: false,
      F84013: false,
      A81001: true,
    });
    expect(
      await moved(() =>
        db
          .updateTable("practice")
          .set((eb) => ({ list_size: eb.ref("list_size") }))
          .execute(),
      ),
    ).toEqual({ F84003: false, F84013: false, A81001: false });
    // Cloud telephony months (hashed by the stamp read rather than a trigger) move their practice's stamp too.
    expect(
      await moved(() =>
        db
          .insertInto("cbt_month")
          .values({ practice_code: "F84013", month: "2026-10-01", inbound: 900, answered: 850, source_file: "test.csv" })
          .execute(),
      ),
    ).toEqual({ F84003: false, F84013: true, A81001: false });
    // An evaluation writes results and gaps, not estate.
    await db
      .updateTable("device")
      .set({ os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" })
      .where("practice_code", "=", "F84003")
      .execute();
    expect(await moved(() => evaluateScope(db, { all: true }, today))).toEqual({ F84003: false, F84013: false, A81001: false });
  });

  it("the dashboard's forecast after a change in one practice equals the forecast worked out afresh for the whole ICB", async () => {
    const db = getDb();
    const codes = await listScopePractices(db, { icb: "QMF" });
    clearDashboardCache();
    const first = await getIcbForecast(db, "QMF", codes, today);
    expect(first.cached).toBe(false);
    // An ageing desktop added at F84013: its share is worked out again, F84003's is reused.
    await addDevices(db, [desktopRow("F84013", { asset_tag: "PSTAMP-2", purchase_date: "2021-01-10", warranty_end: "2027-01-10" })]);
    const after = await getIcbForecast(db, "QMF", codes, today);
    expect(after.cached).toBe(false);
    const fresh = await getIcbForecast(db, "QMF", codes, today, { fresh: true });
    const { cached: _a, computedMs: _b, ...kept } = after;
    const { cached: _c, computedMs: _d, ...whole } = fresh;
    expect(kept).toEqual(whole);
    expect(kept).not.toEqual((({ cached: _e, computedMs: _f, ...r }) => r)(first));
  });
});
