import type { Category } from "~/modules/compliance/catalogue";
import { addDays } from "~/utils/today";

/**
 * How long after a gap is first seen it should be closed, by category. No national figures were
 * found, so these are local assumptions: core and mandated items and GP contract duties within
 * a quarter, time-limited national programmes within six months, the rest within a year.
 */
export const FIX_WITHIN_DAYS: Record<Category, number> = {
  core_mandated: 90,
  gp_contract: 90,
  national_programme: 180,
  enhanced: 365,
  practice_business: 365,
};

export const deadlineFor = (category: Category, firstSeen: string): string => addDays(firstSeen, FIX_WITHIN_DAYS[category]);
