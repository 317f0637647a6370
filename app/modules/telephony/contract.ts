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

const englandDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in England as `YYYY-MM-DD` (not UTC, which is a day behind after 23:00 in summer). */
export function todayInEngland(now: Date = new Date()): string {
  return englandDate.format(now);
}
