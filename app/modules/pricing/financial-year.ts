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
 * `years - 1` the remedy is kept. Every year from the first is listed, so the years add up to
 * one-off + annual × years exactly.
 */
export function spreadByFinancialYear(money: { oneOffPence: number; annualPence: number }, dueDate: string, years: number) {
  const first = financialYearOf(dueDate);
  return Array.from({ length: Math.max(1, years) }, (_, i) => ({
    year: first + i,
    label: financialYearLabel(first + i),
    pence: (i === 0 ? money.oneOffPence : 0) + money.annualPence,
  }));
}
