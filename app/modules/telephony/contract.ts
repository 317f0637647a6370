/** Whole days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const ms = Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}

/**
 * A short note beside a contract end date, as of a given day: "ends in 45 days", "ends today",
 * "ended". The date is passed in so the page and its tests agree on "today".
 */
export function contractEndNote(contractEnd: string | null | undefined, today: string): string | null {
  if (!contractEnd) return null;
  const days = daysBetween(today, contractEnd);
  if (days < 0) return "ended";
  if (days === 0) return "ends today";
  return days === 1 ? "ends tomorrow" : `ends in ${days.toLocaleString("en-GB")} days`;
}
