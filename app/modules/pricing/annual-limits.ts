import { EXTERNAL_DATES } from "~/modules/catalogue/external-dates";
import type { UnitKind } from "~/modules/catalogue/units";
import { addDays } from "~/utils/today";
import { financialYearLabel, financialYearOf, type AnnualEnds } from "./financial-year";
import { formatPence } from "./money";

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

/**
 * What a gap's annual part costs after the year it falls in (ex VAT), as a page says it: "then
 * £80.00 a year", or with ESU "then £128.00 a year (£48.00 of it to 2027/28 only)". Null when
 * nothing recurs.
 */
export function recurringText(annualPence: number, ends?: AnnualEnds): string | null {
  if (annualPence <= 0) return null;
  const limited = Object.entries(ends ?? {})
    .filter(([, pence]) => pence > 0)
    .map(([year, pence]) => `${formatPence(pence)} of it to ${financialYearLabel(Number(year))} only`);
  return `then ${formatPence(annualPence)} a year${limited.length ? ` (${limited.join("; ")})` : ""}`;
}
