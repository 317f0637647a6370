import { COMPLIANCE_STATES, DEVICE_STATUSES, DEVICE_TYPES, FUNDERS, OWNERSHIPS, TPM_VERSIONS } from "~/modules/devices/schema";
import type { ImportTarget } from "./map";

/**
 * Value mapping (issue 17): a file's own words for an enumerated column ("Desktops", "Co-managed",
 * "Main Surgery") mapped by the importer to one of the register's values, remembered per user.
 * Pure, shared by the check, the check page and the server's refusal of values not allowed.
 */

export const VALUE_COLUMNS = [
  "device_type",
  "status",
  "managed",
  "encrypted",
  "antivirus_up_to_date",
  "ownership",
  "compliance",
  "funded_by",
  "tpm_version",
  "os_edition",
  "site_code",
] as const satisfies readonly ImportTarget[];
export type ValueColumn = (typeof VALUE_COLUMNS)[number];
export const isValueColumn = (c: string): c is ValueColumn => (VALUE_COLUMNS as readonly string[]).includes(c);

const YES_NO = { yes: "Yes", no: "No", "": "Not known (leave blank)" };

/** Editions the OS lifecycle table distinguishes; any other edition text is offered for mapping. */
export const KNOWN_EDITIONS = ["Home", "Pro", "Enterprise", "Education", "Pro Education", "Enterprise LTSC", "IoT Enterprise LTSC", "SE"];

const FIXED: Record<Exclude<ValueColumn, "site_code" | "os_edition">, Record<string, string>> = {
  device_type: DEVICE_TYPES,
  status: DEVICE_STATUSES,
  managed: YES_NO,
  encrypted: YES_NO,
  antivirus_up_to_date: YES_NO,
  ownership: { ...OWNERSHIPS, "": "Not known (leave blank)" },
  compliance: COMPLIANCE_STATES,
  funded_by: { ...FUNDERS, "": "Not known (leave blank)" },
  tpm_version: { ...TPM_VERSIONS, "": "Not known (leave blank)" },
};

/** The values a column may be mapped to, as value → label. Sites are the practice's own. */
export function allowedValues(column: ValueColumn, sites: readonly { code: string; name: string }[] = []): Record<string, string> {
  if (column === "site_code") return Object.fromEntries(sites.map((s) => [s.code, `${s.name} (${s.code})`]));
  if (column === "os_edition") return Object.fromEntries(KNOWN_EDITIONS.map((e) => [e, e]));
  return FIXED[column];
}

/** The form's value for the allowed value "" (not known), since "" there means "leave as a row error". */
export const BLANK_CHOICE = "-";

/** How a file's value is keyed: trimmed, lower case, inner spaces squashed. */
export const valueKey = (raw: string) => raw.trim().toLowerCase().replace(/\s+/g, " ").slice(0, 200);

/** Saved choices as the check reads them: `${column}|${practice or ''}|${valueKey}` → target. */
export type ValueMappings = Map<string, string>;
export const mappingKey = (column: ValueColumn, practice: string, key: string) =>
  `${column}|${column === "site_code" ? practice : ""}|${key}`;

/** A distinct value the importer did not recognise in a column, or one a saved choice mapped. */
export interface ValueFinding {
  column: ValueColumn;
  /** The file's header for the column. */
  header: string;
  /** The practice, for sites only ('' otherwise). */
  practice: string;
  key: string;
  /** The value as the file first wrote it. */
  source: string;
  rows: number;
  /** Set when a saved choice mapped it. */
  mappedTo: string | null;
}

/** Whether a normalised value is one the column accepts as it is (blank always is). */
export function recognised(column: ValueColumn, value: string, sites: readonly { code: string }[] = []): boolean {
  if (value === "") return true;
  if (column === "site_code") return sites.some((s) => s.code === value);
  if (column === "os_edition") return KNOWN_EDITIONS.some((e) => e.toLowerCase() === value.toLowerCase());
  return Object.prototype.hasOwnProperty.call(FIXED[column], value);
}

export const VALUE_COLUMN_LABELS: Record<ValueColumn, string> = {
  device_type: "Type",
  status: "Status",
  managed: "Managed",
  encrypted: "Encrypted",
  antivirus_up_to_date: "Antivirus up to date",
  ownership: "Ownership",
  compliance: "Compliance",
  funded_by: "Funded by",
  tpm_version: "TPM",
  os_edition: "Edition",
  site_code: "Site",
};
