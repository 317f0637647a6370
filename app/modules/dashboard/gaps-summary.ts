import { DOMAINS, type Domain } from "~/modules/catalogue";
import type { CostedGap } from "~/modules/gaps/costed.server";
import { financialYearLabel } from "~/modules/pricing/financial-year";

/**
 * Open gaps grouped for the dashboard. A gap whose estimate is missing (no unit cost, or a
 * per-patient price without a list size) is counted under "no estimate" and never adds £0 to
 * the estimated cost; the part of it that could be priced is shown apart, so nothing is hidden.
 * Every total is the sum of its rows.
 */
export interface GapGroup {
  key: string;
  label: string;
  gaps: number;
  practices: number;
  highPriority: number;
  /** Sum of the full estimates of the gaps that have one. */
  estimatedPence: number;
  /** Gaps with no full estimate. */
  noEstimate: number;
  /** The priced part of the gaps with no full estimate (not in estimatedPence). */
  partialPence: number;
}

export interface GapSummary {
  total: Omit<GapGroup, "key" | "label">;
  byDomain: GapGroup[];
  byYear: (GapGroup & { year: number })[];
}

type Acc = { gaps: number; practices: Set<string>; highPriority: number; estimatedPence: number; noEstimate: number; partialPence: number };
const acc = (): Acc => ({ gaps: 0, practices: new Set(), highPriority: 0, estimatedPence: 0, noEstimate: 0, partialPence: 0 });

function add(a: Acc, g: Pick<CostedGap, "practiceCode" | "priority" | "estimate">) {
  a.gaps++;
  a.practices.add(g.practiceCode);
  if (g.priority.level === "high") a.highPriority++;
  if (g.estimate.pence === null) {
    a.noEstimate++;
    a.partialPence += g.estimate.knownPence;
  } else a.estimatedPence += g.estimate.pence;
}

const done = ({ practices, ...rest }: Acc) => ({ ...rest, practices: practices.size });

/** The same summary from totals the database added up (gaps/repository.server.ts dashboardGapTotals). */
export function summaryFromTotals(
  rows: readonly {
    domain: string | null;
    year: number | null;
    gaps: number;
    practices: number;
    highPriority: number;
    estimatedPence: number;
    noEstimate: number;
    partialPence: number;
  }[],
): GapSummary {
  const figures = (r: (typeof rows)[number]) => ({
    gaps: r.gaps,
    highPriority: r.highPriority,
    estimatedPence: r.estimatedPence,
    noEstimate: r.noEstimate,
    partialPence: r.partialPence,
    practices: r.practices,
  });
  const total = rows.find((r) => r.domain === null && r.year === null);
  const domains = new Map(rows.filter((r) => r.domain !== null).map((r) => [r.domain as Domain, r]));
  const order = Object.keys(DOMAINS) as Domain[];
  return {
    total: total ? figures(total) : done(acc()),
    byDomain: order.filter((d) => domains.has(d)).map((d) => ({ key: d, label: DOMAINS[d], ...figures(domains.get(d)!) })),
    byYear: rows
      .filter((r) => r.year !== null)
      .sort((a, b) => a.year! - b.year!)
      .map((r) => ({ key: String(r.year), year: r.year!, label: financialYearLabel(r.year!), ...figures(r) })),
  };
}

export function summariseGaps(
  gaps: readonly Pick<CostedGap, "practiceCode" | "domain" | "deadlineYear" | "priority" | "estimate">[],
): GapSummary {
  const total = acc();
  const domains = new Map<Domain, Acc>();
  const years = new Map<number, Acc>();
  for (const g of gaps) {
    add(total, g);
    add(domains.get(g.domain) ?? domains.set(g.domain, acc()).get(g.domain)!, g);
    add(years.get(g.deadlineYear) ?? years.set(g.deadlineYear, acc()).get(g.deadlineYear)!, g);
  }
  const order = Object.keys(DOMAINS) as Domain[];
  return {
    total: done(total),
    byDomain: order.filter((d) => domains.has(d)).map((d) => ({ key: d, label: DOMAINS[d], ...done(domains.get(d)!) })),
    byYear: [...years.keys()]
      .sort((a, b) => a - b)
      .map((y) => ({ key: String(y), year: y, label: financialYearLabel(y), ...done(years.get(y)!) })),
  };
}
