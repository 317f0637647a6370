import { financialYearLabel } from "~/modules/pricing/financial-year";
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
  /** Sum of the priced changes for the worse (pence). */
  estimatedPence: number;
  /** Changes for the worse whose added work could not be priced (counted here, never as £0). */
  noEstimate: number;
}

/** Totals per financial year, in year order. Each year's figures are sums over its own events, so they add up. */
export function summariseByYear(events: readonly ForecastEvent[]): YearSummary[] {
  const years = new Map<number, { changes: number; worse: number; practices: Set<string>; estimatedPence: number; noEstimate: number }>();
  for (const e of events) {
    const y =
      years.get(e.financialYear) ??
      years.set(e.financialYear, { changes: 0, worse: 0, practices: new Set(), estimatedPence: 0, noEstimate: 0 }).get(e.financialYear)!;
    y.changes++;
    if (!e.worse) continue;
    y.worse++;
    y.practices.add(e.practiceCode);
    if (e.estimate?.pence === null) y.noEstimate++;
    else if (e.estimate) y.estimatedPence += e.estimate.pence;
  }
  return [...years.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, y]) => ({
      year,
      label: financialYearLabel(year),
      changes: y.changes,
      worse: y.worse,
      practices: y.practices.size,
      estimatedPence: y.estimatedPence,
      noEstimate: y.noEstimate,
    }));
}
