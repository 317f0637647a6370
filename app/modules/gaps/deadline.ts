import type { Category } from "~/modules/catalogue";
import { EXTERNAL_DATES, type ExternalDateKey } from "~/modules/catalogue/external-dates";
import { addDays } from "~/utils/today";

/**
 * How long after a gap is first seen it should be closed, by category, used only where no
 * external date applies. No national figures were found, so these are local assumptions: core
 * and mandated items and GP contract duties within a quarter, time-limited national programmes
 * within six months, the rest within a year.
 */
export const FIX_WITHIN_DAYS: Record<Category, number> = {
  core_mandated: 90,
  gp_contract: 90,
  national_programme: 180,
  enhanced: 365,
  practice_business: 365,
};

export const deadlineFor = (category: Category, firstSeen: string): string => addDays(firstSeen, FIX_WITHIN_DAYS[category]);

/** A date outside the product that a gap must be fixed by, and what it is. */
export interface Due {
  date: string;
  label: string;
}

/** Requirements pinned to one national date (see forecast/external-dates.ts for the sources). */
export const REQUIREMENT_DATES: Readonly<Record<string, ExternalDateKey>> = {
  "TEL-15": "pstn_switch_off",
  "DEV-11": "identity_agent_retirement",
};

/**
 * A gap's deadline and what it rests on: the device's own end of support (`due`, from the
 * evaluation), else the national date its requirement is pinned to, else first seen + the
 * category's days. `basis` is null for the last (no external date).
 */
export function gapDeadline(
  requirementId: string,
  category: Category,
  firstSeen: string,
  due?: Due | null,
): { date: string; basis: string | null } {
  if (due) return { date: due.date, basis: due.label };
  const key = REQUIREMENT_DATES[requirementId];
  if (key) return { date: EXTERNAL_DATES[key].date, basis: EXTERNAL_DATES[key].label };
  return { date: deadlineFor(category, firstSeen), basis: null };
}

/** How a page shows where a deadline comes from. */
export function deadlineBasisText(basis: string | null, category: Category): string {
  return basis ?? `first seen + ${FIX_WITHIN_DAYS[category]} days (no external date)`;
}
