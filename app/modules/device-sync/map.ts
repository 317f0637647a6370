import type { Mapping } from "~/modules/devices/import/map";
import { matchPrefix } from "~/modules/devices/import/prefix-rules";

/**
 * From Graph managedDevice objects to the rows the device import checks (its validation, build
 * string reading and upsert are reused unchanged), and to a practice by the connection owner's
 * rules. Pure: no database, no network.
 */

/** The managedDevice properties the sync maps (feeds.md §4: all in v1.0). */
export const MANAGED_DEVICE_SELECT = [
  "id",
  "deviceName",
  "managedDeviceName",
  "operatingSystem",
  "osVersion",
  "complianceState",
  "isEncrypted",
  "lastSyncDateTime",
  "serialNumber",
  "manufacturer",
  "model",
  "managementAgent",
  "managedDeviceOwnerType",
  "azureADDeviceId",
  "notes",
] as const;

export type ManagedDevice = Partial<Record<(typeof MANAGED_DEVICE_SELECT)[number], unknown>> & { id?: unknown };

export type RuleKind = "prefix" | "group";
export interface Rule {
  kind: RuleKind;
  value: string;
  practice_code: string;
}

/** managedDevice properties that may hold a practice ODS code. */
export const ODS_FIELDS = { notes: "Notes", managedDeviceName: "Managed device name", deviceName: "Device name" } as const;
export type OdsField = keyof typeof ODS_FIELDS;

/**
 * The import's view of a Graph device: one "column" per mapped property, named as Graph names
 * it, so a refused value is reported against the property (e.g. "osVersion").
 */
export const GRAPH_MAPPING: Mapping = [
  { header: "practice (from the connection's rules)", target: "practice_ods_code" },
  { header: "serialNumber", target: "serial_number" },
  { header: "deviceName", target: "device_name" },
  { header: "manufacturer", target: "make" },
  { header: "model", target: "model" },
  { header: "operatingSystem", target: "os_name" },
  { header: "osVersion", target: "os_version" },
  { header: "isEncrypted", target: "encrypted" },
  { header: "complianceState", target: "compliance" },
  { header: "lastSyncDateTime", target: "last_seen" },
  { header: "managementAgent", target: "managed" },
  { header: "managedDeviceOwnerType", target: "ownership" },
];

const text = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");
const bool = (v: unknown) => (v === true ? "yes" : v === false ? "no" : "");

/** The cells of one device, in GRAPH_MAPPING's order. Intune reports a missing serial as "" or "0". */
export function deviceCells(d: ManagedDevice, practiceCode: string): string[] {
  const serial = text(d.serialNumber);
  return [
    practiceCode,
    serial === "0" || /^(system serial number|to be filled by o\.e\.m\.|default string)$/i.test(serial) ? "" : serial,
    text(d.deviceName),
    text(d.manufacturer),
    text(d.model),
    text(d.operatingSystem),
    text(d.osVersion),
    bool(d.isEncrypted),
    text(d.complianceState),
    text(d.lastSyncDateTime),
    text(d.managementAgent),
    text(d.managedDeviceOwnerType),
  ];
}

/**
 * What the source said about a device, to tell a device unchanged in Intune since the last run.
 * A check-in counts by its day (the register keeps the day), or every device would look changed.
 */
export function fingerprintOf(d: ManagedDevice) {
  return JSON.stringify(MANAGED_DEVICE_SELECT.map((k) => (k === "lastSyncDateTime" ? text(d[k]).slice(0, 10) : (d[k] ?? null))));
}

const ODS_IN_TEXT = /(?:^|[^A-Z0-9])([A-Z]\d{5})(?![A-Z0-9])/gi;

export type Placement = { practice: string; by: string } | { practice: null; reason: string };

/**
 * The practice a device belongs to: the longest matching device-name prefix, else an Entra group
 * it is in, else an ODS code written in the chosen property. A device two groups (for different
 * practices) claim, or whose property names two codes, is left unmapped: never guessed.
 */
export function placeDevice(d: ManagedDevice, rules: Rule[], groups: Map<string, Set<string>>, odsField: OdsField | null): Placement {
  const best = matchPrefix(
    text(d.deviceName),
    rules.filter((r) => r.kind === "prefix"),
  );
  if (best) return { practice: best.practice_code, by: `name starts ${best.value}` };
  const entraId = text(d.azureADDeviceId).toLowerCase();
  if (entraId) {
    const inGroups = rules.filter((r) => r.kind === "group" && groups.get(r.value.toLowerCase())?.has(entraId));
    const practices = [...new Set(inGroups.map((r) => r.practice_code))];
    if (practices.length > 1)
      return { practice: null, reason: `In Entra groups for more than one practice (${practices.sort().join(", ")})` };
    if (practices.length === 1) return { practice: practices[0], by: `Entra group ${inGroups[0].value}` };
  }
  if (odsField) {
    const codes = [...new Set([...text(d[odsField]).matchAll(ODS_IN_TEXT)].map((m) => m[1].toUpperCase()))];
    if (codes.length === 1) return { practice: codes[0], by: `ODS code in ${odsField}` };
    if (codes.length > 1) return { practice: null, reason: `${odsField} names more than one ODS code (${codes.join(", ")})` };
  }
  return { practice: null, reason: "No rule matches this device" };
}
