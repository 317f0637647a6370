import { formatNumber } from "./format";

/**
 * List sizes come from NHS England's monthly "Patients registered at a GP practice" files; each
 * practice carries the figure of the newest extract imported for it (by extract date, whatever
 * order the files were imported in). Wherever a patient count is shown, its vintage (the extract
 * month) is shown with it, and a vintage older than LIST_SIZE_STALE_MONTHS is marked.
 */
export const LIST_SIZE_STALE_MONTHS = 6;

const monthFmt = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** `2026-04-01` → `April 2026`. */
export function vintageMonth(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : monthFmt.format(d);
}

/** Whether an extract dated `iso` is more than LIST_SIZE_STALE_MONTHS whole months before `today`. */
export function isStaleVintage(iso: string | null | undefined, today: string): boolean {
  if (!iso) return false;
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  return (ty - y) * 12 + (tm - m) > LIST_SIZE_STALE_MONTHS;
}

/** "12,345 patients (April 2026)", with "— older than 6 months" when stale; "" with no figure. */
export function patientsWithVintage(patients: number | null | undefined, iso: string | null | undefined, today: string): string {
  if (patients === null || patients === undefined) return "";
  const base = `${formatNumber(patients)} patients`;
  if (!iso) return `${base} (date not known)`;
  return `${base} (${vintageMonth(iso)})${isStaleVintage(iso, today) ? ` — older than ${LIST_SIZE_STALE_MONTHS} months` : ""}`;
}

/** The vintage of a sum over practices: "April 2026", or "January 2021 to April 2026" when they differ. */
export function vintageRange(oldest: string | null | undefined, newest: string | null | undefined): string {
  if (!oldest || !newest) return vintageMonth(oldest ?? newest);
  const [a, b] = [vintageMonth(oldest), vintageMonth(newest)];
  return a === b ? a : `${a} to ${b}`;
}
