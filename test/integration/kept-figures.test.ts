import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { listScopePractices } from "~/modules/compliance/repository.server";
import { clearDashboardCache, forgetDashboardFigures, getIcbDashboard, getIcbForecast } from "~/modules/dashboard/service.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";

// Issue 12: the dashboard's forecast shares and figures are kept in the database (kept_figure),
// so a second server process, or this one after a restart, reads them instead of running the
// rules. clearDashboardCache() empties this process's memory: what a new process starts with.
const today = todayIso();
const QMF = { code: "QMF", name: "NHS North East London Integrated Care Board" };
let codes: string[];

const figures = <T extends { cached: boolean; computedMs: number; recomputed: number }>({
  cached: _c,
  computedMs: _m,
  recomputed: _r,
  ...rest
}: T) => rest;

async function keptRows(kind: string) {
  return getDb()
    .selectFrom("kept_figure")
    .select(["owner", "key"])
    .where("kind", "=", kind as "forecast_part")
    .orderBy("owner")
    .execute();
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await prepareCompliance(db);
  await addDevices(db, [
    desktopRow("F84003", { purchase_date: "2021-03-01", warranty_end: "2026-09-01" }),
    desktopRow("F84013", { purchase_date: "2021-06-01", warranty_end: "2025-06-01" }),
    desktopRow("A81001"),
  ]);
  await evaluateScope(db, { all: true }, today);
  await ensureDefaultPrices(db);
  codes = await listScopePractices(db, { icb: "QMF" });
});

describe("forecast shares kept in the database", () => {
  it("a second process reads every share and runs no rules; a change to one practice recomputes that one alone", async () => {
    const db = getDb();
    expect(codes.length).toBeGreaterThanOrEqual(2);
    await forgetDashboardFigures(db);
    const first = await getIcbForecast(db, "QMF", codes, today);
    expect(first.recomputed).toBe(codes.length);
    expect(first.cached).toBe(false);
    expect((await keptRows("forecast_part")).map((r) => r.owner)).toEqual([...codes].sort());
    expect(first.horizons.at(-1)!.total.lapses).toBeGreaterThan(0);

    // A new process: nothing in memory, every share in the database under the same key.
    clearDashboardCache();
    const second = await getIcbForecast(db, "QMF", codes, today);
    expect(second.recomputed).toBe(0);
    expect(second.cached).toBe(true);
    expect(figures(second)).toEqual(figures(first));

    // A device at F84013 changes: another new process recomputes F84013 alone, and the figures
    // equal the whole ICB worked out afresh.
    const keysBefore = new Map((await keptRows("forecast_part")).map((r) => [r.owner, r.key]));
    await addDevices(db, [desktopRow("F84013", { asset_tag: "KEPT-1", purchase_date: "2021-01-10", warranty_end: "2027-01-10" })]);
    clearDashboardCache();
    const third = await getIcbForecast(db, "QMF", codes, today);
    expect(third.recomputed).toBe(1);
    const keysAfter = new Map((await keptRows("forecast_part")).map((r) => [r.owner, r.key]));
    expect(codes.filter((c) => keysAfter.get(c) !== keysBefore.get(c))).toEqual(["F84013"]);
    clearDashboardCache();
    const fresh = await getIcbForecast(db, "QMF", codes, today, { fresh: true });
    expect(fresh.recomputed).toBe(codes.length);
    expect(figures(third)).toEqual(figures(fresh));
    expect(figures(third)).not.toEqual(figures(first));

    // A share kept under another key (another day) is never read: it is worked out again.
    clearDashboardCache();
    const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
    expect((await getIcbForecast(db, "QMF", codes, tomorrow)).recomputed).toBe(codes.length);
  });

  it("the ICB's dashboard figures kept by one process are read by the next, equal to working them out", async () => {
    const db = getDb();
    await forgetDashboardFigures(db);
    const computed = await getIcbDashboard(db, QMF, { all: true }, today);
    expect(computed.forecast.cached).toBe(false);
    expect(await keptRows("icb_dashboard")).toHaveLength(1);
    clearDashboardCache();
    const read = await getIcbDashboard(db, QMF, { all: true }, today);
    expect(read.forecast.cached).toBe(true);
    expect(read.forecast.recomputed).toBe(0);
    expect({ ...read, forecast: figures(read.forecast) }).toEqual({ ...computed, forecast: figures(computed.forecast) });
    // After a change in the ICB the kept figures no longer match its stamp: worked out again.
    await addDevices(db, [desktopRow("F84003", { asset_tag: "KEPT-2" })]);
    clearDashboardCache();
    const after = await getIcbDashboard(db, QMF, { all: true }, today);
    expect(after.forecast.cached).toBe(false);
    expect(after.forecast.recomputed).toBe(1);
  });
});
