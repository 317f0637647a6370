import type { Db } from "#db/connect";
import { addMonths } from "~/modules/compliance/evaluate.server";
import * as compliance from "~/modules/compliance/repository.server";
import { loadCostedGaps, type CostedGap, type GapQuery } from "~/modules/gaps/costed.server";
import { gapSummaryFigures } from "~/modules/gaps/summary-repository.server";
import { PRIORITY_ORDER } from "~/modules/gaps/priority";
import { indexLifecycle, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { costHorizonLastYear, financialYearOf } from "~/modules/pricing/financial-year";
import type { Scope } from "~/utils/permissions";
import { riskByPcn } from "./estate-risk";
import { packLapseRows } from "./lapse-rows";
import { packRiskRows } from "./risk-rows";
import type { HorizonSummary } from "./forecast";
import { mergeParts, practicePart, type CostlyChange, type PracticeForecastPart } from "./forecast-parts";
import { forecastEachPractice } from "~/modules/compliance/forecast/service.server";
import { practiceEstateStamps } from "~/utils/practice-stamp.server";
import type { YearSummary } from "~/modules/compliance/forecast/summary";
import { summariseGaps, summaryFromFigures } from "./gaps-summary";
import { pipelineFor } from "./pipeline";
import * as repo from "./repository.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { icbChangeStamp, PerIcbCache } from "~/utils/icb-cache.server";
import { trendDates, trendFromCounts } from "./trend";
import {
  codeDigest,
  forgetKeptFigures,
  keepFigures,
  readKeptFigures,
  readKeptFiguresOf,
  readKeptFiguresWithoutNext,
  storeNextFigures,
} from "~/modules/kept-figures/service.server";

export const FORECAST_MONTHS = [12, 24] as const;

export interface IcbForecast {
  asOf: string;
  /** Changes for the worse by each horizon (lapses and requirements already failing that get worse). */
  horizons: HorizonSummary[];
  /** The whole timeline's totals per financial year (forecast/summary.ts). */
  byYear: YearSummary[];
  /** The 25 changes for the worse that cost most (no estimate last). */
  costliest: CostlyChange[];
  /** How long the rules took for the whole ICB (CPU), and whether this copy was reused. */
  computedMs: number;
  cached: boolean;
  /** Practices whose rules ran for this copy (0 when every share was kept, in memory or in the database). */
  recomputed: number;
  /**
   * Practices whose share was kept on another day and carried to this one, their timeline's
   * inputs being the same (compliance/forecast/basis.server.ts): the rules ran on the first day only.
   */
  carried: number;
}

// The dashboard's figures are kept per ICB between loads (see icb-cache.server.ts). Working them
// out again costs mostly two things:
// - the forecast: the rules in memory over each practice's estate on many future dates (4-7 s
//   of CPU for the largest ICB, QOP, 408 practices). Each practice's share is kept on its own
//   estate stamp (forecast-parts.ts, practice-stamp.server.ts), so after a change in an ICB only
//   the practices whose estate changed are worked out again; a re-evaluation recomputes none.
//   A share is kept on the date as well, so a new day worked everything out again (about 4 s for
//   QOP); now a share kept on another day is carried when the practice's timeline inputs are
//   the same on the new day (compliance/forecast/basis.server.ts: the rules run on the first day
//   only), about three practices in four;
// - the gaps summary: every open gap priced and prioritised, added up in SQL
//   (gapSummaryFigures; only the candidates for the 20 highest-priority gaps are costed here).
// Both are also kept in the database (table kept_figure), so another server process, or this one
// after a restart, reads them in one statement instead of working them out: a practice's share
// under its estate stamp, the ICB's figures under its change stamp.
const forecastCache = new PerIcbCache<Omit<IcbForecast, "cached">>();
const dashboardCache = new PerIcbCache<Awaited<ReturnType<typeof computeDashboard>>>();
/** A practice's forecast share, its key (date, months, reference digest, estate stamp, code) and its timeline's basis. */
type KeptPart = { key: string; part: PracticeForecastPart; basis: string | null };
/** Each practice's forecast share, on the date, months, reference digest and estate stamp. */
const practiceParts = new Map<string, KeptPart>();

/** Forgets the figures kept in the database too: the next load works everything out (tests, benchmarks). */
export async function forgetDashboardFigures(db: Db) {
  clearDashboardCache();
  await forgetKeptFigures(db);
}

/** Empties this process's caches (a new process, as tests see it); figures kept in the database stay. */
export function clearDashboardCache() {
  forecastCache.clear();
  dashboardCache.clear();
  practiceParts.clear();
}

async function computeForecast(
  db: Db,
  icbCode: string,
  codes: string[],
  asOf: string,
  fresh = false,
  lifecycle?: LifecycleRow[],
): Promise<Omit<IcbForecast, "cached">> {
  const months = Math.max(...FORECAST_MONTHS);
  const { stamps, digest } = await practiceEstateStamps(db, codes, icbCode);
  // Everything a share is worked out on but the date: the same for a share kept on another day.
  const basisKeys = new Map(codes.map((c) => [c, `${months}|${digest}|${stamps.get(c)}|${codeDigest()}`]));
  const keys = new Map(codes.map((c) => [c, `${asOf}|${basisKeys.get(c)}`]));
  let stale = fresh ? codes : codes.filter((c) => practiceParts.get(c)?.key !== keys.get(c));
  // Shares kept on another day (on the same estate and reference data), with the basis of their
  // timeline: a practice whose timeline inputs have the same basis today has the same share.
  const earlier = new Map<string, KeptPart>();
  const promoted: string[] = [];
  if (!fresh) {
    for (const c of stale) {
      const m = practiceParts.get(c);
      if (m && m.basis !== null && sameBasisKey(m.key, basisKeys.get(c)!)) earlier.set(c, m);
    }
  }
  // Shares another process (or this one before a restart) kept: under today's key, used as they
  // are; under another day's, candidates as above.
  if (!fresh && stale.length > 0) {
    const kept = await readKeptFiguresOf(db, "forecast_part", stale);
    for (const [c, row] of kept) {
      // A row holds the share kept for its key's day and may hold the next day's, worked out
      // ahead (prepareNextDayForecasts): either is used as it is under today's key, else the
      // later one is a candidate to carry.
      const shares = [unpackShare(row.key, row.value)];
      const next = (row.value as { next?: { key: string; value: unknown } }).next;
      if (next) shares.unshift(unpackShare(next.key, next.value));
      const exact = shares.find((x) => x.key === keys.get(c));
      if (exact) {
        practiceParts.set(c, exact);
        // Kept again as the row's own share, so the sweep works out the day after's too.
        if (exact.key !== row.key) promoted.push(c);
      } else if (!earlier.has(c)) {
        const candidate = shares.find((x) => x.basis !== null && sameBasisKey(x.key, basisKeys.get(c)!));
        if (candidate) earlier.set(c, candidate);
      }
    }
    stale = stale.filter((c) => practiceParts.get(c)?.key !== keys.get(c));
  }
  const f = await forecastEachPractice(db, stale, asOf, months, {
    lifecycle,
    reuse: new Map(stale.filter((c) => earlier.has(c)).map((c) => [c, earlier.get(c)!.basis!])),
  });
  for (const c of stale) {
    const basis = f.bases.get(c) ?? null;
    const part = f.carried.has(c) ? earlier.get(c)!.part : practicePart(f.byPractice.get(c) ?? []);
    practiceParts.set(c, { key: keys.get(c)!, part, basis });
  }
  const keep = [...stale, ...promoted];
  if (keep.length > 0)
    await keepFigures(
      db,
      "forecast_part",
      keep.map((c) => ({ owner: c, key: keys.get(c)!, value: { ...practiceParts.get(c)!.part, basis: practiceParts.get(c)!.basis } })),
    );
  const parts = new Map(codes.map((c) => [c, practiceParts.get(c)!.part]));
  return {
    asOf,
    ...mergeParts(
      parts,
      FORECAST_MONTHS.map((m) => ({ months: m, date: addMonths(asOf, m) })),
    ),
    computedMs: f.computedMs,
    recomputed: stale.length - f.carried.size,
    carried: f.carried.size,
  };
}

/** A share as kept (its part with its basis, and perhaps the next day's share beside it). */
function unpackShare(key: string, value: unknown): KeptPart {
  const { basis = null, next: _next, ...part } = value as PracticeForecastPart & { basis?: string | null; next?: unknown };
  return { key, part, basis };
}

/** Practices whose next day's share one housekeeping sweep works out at most (1-3 ms each when carried, 5-15 ms when not). */
const AHEAD_LIMIT = 1_000;

/**
 * Works out the next day's forecast share of practices whose share is kept for `today` (their
 * ICB's dashboard or report was loaded today) and keeps it in the same row, beside today's,
 * under the exact key the next day's first load will ask for: that load then reads every share
 * instead of running the rules (a practice whose estate or reference data changes meanwhile has
 * another key, so its share is worked out then, as before). Shares whose key no longer matches
 * the estate are marked and left. Run by the hourly housekeeping sweep of every server process; two
 * processes doing the same practice store the same share. Returns the practices done.
 */
export async function prepareNextDayForecasts(db: Db, today: string, limit = AHEAD_LIMIT) {
  const months = Math.max(...FORECAST_MONTHS);
  const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
  const rows = await readKeptFiguresWithoutNext(db, "forecast_part", `${today}|`, limit);
  if (rows.length === 0) return 0;
  const icbOf = await repo.practiceIcbs(
    db,
    rows.map((r) => r.owner),
  );
  const byIcb = new Map<string, typeof rows>();
  // Rows left without a next share are marked (next: null) so the following sweeps pass over
  // them rather than pick the same ones again ahead of those still to do.
  const passed: { owner: string; key: string; next: null }[] = [];
  for (const r of rows) {
    const icb = icbOf.get(r.owner);
    if (icb) (byIcb.get(icb) ?? byIcb.set(icb, []).get(icb)!).push(r);
    else passed.push({ owner: r.owner, key: r.key, next: null });
  }
  let done = 0;
  for (const [icb, icbRows] of byIcb) {
    const { stamps, digest } = await practiceEstateStamps(
      db,
      icbRows.map((r) => r.owner),
      icb,
    );
    const basisKey = (c: string) => `${months}|${digest}|${stamps.get(c)}|${codeDigest()}`;
    // Only shares still kept on the practice's estate and reference data as they are now.
    const current = new Map(
      icbRows.filter((r) => r.key === `${today}|${basisKey(r.owner)}`).map((r) => [r.owner, unpackShare(r.key, r.value)]),
    );
    for (const r of icbRows) if (!current.has(r.owner)) passed.push({ owner: r.owner, key: r.key, next: null });
    const codes = [...current.keys()];
    const f = await forecastEachPractice(db, codes, tomorrow, months, {
      reuse: new Map(codes.filter((c) => current.get(c)!.basis !== null).map((c) => [c, current.get(c)!.basis!])),
    });
    await storeNextFigures(
      db,
      "forecast_part",
      codes.map((c) => ({
        owner: c,
        key: current.get(c)!.key,
        next: {
          key: `${tomorrow}|${basisKey(c)}`,
          value: { ...(f.carried.has(c) ? current.get(c)!.part : practicePart(f.byPractice.get(c) ?? [])), basis: f.bases.get(c) ?? null },
        },
      })),
    );
    done += codes.length;
  }
  await storeNextFigures(db, "forecast_part", passed);
  return done;
}

/** Whether a share's key (date first) was kept on `basisKey`: the same estate, reference data, horizon and code. */
function sameBasisKey(key: string, basisKey: string) {
  const bar = key.indexOf("|");
  return bar >= 0 && key.slice(bar + 1) === basisKey;
}

export async function getIcbForecast(
  db: Db,
  icbCode: string,
  codes: string[],
  asOf: string,
  opts: { fresh?: boolean; stamp?: string; lifecycle?: LifecycleRow[] } = {},
): Promise<IcbForecast> {
  const fingerprint = opts.stamp ?? (await icbChangeStamp(db, icbCode));
  const r = await forecastCache.get(
    icbCode,
    `${asOf}|${codes.join(",")}|${fingerprint}`,
    () => computeForecast(db, icbCode, codes, asOf, opts.fresh, opts.lifecycle),
    opts.fresh,
  );
  // Reused when nothing was worked out again: the ICB's kept figures, or every practice's share
  // kept for this day (a share carried from another day ran the rules on this day's first day).
  return r.cached
    ? { ...r.value, cached: true, recomputed: 0, carried: 0 }
    : { ...r.value, cached: r.value.recomputed === 0 && r.value.carried === 0 };
}

/** Highest priority first, then the larger estimate (no estimate last), then the earlier deadline. */
export function byPriority(a: CostedGap, b: CostedGap) {
  return (
    PRIORITY_ORDER[a.priority.level] - PRIORITY_ORDER[b.priority.level] ||
    b.priority.score - a.priority.score ||
    (b.estimate.pence ?? -1) - (a.estimate.pence ?? -1) ||
    a.deadline.localeCompare(b.deadline) ||
    a.id - b.id
  );
}

/** How many of the highest-priority gaps the report pack lists. */
const TOP_GAPS = 20;

/** The `n` highest-priority gaps of `gaps`, as the report pack lists them. */
function topGapsOf(gaps: readonly CostedGap[], n = TOP_GAPS) {
  return [...gaps]
    .sort(byPriority)
    .slice(0, n)
    .map((g) => ({
      id: g.id,
      practiceCode: g.practiceCode,
      practiceName: g.practiceName,
      pcnName: g.pcnName,
      requirementId: g.requirementId,
      title: g.title,
      domain: g.domain,
      funder: g.funder,
      status: g.status,
      deadline: g.deadline,
      priority: {
        level: g.priority.level,
        score: g.priority.score,
        factors: g.priority.factors.filter((f) => f.points > 0).map((f) => f.label),
      },
      estimatePence: g.estimate.pence,
      // Inc VAT and what falls when, as the register: the estimate falls in the deadline's
      // financial year, the annual part again each later year (to its last year, for ESU).
      vatPence: g.estimate.pence === null ? null : g.estimate.vatPence,
      annualPence: g.estimate.pence === null ? 0 : g.estimate.split.annualPence,
      ...(g.estimate.split.annualEnds ? { annualEnds: g.estimate.split.annualEnds } : {}),
      knownPence: g.estimate.knownPence,
      missing: g.estimate.missing.map((m) => m.label),
      localEstimate: g.estimate.usesLocalEstimate,
    }));
}

/**
 * The open gaps' summary, the 20 highest-priority gaps and the local-estimate count, from every
 * gap costed in JavaScript: how the dashboard worked them out before `gapPart` (kept for the
 * test that holds the two to the same figures).
 */
export function gapPartFromCostedGaps(gaps: CostedGap[], today: string) {
  return {
    gaps: summariseGaps(gaps, costHorizonLastYear(today)),
    topGaps: topGapsOf(gaps),
    localEstimateGaps: gaps.filter((g) => g.estimate.usesLocalEstimate).length,
  };
}

/**
 * The open gaps' summary, the 20 highest-priority gaps and the local-estimate count (kept between
 * loads). The totals and groupings are added up by the database (one statement, a few dozen rows
 * back); only the gaps that can be among the 20 highest-priority (those scoring at least the
 * 20th highest score) are read and costed here, to order them exactly as before.
 */
export async function gapPart(db: Db, query: GapQuery, today: string) {
  const figures = await gapSummaryFigures(db, query, today, TOP_GAPS);
  const top = figures.topIds.length ? await loadCostedGaps(db, { ...query, ids: figures.topIds }, today) : [];
  return {
    gaps: summaryFromFigures(figures.groups, figures.yearLines, costHorizonLastYear(today)),
    topGaps: topGapsOf(top),
    localEstimateGaps: figures.groups.find((g) => g.set === "total")?.localEstimateGaps ?? 0,
  };
}

/**
 * Everything the ICB dashboard, its report pack and its exports show, on `today`, for an ICB
 * the caller has already found in the user's scope (findIcbInScope: ICB-wide scope, so every
 * such user sees the same figures). A fixed number of statements whatever the ICB's size: one
 * when nothing has changed since the last load, about 25 when it has.
 */
export async function getIcbDashboard(db: Db, icb: { code: string; name: string | null }, scope: Scope, today: string) {
  let stamp = await icbChangeStamp(db, icb.code);
  // Before computing, the national default prices are put in place: writing them moves every
  // stamp, and a value computed under the stamp read before that write would never be reused.
  if (!dashboardCache.has(icb.code, `${today}|${stamp}`) && (await ensureDefaultPrices(db))) stamp = await icbChangeStamp(db, icb.code);
  const r = await dashboardCache.get(icb.code, `${today}|${stamp}`, () => keptDashboard(db, icb, scope, today, stamp));
  return r.cached ? { ...r.value, forecast: { ...r.value.forecast, cached: true, recomputed: 0, carried: 0 } } : r.value;
}

/** The ICB's figures as another process kept them under the same stamp, else worked out and kept. */
async function keptDashboard(db: Db, icb: { code: string; name: string | null }, scope: Scope, today: string, stamp: string) {
  const key = `${today}|${stamp}|${codeDigest()}`;
  const kept = (await readKeptFigures(db, "icb_dashboard", [{ owner: icb.code, key }])).get(icb.code) as
    Awaited<ReturnType<typeof computeDashboard>> | undefined;
  if (kept) return { ...kept, icb, forecast: { ...kept.forecast, cached: true, recomputed: 0, carried: 0 } };
  const value = await computeDashboard(db, icb, scope, today, stamp);
  await keepFigures(db, "icb_dashboard", [{ owner: icb.code, key, value }]);
  return value;
}

async function computeDashboard(db: Db, icb: { code: string; name: string | null }, scope: Scope, today: string, stamp: string) {
  const fy = financialYearOf(today);
  const years = [fy, fy + 1];
  const dates = trendDates(today, 12);
  const practicesRead = repo.practiceFacts(db, icb.code, today);
  const lifecycleRead = compliance.loadLifecycleRows(db);
  // The forecast (CPU, in turns: forecastEachPractice) starts as soon as the practices are known,
  // so its rules run while the database answers the statements below.
  const forecastRead = Promise.all([practicesRead, lifecycleRead]).then(([practices, lifecycle]) =>
    getIcbForecast(
      db,
      icb.code,
      practices.map((p) => p.ods_code),
      today,
      { stamp, lifecycle },
    ),
  );
  const [practices, trend, totals, budgetMap, osGroups, lifecycle, costed, forecast] = await Promise.all([
    practicesRead,
    repo.trendCounts(db, icb.code, dates),
    repo.requestTotals(db, icb.code, years),
    repo.budgets(db, icb.code, years),
    repo.deviceOsGroups(db, icb.code),
    lifecycleRead,
    gapPart(db, { scope, icb: icb.code }, today),
    forecastRead,
  ]);
  const trendPoints = trendFromCounts(dates, trend.counts, trend.practices);
  const now = trendPoints.at(-1)!;
  const gapSummary = costed.gaps;
  const pipeline = pipelineFor(years, totals, budgetMap);
  const risk = riskByPcn(practices, osGroups, indexLifecycle(lifecycle), today);
  return {
    icb,
    today,
    financialYear: fy,
    headline: {
      practices: practices.length,
      practicesChecked: now.practices,
      score: now.score,
      openGaps: gapSummary.total.gaps,
      highPriority: gapSummary.total.highPriority,
      estimatedPence: gapSummary.total.estimatedPence,
      vatPence: gapSummary.total.vatPence,
      noEstimate: gapSummary.total.noEstimate,
      partialPence: gapSummary.total.partialPence,
      requestedPence: pipeline[0].requested.pence,
      committedPence: pipeline[0].committedPence,
      budgetPence: pipeline[0].budgetPence,
    },
    trend: trendPoints,
    gaps: gapSummary,
    topGaps: costed.topGaps,
    localEstimateGaps: costed.localEstimateGaps,
    pipeline,
    risk,
    forecast,
  };
}

export type IcbDashboard = Awaited<ReturnType<typeof getIcbDashboard>>;

/**
 * The figures as the dashboard page and the report pack render them, for their loaders (the
 * loader data is sent again in the page for hydration): the forecast's split by domain (the
 * exports' and tests') and its timing stay on the server, as do the figures no section shows
 * (cloud telephony per PCN, practices per requirement lapsing, changes per year), what the page
 * reads from the catalogue (each lapsing requirement's label and domain), and the parts
 * of each top gap the report does not print (an annual part of £0 is left out).
 */
export function pageFigures(d: IcbDashboard) {
  const { computedMs: _ms, recomputed: _recomputed, carried: _carried, ...forecast } = d.forecast;
  const { telephonyCloud: _cloud, ...riskTotal } = d.risk.total;
  return {
    ...d,
    // One array a PCN (risk-rows.ts): the page unpacks them.
    risk: { ...d.risk, rows: packRiskRows(d.risk.rows), total: riskTotal },
    forecast: {
      ...forecast,
      horizons: forecast.horizons.map(({ byDomain: _byDomain, byRequirement, ...h }) => ({
        ...h,
        // The label and domain come from the catalogue on the page (dashboard/forecast.ts builds
        // them so); one array a requirement (lapse-rows.ts), which the page unpacks.
        byRequirement: packLapseRows(byRequirement),
      })),
      byYear: forecast.byYear.map(({ changes: _c, recurringPence: _r, ...y }) => y),
      // What is missing matters only where there is no estimate.
      costliest: forecast.costliest.map(({ missing, ...c }) => (c.estimatePence === null ? { ...c, missing } : c)),
    },
    // The requirement's title comes from the catalogue on the page (the register's title is the catalogue's).
    topGaps: d.topGaps.map(({ knownPence: _known, localEstimate: _local, domain: _domain, title: _title, annualPence, missing, ...g }) => ({
      ...g,
      ...(annualPence ? { annualPence } : {}),
      ...(g.estimatePence === null ? { missing } : {}),
    })),
  };
}

export type IcbDashboardPage = ReturnType<typeof pageFigures>;
