import type { ForecastEvent } from "~/modules/compliance/forecast/timeline";
import { addAnnualEnds, financialYearOf } from "~/modules/pricing/financial-year";
import { countByYear, withRecurrence, type YearCounts } from "~/modules/compliance/forecast/summary";
import { summariseLapses, type HorizonSummary, type LapseFigures } from "./forecast";

/**
 * The ICB dashboard's forecast, kept practice by practice. A practice's timeline
 * (forecast/timeline.ts) depends on its own estate, its ICB's policy and price list, the OS
 * lifecycle table and the dates alone, so each practice's share is worked out once and kept on
 * that practice's estate stamp; the ICB's figures are added up from the shares. Every figure is
 * a count or sum (additive across practices), a "practices with any" count (each practice adds
 * one or nothing) or a top 25 (the top 25 of the union is within the union of each practice's
 * top 25), so the shares give exactly what the whole ICB's timeline gives
 * (test/unit/dashboard-forecast-parts.test.ts holds the two together).
 */

/** What the dashboard shows of one costliest change. */
export interface CostlyChange {
  date: string;
  practiceCode: string;
  requirementId: string;
  change: string;
  drivers: string[];
  estimatePence: number | null;
  missing: string[];
}

/** One practice's share: small, whatever the practice's estate. */
export interface PracticeForecastPart {
  /** Changes for the worse (the lapses each horizon counts), in date order. */
  worse: { date: string; requirementId: string; pence: number | null }[];
  /** Per financial year: every change, the changes for the worse and their cost (one-off and annual). */
  years: Omit<YearCounts, "practices">[];
  /** The practice's 25 costliest changes for the worse, with the key they are ranked on. */
  costliest: (CostlyChange & { rank: number })[];
}

export const COSTLIEST = 25;

/**
 * The order of the costliest list: the larger estimate first (a change with no estimate, or no
 * added work, ranks as -1), then the earlier date, then practice and requirement; the last two
 * are the order the ICB's timeline lists same-day changes in, which the whole-ICB sort kept.
 */
const byCost = (a: { rank: number; date: string; practiceCode: string; requirementId: string }, b: typeof a) =>
  b.rank - a.rank ||
  a.date.localeCompare(b.date) ||
  a.practiceCode.localeCompare(b.practiceCode) ||
  a.requirementId.localeCompare(b.requirementId);

/** One practice's share, from its timeline (practiceTimeline's events for that practice). */
export function practicePart(events: readonly ForecastEvent[]): PracticeForecastPart {
  const worse = events.filter((e) => e.worse);
  const years = countByYear(events).map(({ practiceSet: _, practices: __, ...y }) => y);
  return {
    worse: worse.map((e) => ({ date: e.date, requirementId: e.requirementId, pence: e.estimate ? e.estimate.pence : 0 })),
    years: [...years.values()],
    costliest: worse
      .map((e) => ({
        rank: e.estimate?.pence ?? -1,
        date: e.date,
        practiceCode: e.practiceCode,
        requirementId: e.requirementId,
        change: e.change,
        drivers: e.drivers,
        estimatePence: e.estimate ? e.estimate.pence : 0,
        missing: e.estimate?.missing.map((m) => m.label) ?? [],
      }))
      .sort(byCost)
      .slice(0, COSTLIEST),
  };
}

/** The ICB's forecast figures from its practices' shares (any order). */
export function mergeParts(parts: ReadonlyMap<string, PracticeForecastPart>, horizons: readonly { months: number; date: string }[]) {
  const years = new Map<number, YearCounts>();
  const costliest: PracticeForecastPart["costliest"] = [];
  const lapses: LapseFigures[] = [];
  for (const [code, part] of parts) {
    for (const w of part.worse)
      lapses.push({ practiceCode: code, requirementId: w.requirementId, date: w.date, estimate: { pence: w.pence } });
    for (const y of part.years) {
      const t =
        years.get(y.year) ??
        years
          .set(y.year, {
            year: y.year,
            changes: 0,
            worse: 0,
            practices: 0,
            estimatedPence: 0,
            oneOffPence: 0,
            annualPence: 0,
            noEstimate: 0,
          })
          .get(y.year)!;
      t.changes += y.changes;
      t.worse += y.worse;
      if (y.worse > 0) t.practices++;
      t.estimatedPence += y.estimatedPence;
      t.oneOffPence += y.oneOffPence;
      t.annualPence += y.annualPence;
      if (y.annualEnds) t.annualEnds = addAnnualEnds({ ...t.annualEnds }, y.annualEnds);
      t.noEstimate += y.noEstimate;
    }
    costliest.push(...part.costliest);
  }
  // Annual costs recur to the financial year the longest horizon ends in, as the forecast's own.
  const last = horizons.reduce((m, h) => (h.date > m ? h.date : m), "");
  const byYear = withRecurrence([...years.values()], last ? financialYearOf(last) : Math.max(0, ...years.keys()));
  const summaries: HorizonSummary[] = summariseLapses(horizons.map((h) => ({ ...h, lapses: lapses.filter((l) => l.date <= h.date) })));
  return {
    horizons: summaries,
    byYear,
    costliest: costliest
      .sort(byCost)
      .slice(0, COSTLIEST)
      .map(({ rank: _, ...c }) => c),
  };
}
