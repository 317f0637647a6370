import { daysBetween, plainIsoDate } from "~/utils/today";
import { lifecycleEditions } from "./parse";

export interface LifecycleRow {
  family: string;
  edition: string;
  version: string;
  /** Null: a row whose end date Microsoft has not published yet (counted as supported, no end date). */
  end_of_support: string | null;
  /** The last day of the last paid ESU year. */
  extended_end: string | null;
  /** The last day of each paid ESU year, in order; absent or empty for rows without ESU years. */
  esu_year_ends?: readonly string[];
}

export interface DeviceOs {
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  /** Consecutive ESU years bought, from year 1 (0 or null: none or not known). */
  esu_years?: number | null;
}

export type SupportState = "supported" | "unsupported" | "esu" | "unknown" | "not_applicable";

export interface SupportStatus {
  state: SupportState;
  endOfSupport: string | null;
  /** Days from asOf to end of support (negative once passed); null when unknown. */
  daysToEnd: number | null;
  lifecycle: LifecycleRow | null;
  /** The last day the device's bought ESU years cover; null when it has none (or none apply). */
  esuUntil: string | null;
}

/** Index rows once, then look devices up in O(1): `family|edition|version`. */
export function indexLifecycle(rows: LifecycleRow[]) {
  // A loop, not rows.map with a closure made per call (docs/performance.md, session 17, load scaling).
  const index = new Map<string, LifecycleRow>();
  for (const r of rows) index.set(`${r.family}|${r.edition}|${r.version}`, r);
  return index;
}

/** The lifecycle row a device's OS matches: the most specific edition group with a row for its version. */
export function findLifecycleRow(device: DeviceOs, index: Map<string, LifecycleRow>): LifecycleRow | undefined {
  if (!device.os_family || !device.os_version) return undefined;
  for (const edition of lifecycleEditions(device.os_family, device.os_edition, device.os_version)) {
    const row = index.get(`${device.os_family}|${edition}|${device.os_version}`);
    if (row) return row;
  }
  return undefined;
}

/**
 * The last day `years` bought ESU years cover on this row, or null. ESU is bought a year at a time
 * from year 1 (Microsoft requires missed years to be paid for), so 2 years = to the end of year 2.
 * A row an admin gave only a last ESU day (no years) counts as one period to that day.
 */
export function esuCoveredUntil(row: LifecycleRow, years: number | null | undefined): string | null {
  if (!years || years < 1) return null;
  const ends = row.esu_year_ends ?? [];
  if (ends.length) return ends[Math.min(years, ends.length) - 1];
  return row.extended_end;
}

/**
 * Whether a device's OS is supported on `asOf` (YYYY-MM-DD). Support ends at the end of the
 * end-of-support day: supported on that day, unsupported from the next. Paid Extended Security
 * Updates keep a device covered to the end of the last ESU year bought for it, no further. A
 * device with no OS (a monitor) is not applicable; an OS missing from the table is unknown,
 * never assumed supported; a row whose end date is not yet published is supported with no date.
 */
export function supportStatus(device: DeviceOs, index: Map<string, LifecycleRow>, asOf: string): SupportStatus {
  if (!device.os_family) return { state: "not_applicable", endOfSupport: null, daysToEnd: null, lifecycle: null, esuUntil: null };
  const row = findLifecycleRow(device, index);
  if (!row) return { state: "unknown", endOfSupport: null, daysToEnd: null, lifecycle: null, esuUntil: null };
  const esuUntil = esuCoveredUntil(row, device.esu_years);
  if (!row.end_of_support) return { state: "supported", endOfSupport: null, daysToEnd: null, lifecycle: row, esuUntil: null };
  const days = daysBetween(asOf, row.end_of_support);
  if (days >= 0) return { state: "supported", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row, esuUntil };
  if (esuUntil && asOf <= esuUntil) return { state: "esu", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row, esuUntil };
  return { state: "unsupported", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row, esuUntil };
}

export const SUPPORT_LABELS: Record<SupportState, string> = {
  supported: "Supported",
  unsupported: "Unsupported",
  esu: "Extended Security Updates",
  unknown: "Not known",
  not_applicable: "No operating system",
};

/** Whole years between two ISO dates (age of a device on asOf). */
export function ageInYears(from: string | null, asOf: string): number | null {
  if (!from) return null;
  // Plain dates (nearly all) without splitting strings: the rules ask this of every device.
  const a = plainIsoDate(from);
  const b = a && plainIsoDate(asOf);
  if (a && b) return b.y - a.y - (b.m < a.m || (b.m === a.m && b.d < a.d) ? 1 : 0);
  const [y1, m1, d1] = from.split("-").map(Number);
  const [y2, m2, d2] = asOf.split("-").map(Number);
  let years = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) years--;
  return years;
}
