/**
 * NHS financial years run from 1 April to 31 March. A year is held as the calendar year it starts
 * in (2026 is 2026/27) and shown as "2026/27".
 */
export function financialYearOf(iso: string): number {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

export const financialYearLabel = (start: number) => `${start}/${String((start + 1) % 100).padStart(2, "0")}`;

/** First and last day of a financial year. */
export const financialYearRange = (start: number) => ({ from: `${start}-04-01`, to: `${start + 1}-03-31` });

/** Reads "2026/27", "2026-27" or "2026" as 2026; null if it is not a financial year. */
export function parseFinancialYear(input: string): number | null {
  const m = /^\s*(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?\s*$/.exec(input);
  if (!m) return null;
  const start = Number(m[1]);
  if (start < 2000 || start > 2100) return null;
  if (m[2] !== undefined) {
    const end = Number(m[2]);
    if ((m[2].length === 2 ? end : end % 100) !== (start + 1) % 100) return null;
  }
  return start;
}

/**
 * An estimate spread over financial years: one-off costs fall in the year the work is due;
 * annual costs (warranty, licences, rental, ESU years) fall in that year and each of the next
 * `years - 1` the remedy is kept, except the limited parts in `annualEnds`, which stop after
 * their last year (costsByFinancialYear). Every year from the first is listed.
 */
export function spreadByFinancialYear(
  money: { oneOffPence: number; annualPence: number; annualEnds?: AnnualEnds },
  dueDate: string,
  years: number,
) {
  const first = financialYearOf(dueDate);
  return costsByFinancialYear([{ year: first, ...money }], first + Math.max(1, years) - 1).map((y) => ({
    year: y.year,
    label: y.label,
    pence: y.pence,
  }));
}

/** One financial year's share of a set of estimates, with annual costs recurring (`costsByFinancialYear`). */
export interface YearCost {
  year: number;
  label: string;
  /** One-off costs due in the year. */
  oneOffPence: number;
  /** Annual costs paid in the year: those first due in it and those recurring from earlier years. */
  annualPence: number;
  /** Of `annualPence`, the part recurring from earlier years. */
  recurringPence: number;
  /** oneOffPence + annualPence: what falls in the year. */
  pence: number;
}

/**
 * Parts of an annual cost that stop after a financial year: last year → pence. A unit sold for a
 * limited number of years (Windows 10 ESU: annual-limits.ts) recurs no later than its last year.
 */
export type AnnualEnds = Readonly<Record<number, number>>;

/** Adds `from`'s parts into `into` (mutating it) and returns it. */
export function addAnnualEnds(into: Record<number, number>, from: AnnualEnds | undefined): Record<number, number> {
  if (from) for (const [year, pence] of Object.entries(from)) into[Number(year)] = (into[Number(year)] ?? 0) + pence;
  return into;
}

/**
 * What a set of estimates costs in each financial year up to `lastYear` (the horizon's last
 * year): each item's one-off cost falls in its year; its annual cost (warranty extension, an
 * ESU year, HSCN rental, licences) in its year and every later year to `lastYear`, except the
 * parts in `annualEnds` (included in `annualPence`), which recur no later than their own last
 * year (an ESU year can be bought up to 2027/28 only; an item due after that still shows its
 * first year, as its estimate does). An item due after `lastYear` counts once, in its own year.
 * Every year from the first item's to the last is listed (a year with nothing in it shows £0),
 * so by hand: a year's figure is its one-offs plus the annual costs of everything due in it or
 * before, less the limited ones whose last year has passed. Empty when there are no items.
 */
export function costsByFinancialYear(
  items: Iterable<{ year: number; oneOffPence: number; annualPence: number; annualEnds?: AnnualEnds }>,
  lastYear: number,
): YearCost[] {
  const due = new Map<number, { oneOff: number; annual: number; ends: Record<number, number> }>();
  for (const it of items) {
    const d = due.get(it.year) ?? due.set(it.year, { oneOff: 0, annual: 0, ends: {} }).get(it.year)!;
    d.oneOff += it.oneOffPence;
    d.annual += it.annualPence;
    addAnnualEnds(d.ends, it.annualEnds);
  }
  if (due.size === 0) return [];
  const years = [...due.keys()];
  const first = Math.min(...years);
  const last = Math.max(lastYear, ...years);
  const out: YearCost[] = [];
  let recurring = 0;
  // Limited annual parts leave `recurring` from the year after their last year (or after their own year).
  const stops = new Map<number, number>();
  for (let year = first; year <= last; year++) {
    recurring -= stops.get(year) ?? 0;
    const d = due.get(year) ?? { oneOff: 0, annual: 0, ends: {} };
    const rec = year <= lastYear ? recurring : 0;
    out.push({
      year,
      label: financialYearLabel(year),
      oneOffPence: d.oneOff,
      annualPence: d.annual + rec,
      recurringPence: rec,
      pence: d.oneOff + d.annual + rec,
    });
    if (year <= lastYear) {
      recurring += d.annual;
      for (const [end, pence] of Object.entries(d.ends)) {
        const stop = Math.max(Number(end), year) + 1;
        stops.set(stop, (stops.get(stop) ?? 0) + pence);
      }
    }
  }
  return out;
}

/**
 * The register's and the dashboard's money horizon: today's financial year and the two after
 * (the medium-term plan an ICB budgets for). Annual costs of open gaps recur to its last year.
 */
export const COST_HORIZON_YEARS = 3;
export const costHorizonLastYear = (today: string) => financialYearOf(today) + COST_HORIZON_YEARS - 1;
