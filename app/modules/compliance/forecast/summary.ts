import { addAnnualEnds, costsByFinancialYear, financialYearLabel, type AnnualEnds } from "~/modules/pricing/financial-year";
import type { ForecastEvent } from "./timeline";

/** One financial year of the timeline: what gets worse, where, and what it costs. */
export interface YearSummary {
  year: number;
  label: string;
  /** Every change in the year, better or worse. */
  changes: number;
  /** Changes for the worse. */
  worse: number;
  /** Practices with at least one change for the worse. */
  practices: number;
  /** Sum of the priced changes for the worse in the year (pence): their one-off costs and first year of annual ones. */
  estimatedPence: number;
  /** Annual costs of changes in earlier years of the horizon that are paid again in this one (pence). */
  recurringPence: number;
  /** What falls in the year: estimatedPence + recurringPence (costsByFinancialYear). */
  inYearPence: number;
  /** Changes for the worse whose added work could not be priced (counted here, never as £0). */
  noEstimate: number;
}

/** A year's counts and the split of its priced changes for the worse, before annual costs are carried on. */
export interface YearCounts {
  year: number;
  changes: number;
  worse: number;
  practices: number;
  estimatedPence: number;
  oneOffPence: number;
  annualPence: number;
  /** Of annualPence, the parts sold for a limited number of years (ESU), by last financial year; absent when none. */
  annualEnds?: AnnualEnds;
  noEstimate: number;
}

/**
 * Years in order from their counts, with annual costs carried into every later year up to
 * `lastYear` (the financial year the horizon ends in). A year with no change but annual costs
 * recurring into it is listed with zero changes.
 */
export function withRecurrence(counts: readonly YearCounts[], lastYear: number): YearSummary[] {
  const byYear = new Map(counts.map((c) => [c.year, c]));
  const money = costsByFinancialYear(
    counts.map((c) => ({ year: c.year, oneOffPence: c.oneOffPence, annualPence: c.annualPence, annualEnds: c.annualEnds })),
    lastYear,
  );
  return money
    .filter((m) => byYear.has(m.year) || m.recurringPence > 0)
    .map((m) => {
      const c = byYear.get(m.year);
      return {
        year: m.year,
        label: financialYearLabel(m.year),
        changes: c?.changes ?? 0,
        worse: c?.worse ?? 0,
        practices: c?.practices ?? 0,
        estimatedPence: c?.estimatedPence ?? 0,
        recurringPence: m.recurringPence,
        inYearPence: (c?.estimatedPence ?? 0) + m.recurringPence,
        noEstimate: c?.noEstimate ?? 0,
      };
    });
}

/** One year's counts from a practice's (or an ICB's) events. */
export function countByYear(events: readonly ForecastEvent[]): (YearCounts & { practiceSet: Set<string> })[] {
  const years = new Map<number, YearCounts & { practiceSet: Set<string> }>();
  for (const e of events) {
    const y =
      years.get(e.financialYear) ??
      years
        .set(e.financialYear, {
          year: e.financialYear,
          changes: 0,
          worse: 0,
          practices: 0,
          practiceSet: new Set(),
          estimatedPence: 0,
          oneOffPence: 0,
          annualPence: 0,
          noEstimate: 0,
        })
        .get(e.financialYear)!;
    y.changes++;
    if (!e.worse) continue;
    y.worse++;
    y.practiceSet.add(e.practiceCode);
    y.practices = y.practiceSet.size;
    if (e.estimate?.pence === null) y.noEstimate++;
    else if (e.estimate) {
      y.estimatedPence += e.estimate.pence;
      y.oneOffPence += e.estimate.split.oneOffPence;
      y.annualPence += e.estimate.split.annualPence;
      if (e.estimate.split.annualEnds) y.annualEnds = addAnnualEnds({ ...y.annualEnds }, e.estimate.split.annualEnds);
    }
  }
  return [...years.values()];
}

/**
 * Totals per financial year, in year order, to `lastYear` (the financial year the horizon ends
 * in). Each year's counts and `estimatedPence` are sums over its own events, so they add up;
 * `inYearPence` adds the annual costs of earlier changes paid again in the year.
 */
export function summariseByYear(events: readonly ForecastEvent[], lastYear: number): YearSummary[] {
  return withRecurrence(countByYear(events), lastYear);
}
