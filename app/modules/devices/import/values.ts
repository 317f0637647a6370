import { DEVICE_STATUSES, DEVICE_TYPES, FUNDERS } from "~/modules/devices/schema";
import { OS_FAMILIES } from "~/modules/os-lifecycle/parse";
import type { DeviceColumn } from "./map";

/**
 * Turns spreadsheet spellings into the values DeviceInputSchema accepts ("Laptop" → laptop,
 * "In stock" → spare, "TPM 2.0" → 2.0). Anything not recognised is passed through unchanged,
 * so the schema's own message reports it. Also the inverse: a stored device as export text.
 */

const squash = (s: string) => s.trim().toLowerCase().replace(/[\s_\-/]+/g, " ");

function lookup(entries: Record<string, string>, synonyms: Record<string, string>) {
  const map = new Map<string, string>();
  for (const [key, label] of Object.entries(entries)) {
    map.set(squash(key), key);
    map.set(squash(label), key);
  }
  for (const [syn, key] of Object.entries(synonyms)) map.set(squash(syn), key);
  return (raw: string) => map.get(squash(raw)) ?? raw.trim();
}

export const normaliseDeviceType = lookup(DEVICE_TYPES, {
  pc: "desktop", "desktop pc": "desktop", workstation: "desktop", "all in one": "desktop", aio: "desktop",
  notebook: "laptop", ultrabook: "laptop", "thin client pc": "thin_client", "zero client": "thin_client",
  ipad: "tablet", "smart card reader": "smartcard_reader", "card reader": "smartcard_reader",
  switch: "network_switch", "access point": "wifi_access_point", "wireless access point": "wifi_access_point", wap: "wifi_access_point",
  "wifi access point": "wifi_access_point", mfd: "printer", "multifunction printer": "printer", "multi function device": "printer",
  phone: "phone_handset", handset: "phone_handset", "ip phone": "phone_handset", "desk phone": "phone_handset",
});

export const normaliseStatus = lookup(DEVICE_STATUSES, {
  active: "in_use", deployed: "in_use", live: "in_use", "in service": "in_use", inuse: "in_use",
  "in stock": "spare", stock: "spare", storage: "spare", "in storage": "spare", available: "spare",
  repair: "in_repair", faulty: "in_repair", broken: "in_repair", "awaiting repair": "in_repair",
  retired: "disposed", decommissioned: "disposed", scrapped: "disposed", "written off": "disposed",
});

export const normaliseFunder = lookup(FUNDERS, { "gp practice": "practice", "practice funded": "practice", "icb funded": "icb", ccg: "icb" });

export function normaliseTpm(raw: string): string {
  const s = squash(raw).replace(/^tpm\s*/, "").replace(/^v/, "");
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
