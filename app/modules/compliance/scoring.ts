import type { Status } from "~/modules/catalogue/rule-types";

export interface Scorable {
  status: Status;
  weight: number;
  domain: string;
}

export interface ScoreSummary {
  /** Percentage (one decimal place) of the weight that is met; null when nothing is scorable. */
  score: number | null;
  earned: number;
  possible: number;
  counts: Record<Status, number>;
  total: number;
}

const CREDIT: Partial<Record<Status, number>> = { met: 1, partial: 0.5, not_met: 0 };

const emptyCounts = (): Record<Status, number> => ({ met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 });

function summarise(items: readonly Scorable[]): ScoreSummary {
  const counts = emptyCounts();
  let earned = 0;
  let possible = 0;
  for (const i of items) {
    counts[i.status]++;
    const credit = CREDIT[i.status];
    // Not known and not applicable stay out of the denominator; the count of unknowns is shown instead.
    if (credit === undefined) continue;
    earned += credit * i.weight;
    possible += i.weight;
  }
  return { score: possible ? Math.round((earned / possible) * 1000) / 10 : null, earned, possible, counts, total: items.length };
}

/**
 * Weighted score: met 1, partly met 0.5, not met 0, times the requirement's weight, over the
 * weight of everything that could be judged. Overall and per domain.
 */
export function scoreResults(items: readonly Scorable[]): { overall: ScoreSummary; byDomain: Record<string, ScoreSummary> } {
  const domains = new Map<string, Scorable[]>();
  for (const i of items) {
    const list = domains.get(i.domain);
    if (list) list.push(i);
    else domains.set(i.domain, [i]);
  }
  return {
    overall: summarise(items),
    byDomain: Object.fromEntries([...domains.entries()].map(([d, list]) => [d, summarise(list)])),
  };
}

export { summarise as scoreSummary, emptyCounts };
