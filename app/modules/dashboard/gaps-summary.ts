import { DOMAINS, type Domain } from "~/modules/catalogue";
import type { CostedGap } from "~/modules/gaps/costed.server";
import type { GapFigureRow, GapYearLine } from "~/modules/gaps/summary-repository.server";
import { annualLastYear } from "~/modules/pricing/annual-limits";
import { addAnnualEnds, costsByFinancialYear, financialYearLabel } from "~/modules/pricing/financial-year";

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
  /** Sum of the full estimates of the gaps that have one (ex VAT). */
  estimatedPence: number;
  /** VAT on `estimatedPence`: inc VAT is the two added (docs/money.md). */
  vatPence: number;
  /** Gaps with no full estimate. */
  noEstimate: number;
  /** The priced part of the gaps with no full estimate (not in estimatedPence). */
  partialPence: number;
}

export interface GapSummary {
  total: Omit<GapGroup, "key" | "label">;
  byDomain: GapGroup[];
  /**
   * By financial year of the deadline, from the earliest to the horizon's last year. `inYearPence`
   * is what falls in the year (ex VAT): the one-off costs of the gaps due in it plus the annual
   * costs of every gap due in it or before (costsByFinancialYear), so a warranty extension or
   * HSCN rental counts in each year it recurs, not only the first. A year with no deadline but
   * annual costs recurring into it is listed with no gaps.
   */
  byYear: (GapGroup & { year: number; inYearPence: number; recurringPence: number })[];
}

type Acc = {
  gaps: number;
  practices: Set<string>;
  highPriority: number;
  estimatedPence: number;
  vatPence: number;
  noEstimate: number;
  partialPence: number;
  oneOffPence: number;
  annualPence: number;
  /** Of annualPence, the ESU-like parts that stop after their last year. */
  annualEnds: Record<number, number>;
};
const acc = (): Acc => ({
  gaps: 0,
  practices: new Set(),
  highPriority: 0,
  estimatedPence: 0,
  vatPence: 0,
  noEstimate: 0,
  partialPence: 0,
  oneOffPence: 0,
  annualPence: 0,
  annualEnds: {},
});

function add(a: Acc, g: Pick<CostedGap, "practiceCode" | "priority" | "estimate">) {
  a.gaps++;
  a.practices.add(g.practiceCode);
  if (g.priority.level === "high") a.highPriority++;
  if (g.estimate.pence === null) {
    a.noEstimate++;
    a.partialPence += g.estimate.knownPence;
  } else {
    a.estimatedPence += g.estimate.pence;
    a.vatPence += g.estimate.vatPence ?? 0;
    a.oneOffPence += g.estimate.split.oneOffPence;
    a.annualPence += g.estimate.split.annualPence;
    addAnnualEnds(a.annualEnds, g.estimate.split.annualEnds);
  }
}

const done = ({ practices, oneOffPence: _, annualPence: __, annualEnds: ___, ...rest }: Acc) => ({ ...rest, practices: practices.size });

/** `lastYear`: the horizon's last financial year (costHorizonLastYear), to which annual costs recur. */
export function summariseGaps(
  gaps: readonly Pick<CostedGap, "practiceCode" | "domain" | "deadlineYear" | "priority" | "estimate">[],
  lastYear: number,
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
    byYear: costsByFinancialYear(
      [...years].map(([year, a]) => ({ year, oneOffPence: a.oneOffPence, annualPence: a.annualPence, annualEnds: a.annualEnds })),
      lastYear,
    )
      .filter((m) => years.has(m.year) || m.recurringPence > 0)
      .map((m) => ({
        key: String(m.year),
        year: m.year,
        label: financialYearLabel(m.year),
        ...done(years.get(m.year) ?? acc()),
        inYearPence: m.pence,
        recurringPence: m.recurringPence,
      })),
  };
}

/**
 * The same summary from the figures the database added up (gaps/summary-repository.server.ts:
 * one row per grouping, and the full estimates' pence by year of deadline, unit kind and
 * recurrence). The spread over financial years is worked out here, from those few rows, by the
 * same costsByFinancialYear as `summariseGaps`, so the two give identical figures.
 */
export function summaryFromFigures(groups: readonly GapFigureRow[], yearLines: readonly GapYearLine[], lastYear: number): GapSummary {
  const figures = (r: GapFigureRow | undefined): GapSummary["total"] => ({
    gaps: r?.gaps ?? 0,
    practices: r?.practices ?? 0,
    highPriority: r?.highPriority ?? 0,
    estimatedPence: r?.estimatedPence ?? 0,
    vatPence: r?.vatPence ?? 0,
    noEstimate: r?.noEstimate ?? 0,
    partialPence: r?.partialPence ?? 0,
  });
  const total = groups.find((g) => g.set === "total");
  const domains = new Map(groups.filter((g) => g.set === "domain").map((g) => [g.domain!, g]));
  const years = new Map(groups.filter((g) => g.set === "year" && g.gaps > 0).map((g) => [g.year!, g]));
  const order = Object.keys(DOMAINS) as Domain[];
  return {
    total: figures(total?.gaps ? total : undefined),
    byDomain: order.filter((d) => domains.has(d)).map((d) => ({ key: d, label: DOMAINS[d], ...figures(domains.get(d)) })),
    byYear: costsByFinancialYear(
      [
        // Every year with gaps, priced or not, and each kind of work's pence in its year.
        ...[...years.keys()].map((year) => ({ year, oneOffPence: 0, annualPence: 0 })),
        ...yearLines.map((l) => {
          // A unit sold for a limited number of years (ESU) stops after its last year, as in summariseGaps.
          const last = l.recurrence === "annual" ? annualLastYear(l.kind) : null;
          return {
            year: l.year,
            oneOffPence: l.recurrence === "one_off" ? l.pence : 0,
            annualPence: l.recurrence === "annual" ? l.pence : 0,
            ...(last !== null ? { annualEnds: { [last]: l.pence } } : {}),
          };
        }),
      ],
      lastYear,
    )
      .filter((m) => years.has(m.year) || m.recurringPence > 0)
      .map((m) => ({
        key: String(m.year),
        year: m.year,
        label: financialYearLabel(m.year),
        ...figures(years.get(m.year)),
        inYearPence: m.pence,
        recurringPence: m.recurringPence,
      })),
  };
}
