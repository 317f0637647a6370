import { AUTOMATIC_REQUIREMENTS, DOMAINS, requirementById, type Domain } from "~/modules/catalogue";
import { candidateDates, evaluateEstate } from "~/modules/compliance/engine";
import { RULES, type PolicyValues, type PracticeEstate, type Status } from "~/modules/compliance/rules";
import { estimateUnits, ZERO_ESTIMATE, type Estimate, type PriceBook } from "~/modules/pricing/costing";
import type { ForecastEvent } from "~/modules/compliance/forecast/timeline";

/**
 * What lapses across an ICB: requirements met today that the rules say will be partly met or
 * not met by each horizon (12 and 24 months), from the same forecast the practice page shows
 * (compliance/engine.ts forecastEstate), each costed with the ICB's price book on the horizon
 * date. As everywhere, a lapse whose work cannot be priced counts under "no estimate", never £0.
 */
export interface Lapse {
  practiceCode: string;
  requirementId: string;
  /** First day the requirement stops being met. */
  date: string;
  to: Status;
  estimate: Estimate;
}

export interface ForecastGroup {
  key: string;
  label: string;
  lapses: number;
  practices: number;
  estimatedPence: number;
  noEstimate: number;
  /** Earliest date one of these lapses happens. */
  firstDate: string | null;
}

export interface HorizonSummary {
  months: number;
  date: string;
  total: Omit<ForecastGroup, "key" | "label">;
  byDomain: ForecastGroup[];
  byRequirement: (ForecastGroup & { domain: Domain })[];
}

const LAPSED: ReadonlySet<Status> = new Set(["not_met", "partial"]);

const FORECASTABLE = AUTOMATIC_REQUIREMENTS.filter((r) => RULES.get(r.id)?.forecastable);

/**
 * Every lapse by each horizon for one practice: met today, and not met or partly met on the
 * horizon date; the same requirements as engine.ts forecastEstate reports with `from` met and
 * `to` lapsed (test/unit/dashboard-forecast.test.ts holds the two together). The date is the
 * first candidate date (engine.ts candidateDates) on which it is no longer met, and the units
 * are those the rules name on the horizon date (the work needed by then).
 *
 * Why not call forecastEstate itself: it re-runs every rule on every candidate date (device
 * birthdays, warranty and support ends: hundreds per practice), about 340 ms a practice and
 * 90 s for North East London's 264 practices. Here all rules run on today and each horizon
 * only, and the date walk is done for the lapsing requirement alone: about 1,000 times less work.
 */
export function practiceLapses(estate: PracticeEstate, policy: PolicyValues, asOf: string, horizons: readonly string[], book: PriceBook) {
  const today = evaluateEstate(estate, policy, asOf, FORECASTABLE);
  const met = FORECASTABLE.filter((r) => today.get(r.id)!.status === "met");
  if (met.length === 0) return horizons.map((date) => ({ date, lapses: [] as Lapse[] }));
  let dates: string[] | null = null;
  return horizons.map((date) => {
    const at = evaluateEstate(estate, policy, date, met);
    const lapses: Lapse[] = [];
    for (const req of met) {
      const finding = at.get(req.id)!;
      if (!LAPSED.has(finding.status)) continue;
      dates ??= candidateDates(
        estate,
        policy,
        asOf,
        horizons.reduce((a, b) => (a > b ? a : b)),
      );
      const first = dates.find((d) => d <= date && evaluateEstate(estate, policy, d, [req]).get(req.id)!.status !== "met") ?? date;
      lapses.push({
        practiceCode: estate.practice.ods_code,
        requirementId: req.id,
        date: first,
        to: finding.status,
        estimate: estimateUnits(finding.units, { icbCode: estate.practice.icb_code, listSize: estate.practice.list_size }, book, date),
      });
    }
    return { date, lapses };
  });
}

/**
 * A change for the worse from the forecast timeline (forecast/timeline.ts) as a lapse the
 * dashboard totals: a requirement met today that lapses, or one already failing that gets
 * worse (more devices out of support). A change that adds no work is costed at nothing extra
 * (its work is already in today's gap), not "no estimate".
 */
export function toLapse(e: ForecastEvent): Lapse {
  return {
    practiceCode: e.practiceCode,
    requirementId: e.requirementId,
    date: e.date,
    to: e.to.status,
    estimate: e.estimate ?? ZERO_ESTIMATE,
  };
}

/** What the totals read of a lapse (the dashboard's per-practice shares keep no more). */
export type LapseFigures = Pick<Lapse, "practiceCode" | "requirementId" | "date"> & { estimate: Pick<Estimate, "pence"> };

type Acc = { lapses: number; practices: Set<string>; estimatedPence: number; noEstimate: number; firstDate: string | null };
const acc = (): Acc => ({ lapses: 0, practices: new Set(), estimatedPence: 0, noEstimate: 0, firstDate: null });
function add(a: Acc, l: LapseFigures) {
  a.lapses++;
  a.practices.add(l.practiceCode);
  if (l.estimate.pence === null) a.noEstimate++;
  else a.estimatedPence += l.estimate.pence;
  if (a.firstDate === null || l.date < a.firstDate) a.firstDate = l.date;
}
const done = ({ practices, ...rest }: Acc) => ({ ...rest, practices: practices.size });

/** Totals per horizon, by domain and by requirement (most lapses first). Totals equal the sum of their rows. */
export function summariseLapses(horizons: readonly { months: number; date: string; lapses: readonly LapseFigures[] }[]): HorizonSummary[] {
  const domainOrder = Object.keys(DOMAINS) as Domain[];
  return horizons.map((h) => {
    const total = acc();
    const byDomain = new Map<Domain, Acc>();
    const byReq = new Map<string, Acc>();
    for (const l of h.lapses) {
      const domain = requirementById(l.requirementId)!.domain;
      add(total, l);
      add(byDomain.get(domain) ?? byDomain.set(domain, acc()).get(domain)!, l);
      add(byReq.get(l.requirementId) ?? byReq.set(l.requirementId, acc()).get(l.requirementId)!, l);
    }
    return {
      months: h.months,
      date: h.date,
      total: done(total),
      byDomain: domainOrder.filter((d) => byDomain.has(d)).map((d) => ({ key: d, label: DOMAINS[d], ...done(byDomain.get(d)!) })),
      byRequirement: [...byReq.entries()]
        .map(([id, a]) => ({ key: id, label: `${id} ${requirementById(id)!.title}`, domain: requirementById(id)!.domain, ...done(a) }))
        .sort((a, b) => b.lapses - a.lapses || a.key.localeCompare(b.key)),
    };
  });
}
