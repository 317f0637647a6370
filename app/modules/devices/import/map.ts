import { DEVICE_COLUMNS, DEVICE_LABELS } from "~/modules/devices/schema";

/**
 * Column mapping: which column of an uploaded file feeds which device field. Shared by the
 * server (auto-matching, validation) and the mapping form, so it imports nothing server-only.
 */

export type DeviceColumn = (typeof DEVICE_COLUMNS)[number];
/** Device columns plus `os_name`: one column holding the whole OS, as inventory tools write it. */
export type ImportTarget = DeviceColumn | "os_name";
export const IMPORT_TARGETS: readonly ImportTarget[] = [...DEVICE_COLUMNS, "os_name"];
export const isImportTarget = (v: string): v is ImportTarget => (IMPORT_TARGETS as readonly string[]).includes(v);

export const TARGET_LABELS: Record<ImportTarget, string> = {
  ...(DEVICE_LABELS as Record<DeviceColumn, string>),
  os_family: "Operating system family (Windows 10, macOS…)",
  os_name: "Operating system, full name (split into family, edition, version and build)",
  os_version: "OS version (a release such as 22H2, or a build such as 10.0.26100.3476)",
  last_seen: "Last check-in (day, UK time)",
};

/** One entry per column of the file, in file order; target null means "do not import". */
export type Mapping = { header: string; target: ImportTarget | null }[];

/** Lower case, letters and digits only: "RAM (GB)" → "ram gb", "Asset_Tag" → "asset tag". */
export function normaliseHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

// Headers people and inventory tools use for each field (normalised form). The column's own
// name and its label in DEVICE_LABELS are added below, so an export always maps back.
const SYNONYMS: Record<ImportTarget, string[]> = {
  practice_ods_code: ["practice", "ods", "ods code", "practice code", "practice ods", "gp practice code", "organisation code", "org code"],
  asset_tag: ["asset tag", "asset no", "asset number", "asset id", "asset", "asset ref", "asset reference", "tag", "inventory number"],
  serial_number: ["serial", "serial number", "serial no", "serialnumber", "sn", "service tag"],
  device_type: ["device type", "type", "asset type", "equipment type", "device category", "category"],
  make: ["make", "manufacturer", "vendor", "brand"],
  model: ["model", "model name", "product name"],
  site_code: ["site", "site code", "site ods code", "site name", "branch"],
  status: ["status", "device status", "asset status", "state"],
  os_family: ["os family", "operating system family", "platform"],
  os_name: ["os", "operating system", "os name", "operating system name", "os caption"],
  os_edition: ["edition", "os edition", "skufamily", "sku family"],
  os_version: ["os version", "version", "feature update", "windows version"],
  os_build: ["os build", "build", "build number", "os build number"],
  purchase_date: ["purchase date", "purchased", "date purchased", "purchase", "acquisition date"],
  warranty_end: [
    "warranty",
    "warranty end",
    "warranty end date",
    "warranty expiry",
    "warranty expiry date",
    "warranty expires",
    "warranty expiration",
  ],
  funded_by: ["funded by", "funder", "funding"],
  managed: [
    "managed",
    "domain joined",
    "mdm",
    "mdm managed",
    "intune",
    "managed by",
    "management agent",
    "management agents",
    "managementagents",
  ],
  encrypted: ["encrypted", "encryption", "bitlocker", "disk encryption"],
  antivirus_up_to_date: ["antivirus", "anti virus", "av", "antivirus up to date", "av up to date"],
  last_patched: ["last patched", "last patched date", "last patch", "last patch date", "patch date"],
  patch_released: ["patch released", "newest update released", "update release date", "patch release date", "latest update release date"],
  tpm_version: ["tpm", "tpm version"],
  cpu_model: ["cpu", "processor", "cpu model", "processor model"],
  cpu_generation: ["cpu generation", "processor generation", "cpu gen", "generation"],
  ram_gb: ["ram", "ram gb", "memory", "memory gb", "installed ram"],
  // Old files' yes/no "ESU" column maps here too; "yes" is then refused with a message asking for the years.
  esu_years: ["esu", "esu year", "esu years", "esu years bought", "esu enrolled", "extended security updates"],
  disposed_date: ["disposed", "disposed date", "disposal date", "date disposed"],
  notes: ["notes", "note", "comments", "comment", "remarks"],
  // Microsoft Intune "All devices" export (feeds.md §4) and the Graph managedDevice names.
  device_name: ["device name", "devicename", "computer name", "hostname", "host name", "machine name", "managed device name"],
  last_seen: [
    "last check in",
    "last checkin",
    "last check in time",
    "last sync",
    "last sync date time",
    "lastsyncdatetime",
    "last seen",
    "last contact",
  ],
  ownership: ["ownership", "owner type", "managed device owner type", "manageddeviceownertype", "device ownership"],
  compliance: ["compliance", "compliance state", "compliancestate", "compliance status"],
};

/**
 * Intune export columns we recognise but do not import, with the reason shown on the preview:
 * identifiers of other systems, network and phone details, and the device's user (personal data
 * the estate register does not need).
 */
const NOT_IMPORTED: [string[], string][] = [
  [
    [
      "device id",
      "id",
      "microsoft entra device id",
      "azure ad device id",
      "azureaddeviceid",
      "userid",
      "user id",
      "eas activation id",
      "udid",
      "eid",
      "meid",
    ],
    "An identifier in Intune or Microsoft Entra, not needed by the register",
  ],
  [
    [
      "primary user upn",
      "primary user email address",
      "primary user display name",
      "user principal name",
      "userprincipalname",
      "email address",
      "user display name",
    ],
    "The device's user: personal data the register does not keep",
  ],
  [
    [
      "imei",
      "iccid",
      "phone number",
      "subscriber carrier",
      "cellulartechnology",
      "wi fi mac",
      "wifi mac",
      "ethernetmac",
      "wifiipv4address",
      "wifisubnetid",
    ],
    "Network and phone details the register does not keep",
  ],
  [
    [
      "enrollment date",
      "eas activated",
      "last eas sync time",
      "eas reason",
      "eas status",
      "compliance grace period expiration",
      "security patch level",
      "total storage",
      "free storage",
      "management name",
      "device state",
      "intune registered",
      "supervised",
      "microsoft entra registered",
      "azure ad registered",
      "jailbroken",
      "joinType",
      "processorarchitecture",
      "enrollmenttype",
      "partnerfeaturesbitmask",
      "certexpirationdate",
      "ismanaged",
      "systemmanagementbiosversion",
      "tpmmanufacturerid",
      "tpmmanufacturerversion",
    ],
    "Intune detail the register does not use",
  ],
];
const SKIP_REASONS = new Map<string, string>();
for (const [names, reason] of NOT_IMPORTED) for (const n of names) SKIP_REASONS.set(normaliseHeader(n), reason);

/** Why a recognised column is not imported (Intune columns the register does not keep), or null. */
export const notImportedReason = (h: string): string | null => SKIP_REASONS.get(normaliseHeader(h)) ?? null;

const LOOKUP = new Map<string, ImportTarget>();
for (const t of IMPORT_TARGETS) {
  for (const name of [t, DEVICE_LABELS[t] ?? "", ...SYNONYMS[t]]) {
    const key = normaliseHeader(name);
    if (key && !LOOKUP.has(key)) LOOKUP.set(key, t);
  }
}
// "Operating system" is os_family's label, but in uploaded files it holds the full name.
LOOKUP.set("operating system", "os_name");

/** The field a header names, if we recognise it. */
export const targetForHeader = (h: string): ImportTarget | null => LOOKUP.get(normaliseHeader(h)) ?? null;

/** What an uploader chose before, by normalised header; "" means they chose not to import it. */
export type SavedMapping = Record<string, ImportTarget | "">;

/**
 * The starting mapping for a file: the uploader's own earlier choice for a header first, then
 * our synonyms. Each field is fed by one column at most; a later column naming it is ignored.
 */
export function autoMap(headers: string[], saved: SavedMapping = {}): Mapping {
  const used = new Set<ImportTarget>();
  return headers.map((header) => {
    const key = normaliseHeader(header);
    const remembered = Object.prototype.hasOwnProperty.call(saved, key) ? saved[key] : undefined;
    let target: ImportTarget | null =
      remembered === "" ? null : remembered && isImportTarget(remembered) ? remembered : targetForHeader(header);
    if (target && used.has(target)) target = null;
    if (target) used.add(target);
    return { header, target };
  });
}

/** What to remember from a mapping the uploader confirmed. */
export function toSavedMapping(mapping: Mapping): SavedMapping {
  const out: SavedMapping = {};
  for (const m of mapping) {
    const key = normaliseHeader(m.header);
    if (key) out[key] = m.target ?? "";
  }
  return out;
}

/** Problems that stop a mapping being used at all (per-row problems come later). */
export function mappingProblems(mapping: Mapping): string[] {
  const problems: string[] = [];
  const seen = new Map<ImportTarget, string>();
  for (const m of mapping) {
    if (!m.target) continue;
    const first = seen.get(m.target);
    if (first !== undefined)
      problems.push(`"${TARGET_LABELS[m.target]}" is chosen for both "${first}" and "${m.header}". Choose it for one column only.`);
    else seen.set(m.target, m.header);
  }
  if (!seen.has("asset_tag") && !seen.has("serial_number")) {
    problems.push("Choose the column that holds the asset tag or the serial number: devices are matched by them.");
  }
  return problems;
}

/** A data row as field → raw text, for the fields the mapping feeds. */
export interface MappedRecord {
  row: number;
  values: Partial<Record<ImportTarget, string>>;
}

export function applyMapping(rows: { row: number; cells: string[] }[], mapping: Mapping): MappedRecord[] {
  const pairs = mapping.flatMap((m, i) => (m.target ? [[i, m.target] as const] : []));
  return rows.map(({ row, cells }) => {
    const values: Partial<Record<ImportTarget, string>> = {};
    for (const [i, target] of pairs) values[target] = cells[i] ?? "";
    return { row, values };
  });
}
