import { COMPLIANCE_STATES, DEVICE_STATUSES, DEVICE_TYPES, FUNDERS, OWNERSHIPS } from "~/modules/devices/schema";
import { OS_FAMILIES } from "~/modules/os-lifecycle/parse";
import type { DeviceColumn } from "./map";

/**
 * Turns spreadsheet spellings into the values DeviceInputSchema accepts ("Laptop" → laptop,
 * "In stock" → spare, "TPM 2.0" → 2.0). Anything not recognised is passed through unchanged,
 * so the schema's own message reports it. Also the inverse: a stored device as export text.
 */

const squash = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_\-/]+/g, " ");

function lookup(entries: Record<string, string>, synonyms: Record<string, string>, opts: { plurals?: boolean } = {}) {
  const map = new Map<string, string>();
  for (const [key, label] of Object.entries(entries)) {
    map.set(squash(key), key);
    map.set(squash(label), key);
  }
  for (const [syn, key] of Object.entries(synonyms)) map.set(squash(syn), key);
  return (raw: string) => {
    const s = squash(raw);
    // Device management categories are plural ("Desktops", "Laptops"): read them as the singular.
    return map.get(s) ?? (opts.plurals && s.endsWith("s") ? map.get(s.slice(0, -1)) : undefined) ?? raw.trim();
  };
}

export const normaliseDeviceType = lookup(
  DEVICE_TYPES,
  {
    pc: "desktop",
    "desktop pc": "desktop",
    workstation: "desktop",
    "all in one": "desktop",
    aio: "desktop",
    notebook: "laptop",
    ultrabook: "laptop",
    "thin client pc": "thin_client",
    "zero client": "thin_client",
    ipad: "tablet",
    "smart card reader": "smartcard_reader",
    "card reader": "smartcard_reader",
    switch: "network_switch",
    "access point": "wifi_access_point",
    "wireless access point": "wifi_access_point",
    wap: "wifi_access_point",
    "wifi access point": "wifi_access_point",
    mfd: "printer",
    "multifunction printer": "printer",
    "multi function device": "printer",
    phone: "phone_handset",
    handset: "phone_handset",
    "ip phone": "phone_handset",
    "desk phone": "phone_handset",
    // Intune device categories as practices and delivery partners name them.
    mobile: "mobile_phone",
    mobiles: "mobile_phone",
    smartphone: "mobile_phone",
    iphone: "mobile_phone",
    "android phone": "mobile_phone",
    "mobile device": "mobile_phone",
    "corporate mobile": "mobile_phone",
    "thin clients": "thin_client",
    ipads: "tablet",
    "surface hub": "other",
  },
  { plurals: true },
);

export const normaliseStatus = lookup(DEVICE_STATUSES, {
  active: "in_use",
  deployed: "in_use",
  live: "in_use",
  "in service": "in_use",
  inuse: "in_use",
  "in stock": "spare",
  stock: "spare",
  storage: "spare",
  "in storage": "spare",
  available: "spare",
  repair: "in_repair",
  faulty: "in_repair",
  broken: "in_repair",
  "awaiting repair": "in_repair",
  retired: "disposed",
  decommissioned: "disposed",
  scrapped: "disposed",
  "written off": "disposed",
});

/**
 * Intune's "Managed by" (and "ManagementAgents") values: every agent that manages the device means
 * it is managed; "Unknown" is blank. Yes/no words still work for other files.
 */
export const normaliseManaged = lookup(
  { yes: "yes", no: "no" },
  {
    intune: "yes",
    "microsoft intune": "yes",
    "co managed": "yes",
    comanaged: "yes",
    configmgr: "yes",
    "configuration manager": "yes",
    sccm: "yes",
    mecm: "yes",
    mdm: "yes",
    eas: "yes",
    "eas mdm": "yes",
    easmdm: "yes",
    "intune client": "yes",
    intuneclient: "yes",
    "mdm configmgr agent": "yes",
    "configmgr agent": "yes",
    configurationmanagerclient: "yes",
    configurationmanagerclientmdm: "yes",
    configurationmanagerclientmdmeas: "yes",
    easintuneclient: "yes",
    jamf: "yes",
    "google cloud device policy controller": "yes",
    googleclouddevicepolicycontroller: "yes",
    "intune and configmgr": "yes",
    unmanaged: "no",
    "not managed": "no",
    none: "no",
    unknown: "",
    "not known": "",
    y: "yes",
    n: "no",
    true: "yes",
    false: "no",
    enabled: "yes",
    disabled: "no",
  },
);

/** Intune's "Ownership" ("Corporate", "Personal"; the API says company/personal). */
export const normaliseOwnership = lookup(OWNERSHIPS, {
  company: "corporate",
  corp: "corporate",
  "corporate owned": "corporate",
  organisation: "corporate",
  organization: "corporate",
  work: "corporate",
  "personally owned": "personal",
  byod: "personal",
  employee: "personal",
  unknown: "",
  "not known": "",
});

/** Intune's "Compliance" column and the API's complianceState values. */
export const normaliseCompliance = lookup(COMPLIANCE_STATES, {
  "non compliant": "noncompliant",
  "not compliant": "noncompliant",
  ingraceperiod: "in_grace_period",
  "grace period": "in_grace_period",
  configmanager: "config_manager",
  "config manager": "config_manager",
  configmgr: "config_manager",
  "see configmgr": "config_manager",
  "configuration manager": "config_manager",
  "not evaluated": "unknown",
});

export const normaliseFunder = lookup(FUNDERS, {
  "gp practice": "practice",
  "practice funded": "practice",
  "icb funded": "icb",
  ccg: "icb",
});

export function normaliseTpm(raw: string): string {
  const s = squash(raw)
    .replace(/^tpm\s*/, "")
    .replace(/^v/, "");
  if (["2", "2.0", "2 0"].includes(s)) return "2.0";
  if (["1.2", "1 2"].includes(s)) return "1.2";
  if (["none", "no", "no tpm", "absent", "not present", "0"].includes(s)) return "none";
  return raw.trim();
}

/** Canonical family spelling ("windows 10" → "Windows 10"); null when the text is not a family name. */
export function canonicalOsFamily(raw: string): string | null {
  const s = squash(raw);
  return OS_FAMILIES.find((f) => squash(f) === s) ?? null;
}

/** `21/11/2026 09:13:00` or `2026-11-21T09:13:00Z` → the date part; the schema reads the rest. */
export function stripTime(raw: string): string {
  const m = /^(\S+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)$/.exec(raw.trim());
  return m ? m[1] : raw;
}

const BOOL_WORDS: Record<string, string> = { enabled: "yes", on: "yes", protected: "yes", disabled: "no", off: "no", unprotected: "no" };
export const normaliseBoolean = (raw: string) => BOOL_WORDS[squash(raw)] ?? raw;

/** "16 GB" → "16"; "8th gen" → "8". */
export const stripUnit = (raw: string, unit: RegExp) => raw.trim().replace(unit, "").trim();

/** Excel runs cells starting with these as formulas; exports prefix them with ' and imports strip it again. */
const FORMULA_START = /^['][=+\-@\t\r]/;
export const unguardFormula = (raw: string) => (FORMULA_START.test(raw) ? raw.slice(1) : raw);
export function guardFormula(s: string): string {
  if (/^[=@\t\r]/.test(s)) return `'${s}`;
  // Signed numbers and phone numbers (+44 20 7946 0000) are data, not formulas.
  if (/^[+-]/.test(s) && !/^[+-][\d\s().]+$/.test(s)) return `'${s}`;
  return s;
}

/** A stored device as import/export text: ISO dates, yes/no/blank, numbers as digits, keys for choices. */
export type DeviceValues = Record<Exclude<DeviceColumn, "practice_ods_code">, string | number | boolean | null>;

export function deviceToText(d: Partial<DeviceValues>): Record<Exclude<DeviceColumn, "practice_ods_code">, string> {
  const out = {} as Record<Exclude<DeviceColumn, "practice_ods_code">, string>;
  for (const [k, v] of Object.entries(d) as [keyof DeviceValues, unknown][]) {
    out[k] = v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
  }
  return out;
}

/** Today's date in England for an instant: the day a check-in is recorded under. */
const ukDay = (t: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(t);

// Intune exports write instants in UTC as `2026-11-30 08:23:45.1234567` (ISO, no zone); the API
// as `2026-11-30T08:23:45Z`. Either may carry an offset.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A "Last check-in" as the day it happened in UK time (`YYYY-MM-DD`). ISO instants without a zone
 * are UTC, as Intune exports them, so 23:30 UTC in summer is the next day here. Day-first text
 * (`30/11/2026 08:23`, `30/11/2026, 08:23:45`, as the Intune portal and a UK Excel show it) is
 * already UK time: its date is kept. Anything else is passed on for the date check to report.
 */
export function checkInDay(raw: string): string {
  const v = raw.trim();
  const m = ISO_INSTANT.exec(v);
  if (m) {
    const zone = !m[7] || m[7].toUpperCase() === "Z" ? "Z" : m[7].includes(":") ? m[7] : `${m[7].slice(0, 3)}:${m[7].slice(3)}`;
    const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${zone}`);
    return Number.isNaN(t.getTime()) ? v : ukDay(t);
  }
  return stripTime(v.replace(/^(\d{1,2}\/\d{1,2}\/\d{2,4}),\s*/, "$1 "));
}

// Models whose name says what they are (Dell, HP, Lenovo, Microsoft, Apple ranges in GP estates).
const LAPTOP_MODELS =
  /\b(latitude|thinkpad|elitebook|probook|zbook|surface (laptop|pro|go|book)|xps|macbook|vivobook|zenbook|travelmate|dynabook|laptop|notebook)\b/i;
const DESKTOP_MODELS =
  /\b(optiplex|thinkcentre|elitedesk|prodesk|elite ?one|proone|precision \d+ tower|imac|mac mini|desktop|tower|sff|all[ -]in[ -]one)\b/i;

/**
 * The type of a new device whose file gives none: from its operating system (phones, iPads,
 * servers) or its model's range name. Null when neither says, and the row is refused.
 */
export function inferDeviceType(osFamily: string | null | undefined, model: string | null | undefined): string | null {
  if (osFamily === "iOS" || osFamily === "Android") return "mobile_phone";
  if (osFamily === "iPadOS") return "tablet";
  if (osFamily === "Windows Server") return "server";
  if (model && LAPTOP_MODELS.test(model)) return "laptop";
  if (model && DESKTOP_MODELS.test(model)) return "desktop";
  return null;
}
