import { EXTERNAL_DATES } from "~/modules/catalogue/external-dates";
import type { UnitKind } from "~/modules/catalogue/units";
import { addDays } from "~/utils/today";
import { financialYearOf } from "./financial-year";

/**
 * Annual units that can only be bought for a limited number of years. Their cost recurs each
 * year to the money horizon like any annual cost, but never in a financial year after the one in
 * which the last period can be bought (issue #13).
 */
export interface AnnualLimit {
  /** The day the last 12-month period that can be bought starts. */
  lastPeriodStarts: string;
  /** The day cover ends for good. */
  coverEnds: string;
  source: string;
}

export const ANNUAL_LIMITS: Partial<Record<UnitKind, AnnualLimit>> = {
  // Commercial Windows 10 ESU is sold in 12-month periods for at most three years: year 3 runs from
  // the day after year 2 ends (12 Oct 2027) to 10 Oct 2028, so it is bought in 2027/28 and nothing after.
  esu_licence: {
    lastPeriodStarts: addDays(EXTERNAL_DATES.windows10_esu_year2_end.date, 1),
    coverEnds: EXTERNAL_DATES.windows10_esu_year3_end.date,
    source: "feeds.md §5 'Windows 10 ESU': commercial ESU up to 3 years, year 3 ends 2028-10-10 (S27)",
  },
};

/** The last financial year a unit's annual cost can fall in, or null when it recurs without end. */
export function annualLastYear(kind: string): number | null {
  const limit = ANNUAL_LIMITS[kind as UnitKind];
  return limit ? financialYearOf(limit.lastPeriodStarts) : null;
}

/** Every limited unit kind grouped by its last financial year (the register's SQL adds up each group). */
export function annualLimitGroups(): { lastYear: number; kinds: string[] }[] {
  const groups = new Map<number, string[]>();
  for (const kind of Object.keys(ANNUAL_LIMITS)) {
    const year = annualLastYear(kind)!;
    groups.set(year, [...(groups.get(year) ?? []), kind]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([lastYear, kinds]) => ({ lastYear, kinds }));
}
