const londonDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's date in England as `YYYY-MM-DD`: the default as-of date for support and warranty checks. */
export function todayIso(now: Date = new Date()): string {
  return londonDate.format(now);
}

/** The number written at `iso[start, end)` in plain digits, or -1. */
function digitsAt(iso: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * `{ y, m, d }` of a plainly valid `YYYY-MM-DD` (year 1000 or later, day 1 to 28, so valid in
 * every month), else null: the fast path of the date helpers below, which the rules call about a
 * million times in a national evaluation. Anything else goes the general way.
 */
export function plainIsoDate(iso: string): { y: number; m: number; d: number } | null {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null;
  const y = digitsAt(iso, 0, 4);
  const m = digitsAt(iso, 5, 7);
  const d = digitsAt(iso, 8, 10);
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= 28 ? { y, m, d } : null;
}

/** `Date.parse(`${iso}T00:00:00Z`)`, without parsing text when the date is plainly valid. */
function midnightUtc(iso: string): number {
  const p = plainIsoDate(iso);
  return p ? Date.UTC(p.y, p.m - 1, p.d) : Date.parse(`${iso}T00:00:00Z`);
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) => Math.round((midnightUtc(to) - midnightUtc(from)) / 86_400_000);

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Adds whole days to an ISO date. A plainly valid date (plainIsoDate) moving to a four-digit
 * year is worked out from its numbers, without parsing or printing text: the rules ask this of
 * many devices in a national evaluation, and the text way cost a tenth of a second of it.
 */
export function addDays(iso: string, days: number): string {
  const p = Number.isInteger(days) ? plainIsoDate(iso) : null;
  if (p) {
    const t = new Date(Date.UTC(p.y, p.m - 1, p.d + days));
    const y = t.getUTCFullYear();
    if (y >= 1000 && y <= 9999) return `${y}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
  }
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
