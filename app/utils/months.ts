/** Calendar months as "YYYY-MM" strings (dates are ISO strings throughout; see docs/adr/0004-string-dates.md). */

export const monthOf = (iso: string) => iso.slice(0, 7);
export function addMonthsYm(ym: string, n: number): string {
  const [y, m] = ym.split("-").map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`;
}
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonthsYm(m, 1)) out.push(m);
  return out;
}
export const firstDay = (ym: string) => `${ym}-01`;
export function lastDay(ym: string) {
  const [y, m] = ym.split("-").map(Number);
  return `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
}
/** The last whole month before the as-of date's month. */
export const lastCompleteMonth = (asOf: string) => addMonthsYm(monthOf(asOf), -1);

/** The twelve whole months before the as-of date's month, oldest first. */
export function last12Months(asOf: string): string[] {
  const end = lastCompleteMonth(asOf);
  return monthsBetween(addMonthsYm(end, -11), end);
}
