/** Display helpers for paper and carbon pages (pure). */

const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2026-10" → "Oct 2026" (chart labels) or "October 2026". */
export const monthShort = (ym: string) => `${MONTHS_SHORT[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;
export const monthLong = (ym: string) => `${MONTHS_LONG[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

/** kg CO2e with sensible precision: "12.3 kg", "1,234 kg". */
export function formatKg(kg: number | null | undefined, unit = " kg CO2e"): string {
  if (kg === null || kg === undefined) return "Missing";
  const dp = Math.abs(kg) >= 100 ? 0 : 1;
  return `${kg.toLocaleString("en-GB", { minimumFractionDigits: dp, maximumFractionDigits: dp })}${unit}`;
}

/** Integer pence as pounds: 123456 → "£1,234.56"; whole pounds when asked. */
export function formatPounds(pence: number, whole = false): string {
  return `£${(pence / 100).toLocaleString("en-GB", { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 })}`;
}

export const formatCount = (n: number | null | undefined) =>
  n === null || n === undefined ? "Not known" : Math.round(n).toLocaleString("en-GB");
