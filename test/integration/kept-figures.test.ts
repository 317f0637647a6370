import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { listScopePractices } from "~/modules/compliance/repository.server";
import {
  clearDashboardCache,
  forgetDashboardFigures,
  getIcbDashboard,
  getIcbForecast,
  prepareNextDayForecasts,
} from "~/modules/dashboard/service.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import { forecastEachPractice } from "~/modules/compliance/forecast/service.server";
import type { PracticeForecastPart } from "~/modules/dashboard/forecast-parts";
import { readKeptFiguresOf } from "~/modules/kept-figures/service.server";
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

const figures = <T extends { cached: boolean; computedMs: number; recomputed: number; carried: number }>({
  cached: _c,
  computedMs: _m,
  recomputed: _r,
  carried: _carried,
  ...rest
}: T) => rest;
const nextDay = (iso: string) => new Date(Date.parse(iso) + 86_400_000).toISOString().slice(0, 10);

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

    // A share kept on another day is worked out again, or carried when its timeline's inputs
    // are the same on the new day: either way the figures are the new day's.
    clearDashboardCache();
    const tomorrow = nextDay(today);
    const next = await getIcbForecast(db, "QMF", codes, tomorrow);
    expect(next.recomputed + next.carried).toBe(codes.length);
    clearDashboardCache();
    expect(figures(next)).toEqual(figures(await getIcbForecast(db, "QMF", codes, tomorrow, { fresh: true })));
  });

  it("a share kept on the day before is carried to the next day only where the practice's timeline inputs are the same", async () => {
    const db = getDb();
    // A device at F84013 whose warranty ends on a day of its own: F84013's forecast changes for
    // the worse on a date no other QMF practice has a reason to change on.
    await addDevices(db, [desktopRow("F84013", { asset_tag: "KEPT-W", purchase_date: "2025-02-03", warranty_end: "2027-06-09" })]);
    clearDashboardCache();
    const f = await forecastEachPractice(db, ["F84013"], "2027-05-01", 24);
    const change = f.byPractice.get("F84013")!.find((e) => e.worse && e.date >= "2027-06-09");
    expect(change).toBeDefined();
    const day = change!.date;
    const dayBefore = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);

    // The day before: every share worked out and kept (with its basis).
    await forgetDashboardFigures(db);
    expect((await getIcbForecast(db, "QMF", codes, dayBefore)).recomputed).toBe(codes.length);
    const keptBefore = (await readKeptFiguresOf(db, "forecast_part", ["F84013"])).get("F84013")!;
    // Carried as it is, F84013's share would count the change that is the next day's present.
    expect((keptBefore.value as PracticeForecastPart).worse.some((w) => w.date === day)).toBe(true);
    // The change's day, in a new process: F84013's inputs differ (its change falls on the new
    // first day), so its share is worked out again; the other practices' are carried.
    clearDashboardCache();
    const carried = await getIcbForecast(db, "QMF", codes, day);
    expect(carried.recomputed).toBeGreaterThanOrEqual(1);
    expect(carried.carried).toBeGreaterThanOrEqual(1);
    expect(carried.recomputed + carried.carried).toBe(codes.length);
    expect(carried.cached).toBe(false);
    // The same figures as the day worked out from nothing, in which F84013's change is today's.
    clearDashboardCache();
    const fresh = await getIcbForecast(db, "QMF", codes, day, { fresh: true });
    expect(figures(carried)).toEqual(figures(fresh));
    const kept = (await readKeptFiguresOf(db, "forecast_part", ["F84013"])).get("F84013")!;
    expect(kept.key.startsWith(`${day}|`)).toBe(true);
    expect((kept.value as PracticeForecastPart).worse.some((w) => w.date === day)).toBe(false);

    // In the same process (shares in memory) the day after: carried as well, same figures.
    const after = nextDay(day);
    const inMemory = await getIcbForecast(db, "QMF", codes, after);
    expect(inMemory.carried).toBeGreaterThanOrEqual(1);
    clearDashboardCache();
    expect(figures(inMemory)).toEqual(figures(await getIcbForecast(db, "QMF", codes, after, { fresh: true })));
  });

  it("the next day's shares worked out ahead by the sweep are read as they are on that day", async () => {
    const db = getDb();
    const day = "2027-07-01";
    await forgetDashboardFigures(db);
    await getIcbForecast(db, "QMF", codes, day);
    // Nothing kept for another day is prepared; every share kept for the day is.
    expect(await prepareNextDayForecasts(db, "2027-06-30")).toBe(0);
    expect(await prepareNextDayForecasts(db, day)).toBe(codes.length);
    expect(await prepareNextDayForecasts(db, day)).toBe(0);

    // The next day, in a new process: every share read, none worked out or carried.
    clearDashboardCache();
    const next = nextDay(day);
    const read = await getIcbForecast(db, "QMF", codes, next);
    expect(read.recomputed).toBe(0);
    expect(read.carried).toBe(0);
    expect((await keptRows("forecast_part")).every((r) => r.key.startsWith(`${next}|`))).toBe(true);
    clearDashboardCache();
    expect(figures(read)).toEqual(figures(await getIcbForecast(db, "QMF", codes, next, { fresh: true })));

    // Prepared again for the day after, then a device added at F84003: its share prepared ahead
    // is not read (another estate stamp); it is carried or worked out, and the figures hold.
    await getIcbForecast(db, "QMF", codes, next);
    expect(await prepareNextDayForecasts(db, next)).toBe(codes.length);
    await addDevices(db, [desktopRow("F84003", { asset_tag: "KEPT-AHEAD", purchase_date: "2023-08-20", warranty_end: "2027-09-20" })]);
    clearDashboardCache();
    const after = nextDay(next);
    const changed = await getIcbForecast(db, "QMF", codes, after);
    expect(changed.recomputed + changed.carried).toBe(1);
    clearDashboardCache();
    expect(figures(changed)).toEqual(figures(await getIcbForecast(db, "QMF", codes, after, { fresh: true })));

    // A share kept before a change is not worked out ahead (its key is no longer the estate's),
    // and the next sweep does not pick it again.
    await getIcbForecast(db, "QMF", codes, after);
    await addDevices(db, [desktopRow("F84003", { asset_tag: "KEPT-AHEAD-2" })]);
    expect(await prepareNextDayForecasts(db, after)).toBe(codes.length - 1);
    const passedOver = (await readKeptFiguresOf(db, "forecast_part", ["F84003"])).get("F84003")!.value as { next?: unknown };
    expect(passedOver.next).toBeNull();
    expect(await prepareNextDayForecasts(db, after)).toBe(0);
    clearDashboardCache();
    const later = nextDay(after);
    const oneChanged = await getIcbForecast(db, "QMF", codes, later);
    expect(oneChanged.recomputed + oneChanged.carried).toBe(1);
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
