import { STATUSES, type Status } from "~/modules/catalogue/rule-types";
import { scoreSummary, type ScoreSummary } from "~/modules/compliance/scoring";

/**
 * The compliance trend: an ICB's weighted score at a series of dates, rebuilt from the results
 * in force on each date (the change-point table), so it matches the ICB compliance page on
 * every one of those dates. Pure: the database hands over counts, this turns them into scores.
 */

/** Last day of the month `iso` falls in. */
export function monthEnd(iso: string): string {
  const [y, m] = iso.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, "0")}-${String(last).padStart(2, "0")}`;
}

/**
 * The last `months` completed month ends before `today`, oldest first, then `today` itself:
 * on 22 November 2026 with 12 months, 30 November 2025 … 31 October 2026, then 22 November 2026.
 * When today is itself a month end it is the last point (not repeated).
 */
export function trendDates(today: string, months = 12): string[] {
  const [y, m] = today.split("-").map(Number);
  const dates: string[] = [];
  for (let i = months; i >= 1; i--) {
    const total = y * 12 + (m - 1) - i;
    const year = Math.floor(total / 12);
    const month = (total % 12) + 1;
    dates.push(monthEnd(`${year}-${String(month).padStart(2, "0")}-01`));
  }
  if (monthEnd(today) === today) {
    dates.shift();
    dates.push(today);
  } else dates.push(today);
  return dates;
}

/** One group of results in force on a date: how many had this status and weight. */
export interface TrendCount {
  date: string;
  status: Status;
  weight: number;
  n: number;
}

export interface TrendPoint {
  date: string;
  /** Weighted score (met 1, partly met 0.5, not met 0) over everything that could be judged. */
  score: number | null;
  counts: Record<Status, number>;
  /** Practices with at least one result in force on the date. */
  practices: number;
}

/**
 * Scores each date from grouped counts: the same arithmetic as scoring every result one by one
 * (scoring.ts), since a group of n results with one status and weight adds n times as much.
 */
export function trendFromCounts(
  dates: readonly string[],
  counts: readonly TrendCount[],
  practices: ReadonlyMap<string, number>,
): TrendPoint[] {
  const byDate = new Map<string, TrendCount[]>();
  for (const c of counts) {
    const list = byDate.get(c.date);
    if (list) list.push(c);
    else byDate.set(c.date, [c]);
  }
  return dates.map((date) => {
    const s = scoreCounts(byDate.get(date) ?? []);
    return { date, score: s.score, counts: s.counts, practices: practices.get(date) ?? 0 };
  });
}

/**
 * A score summary from (status, weight, n) groups: each group adds n times what one result of
 * that status and weight adds in scoring.ts, so the score equals scoring every result one by one.
 */
export function scoreCounts(groups: readonly { status: Status; weight: number; n: number }[]): ScoreSummary {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let earned = 0;
  let possible = 0;
  let total = 0;
  for (const g of groups) {
    counts[g.status] += g.n;
    total += g.n;
    const one = scoreSummary([{ status: g.status, weight: g.weight, domain: "" }]);
    earned += one.earned * g.n;
    possible += one.possible * g.n;
  }
  return { score: possible ? Math.round((earned / possible) * 1000) / 10 : null, earned, possible, counts, total };
}
