import { daysBetween } from "~/utils/today";
import { lifecycleEdition } from "./parse";

export interface LifecycleRow {
  family: string;
  edition: string;
  version: string;
  end_of_support: string | null;
  extended_end: string | null;
}

export interface DeviceOs {
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  esu_enrolled?: boolean | null;
}

export type SupportState = "supported" | "unsupported" | "esu" | "unknown" | "not_applicable";

export interface SupportStatus {
  state: SupportState;
  endOfSupport: string | null;
  /** Days from asOf to end of support (negative once passed); null when unknown. */
  daysToEnd: number | null;
  lifecycle: LifecycleRow | null;
}

/** Index rows once, then look devices up in O(1): `family|edition|version`. */
export function indexLifecycle(rows: LifecycleRow[]) {
  return new Map(rows.map((r) => [`${r.family}|${r.edition}|${r.version}`, r]));
}


/**
 * Whether a device's OS is supported on `asOf` (YYYY-MM-DD). Support ends at the end of the
 * end-of-support day: supported on that day, unsupported from the next. Paid Extended Security
 * Updates keep a device covered until the extended end date. A device with no OS (a monitor)
 * is not applicable; an OS missing from the table is unknown, never assumed supported.
 */
export function supportStatus(device: DeviceOs, index: Map<string, LifecycleRow>, asOf: string): SupportStatus {
  if (!device.os_family) return { state: "not_applicable", endOfSupport: null, daysToEnd: null, lifecycle: null };
  const edition = lifecycleEdition(device.os_family, device.os_edition, device.os_version);
  const row = edition && device.os_version ? index.get(`${device.os_family}|${edition}|${device.os_version}`) : undefined;
  if (!row || !row.end_of_support) return { state: "unknown", endOfSupport: null, daysToEnd: null, lifecycle: row ?? null };
  const days = daysBetween(asOf, row.end_of_support);
  if (days >= 0) return { state: "supported", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row };
  if (device.esu_enrolled && row.extended_end && asOf <= row.extended_end) {
    return { state: "esu", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row };
  }
  return { state: "unsupported", endOfSupport: row.end_of_support, daysToEnd: days, lifecycle: row };
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
  const [y1, m1, d1] = from.split("-").map(Number);
  const [y2, m2, d2] = asOf.split("-").map(Number);
  let years = y2 - y1;
  if (m2 < m1 || (m2 === m1 && d2 < d1)) years--;
  return years;
}
