import { formatDate as formatDateOnce } from "~/utils/format";
import { DEVICE_TYPES, OS_DEVICE_TYPES } from "~/modules/catalogue/device-types";
import type { UnitKind } from "~/modules/catalogue/units";
import { addDays } from "~/utils/today";
import type {
  DeviceRecord,
  EvidenceRef,
  Finding,
  PracticeEstate,
  SiteRecord,
  Status,
  Unit,
  Upcoming,
} from "~/modules/catalogue/rule-types";

// The rules run for every practice of England in one evaluation (about 350,000 findings), and
// write the same few numbers and dates into their reasons over and over: the helpers below give
// exactly what Intl and Date give, from a memo or a fast path, because those calls were a tenth
// of the rules' time.

/** A memo of a pure string function, emptied when it grows past `max` (dates are a small set, but never let it grow without bound). */
export function memo<T>(fn: (key: string) => T, max = 20_000) {
  const cache = new Map<string, T>();
  return (key: string): T => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      if (cache.size >= max) cache.clear();
      cache.set(key, (v = fn(key)));
    }
    return v as T;
  };
}

const formatIso = memo(formatDateOnce);
/** "14 October 2025", as utils/format's formatDate (the same function, remembered per date). */
export const formatDate = (iso: string | null | undefined) => (iso ? formatIso(iso) : formatDateOnce(iso));

/** Computers people work at: the devices that run the clinical system. */
export const END_USER_TYPES = ["desktop", "laptop", "thin_client", "tablet"];
export const OS_TYPES: readonly string[] = OS_DEVICE_TYPES;

/** The digits of a whole number in groups of three, as en-GB writes them: "351214" is "351,214". */
function grouped(digits: string): string {
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * `n.toLocaleString("en-GB")`: whole numbers from 0 up (every count in a reason, and the
 * thousands of sheets, letters and messages in paper reasons) are their digits in groups of
 * three, written without asking Intl, which cost more of a national evaluation than any rule.
 */
export const num = (n: number) =>
  Number.isSafeInteger(n) && n >= 0 && !Object.is(n, -0) ? (n < 1000 ? String(n) : grouped(String(n))) : n.toLocaleString("en-GB");
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
/** "are" or "is" to agree with a count. */
export const verb = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Joins phrases as English does: "a", "a and b", "a, b and c". */
export function list(parts: string[], conjunction = "and"): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} ${conjunction} ${parts[parts.length - 1]}`;
}

export { addDays, daysBetween as daysFrom } from "~/utils/today";

/**
 * The last day within `days` of `asOf`. For ISO dates (YYYY-MM-DD, as every stored date is),
 * `date <= lastDayWithin(asOf, days)` is `daysFrom(asOf, date) <= days`: the rules that warn of
 * dates ahead ask it of every device in use, and comparing text parses no date per device.
 */
export const lastDayWithin = (asOf: string, days: number) => addDays(asOf, days);
/** Same day-of-month `years` later (29 February becomes 28 February). */
export const addYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`.replace(/-02-29$/, "-02-28");

export const isOpenSite = (s: SiteRecord, asOf: string) => (!s.open_date || s.open_date <= asOf) && (!s.close_date || s.close_date > asOf);
export const openSites = (e: PracticeEstate, asOf: string) => e.sites.filter((s) => isOpenSite(s, asOf));
/**
 * The devices in use, of some types or all. A dozen rules ask the same practice the same
 * question: answered once per estate and list of types (the estate object is the key; rules are
 * pure and never change what they are given, nor the lists returned here).
 */
export const inUse = (e: PracticeEstate, types?: readonly string[]): DeviceRecord[] => {
  let byTypes = inUseCache.get(e);
  if (!byTypes || byTypes.devices !== e.devices) inUseCache.set(e, (byTypes = { devices: e.devices, lists: new Map() }));
  const key = types ? types.join("|") : "*";
  let list = byTypes.lists.get(key);
  if (!list) byTypes.lists.set(key, (list = e.devices.filter((d) => d.status === "in_use" && (!types || types.includes(d.device_type)))));
  return list;
};
const inUseCache = new WeakMap<PracticeEstate, { devices: DeviceRecord[]; lists: Map<string, DeviceRecord[]> }>();

const typeLabel = (t: string) => (DEVICE_TYPES as Record<string, string>)[t] ?? t;
/** Lower case for use mid-sentence, keeping "Wi-Fi" as written. */
const lower = (s: string) => s.toLowerCase().replace(/wi-fi/g, "Wi-Fi");
/** A device type's label mid-sentence, worked out once per type. */
const lowerTypeLabel = memo((t: string) => lower(typeLabel(t)), 1000);

/** "7 of 23 desktops", "All 23 desktops" or "The one desktop", for the start of a sentence. */
export function ofTotal(n: number, total: number, noun: string): string {
  if (n === total) return total === 1 ? `The one ${noun.replace(/s$/, "")}` : `All ${num(total)} ${noun}`;
  return `${num(n)} of ${num(total)} ${noun}`;
}

/** "desktops" when every device is one type, else the given general noun. */
export function nounFor(devices: DeviceRecord[], general = "computers"): string {
  const types = new Set(devices.map((d) => d.device_type));
  if (types.size !== 1) return general;
  const label = lowerTypeLabel([...types][0]);
  // "network switches", not "network switchs".
  return label.endsWith("s") ? label : /(ch|sh|x)$/.test(label) ? `${label}es` : `${label}s`;
}

export function deviceLabel(d: DeviceRecord): string {
  const name = d.asset_tag ?? d.serial_number ?? `device ${d.id}`;
  return `${name} (${lowerTypeLabel(d.device_type)})`;
}

export const deviceRef = (d: DeviceRecord, outcome?: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "device",
  id: String(d.id),
  label: deviceLabel(d),
  outcome,
});
export const siteRef = (s: SiteRecord, outcome?: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "site",
  id: s.code,
  label: `${s.name} (${s.kind === "main" ? "main site" : "branch"})`,
  outcome,
});

export type Check = boolean | null;

/** Splits records by a check: true passes, false fails, null is not known. */
export function tally<T>(items: readonly T[], test: (t: T) => Check) {
  const ok: T[] = [];
  const fail: T[] = [];
  const unknown: T[] = [];
  for (const i of items) {
    const r = test(i);
    (r === true ? ok : r === false ? fail : unknown).push(i);
  }
  return { ok, fail, unknown, total: items.length };
}

/**
 * Status from counts. A known failure outweighs missing data (some pass → partly met, none pass
 * → not met); otherwise anything missing makes it not known, never met.
 */
export function statusOf(t: { ok: unknown[]; fail: unknown[]; unknown: unknown[] }): Status {
  if (t.fail.length > 0) return t.ok.length > 0 ? "partial" : "not_met";
  if (t.unknown.length > 0) return "unknown";
  return "met";
}

/** Combines the statuses of parts of one requirement (all must hold). */
export function combine(parts: Status[]): Status {
  const s = parts.filter((p) => p !== "not_applicable");
  if (s.length === 0) return "not_applicable";
  if (s.every((p) => p === "met")) return "met";
  if (s.every((p) => p === "not_met")) return "not_met";
  if (s.some((p) => p === "not_met" || p === "partial")) return "partial";
  return "unknown";
}

/**
 * Replacement units for failing devices, split the way price lists are: desktops (and thin
 * clients), laptops (and tablets), network switches and firewalls, and anything else. Each
 * carries its devices, so a device replaced under two requirements is costed once.
 */
export function replacementUnits(devices: readonly Pick<DeviceRecord, "id" | "device_type">[]): Unit[] {
  const of = (types: string[] | null) => devices.filter((d) => (types ? types.includes(d.device_type) : !GROUPED.includes(d.device_type)));
  return [
    deviceUnit("desktop_replacement", of(["desktop", "thin_client"])),
    deviceUnit("laptop_replacement", of(["laptop", "tablet"])),
    deviceUnit("network_device_replacement", of(["network_switch", "firewall"])),
    deviceUnit("device_replacement", of(null)),
  ].filter((u): u is Unit => u !== null);
}
const GROUPED = ["desktop", "thin_client", "laptop", "tablet", "network_switch", "firewall"];

export const units = (...list: [UnitKind, number][]): Unit[] =>
  list.filter(([, q]) => q > 0).map(([kind, quantity]) => ({ kind, quantity }));

/** One unit per device, each carrying its device (null when there are none). */
export function deviceUnit(kind: UnitKind, devices: readonly Pick<DeviceRecord, "id">[]): Unit | null {
  return devices.length ? { kind, quantity: devices.length, items: devices.map((d) => `device:${d.id}`) } : null;
}
export const deviceUnits = (...list: [UnitKind, readonly Pick<DeviceRecord, "id">[]][]): Unit[] =>
  list.map(([k, d]) => deviceUnit(k, d)).filter((u): u is Unit => u !== null);

/** A unit of work on one shared thing (the practice's telephony, its remote capacity): costed once whatever requirements need it. */
export const sharedUnit = (kind: UnitKind, quantity: number, ref: string): Unit[] => (quantity > 0 ? [{ kind, quantity, ref }] : []);

/** Per-item units on shared things (sites, access points): `items` are their keys. */
export const itemUnit = (kind: UnitKind, items: string[]): Unit[] => (items.length ? [{ kind, quantity: items.length, items }] : []);

export function finding(status: Status, reason: string, evidence: EvidenceRef[] = [], u: Unit[] = [], upcoming: Upcoming[] = []): Finding {
  return upcoming.length ? { status, reason, evidence, units: u, upcoming } : { status, reason, evidence, units: u };
}

export const NO_DEVICES = "No devices are recorded for this practice, so this cannot be checked.";
export const NO_SITES = "No open sites are recorded for this practice, so this cannot be checked.";
export const NO_TELEPHONY = "No current telephony system is recorded for this practice.";

/**
 * Evidence for a tally of devices: the records that fail or whose data is missing, each marked.
 * Devices that pass are counted in the reason, not listed: otherwise a practice's 200 computers
 * would be listed under a dozen requirements, and every evaluation would store and compare those
 * lists (passing devices were 85% of all evidence stored nationally).
 */
export function problemRefs<T>(t: { fail: T[]; unknown: T[] }, ref: (x: T, o: EvidenceRef["outcome"]) => EvidenceRef): EvidenceRef[] {
  return [...t.fail.map((x) => ref(x, "fail")), ...t.unknown.map((x) => ref(x, "unknown"))];
}

/** Evidence for every record in a tally, each marked with its outcome (for the few sites a practice has). */
export function refsOf<T>(t: { ok: T[]; fail: T[]; unknown: T[] }, ref: (x: T, o: EvidenceRef["outcome"]) => EvidenceRef): EvidenceRef[] {
  return [...t.fail.map((x) => ref(x, "fail")), ...t.unknown.map((x) => ref(x, "unknown")), ...t.ok.map((x) => ref(x, "ok"))];
}

/** The site a device belongs to; devices with no site are taken to be at the main site. */
export function siteOfDevice(d: DeviceRecord, sites: SiteRecord[]): string | null {
  if (d.site_code) return d.site_code;
  return sites.find((s) => s.kind === "main")?.code ?? null;
}

/** "F84003-DE0001 (desktop), F84003-DE0002 (desktop) and 3 more" for short reasons. */
export function nameSome(labels: string[], max = 3): string {
  if (labels.length <= max) return list(labels);
  return `${labels.slice(0, max).join(", ")} and ${labels.length - max} more`;
}
