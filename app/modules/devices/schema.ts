import { z } from "zod";
import { OS_FAMILIES } from "~/modules/os-lifecycle/parse";
import { optionalDate, optionalInt, optionalText, triState } from "~/utils/zod-fields";
import { esuYearsField } from "./esu";
import { DEVICE_TYPES, OS_DEVICE_TYPES, type DeviceType } from "~/modules/catalogue/device-types";

// The device vocabulary lives in the catalogue (rules read it too); re-exported for the register's own files.
export { DEVICE_TYPES, OS_DEVICE_TYPES, type DeviceType };

export const DEVICE_STATUSES = { in_use: "In use", spare: "Spare", in_repair: "In repair", disposed: "Disposed" } as const;
export const FUNDERS = { icb: "ICB", practice: "Practice" } as const;
export const TPM_VERSIONS = { "2.0": "TPM 2.0", "1.2": "TPM 1.2", none: "No TPM" } as const;
/** Who owns the device, as device management records it (Intune: "Ownership"). */
export const OWNERSHIPS = { corporate: "Corporate", personal: "Personal" } as const;
/** Compliance with the device management service's policies (Intune's complianceState values). */
export const COMPLIANCE_STATES = {
  compliant: "Compliant",
  noncompliant: "Not compliant",
  in_grace_period: "In grace period",
  conflict: "Conflict",
  error: "Error",
  config_manager: "Managed by Configuration Manager",
  unknown: "Not known",
} as const;

const keyOf = <T extends Record<string, string>>(map: T, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.enum(Object.keys(map) as [keyof T & string, ...(keyof T & string)[]], { message: `Select ${label}` }),
  );

const optionalKeyOf = <T extends Record<string, string>>(map: T, label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    z
      .enum(Object.keys(map) as [keyof T & string, ...(keyof T & string)[]], {
        message: `${label} must be one of: ${Object.values(map).join(", ")}`,
      })
      .optional()
      .transform((v) => v ?? null),
  );

/**
 * One device as a form or an import row gives it (field names are the table's columns, so
 * forms, imports and exports share one vocabulary). The practice comes from the URL or the
 * import row, never from this schema.
 */
export const DeviceFieldsSchema = z.object({
  asset_tag: optionalText("Asset tag", 50),
  serial_number: optionalText("Serial number", 80),
  device_type: keyOf(DEVICE_TYPES, "the type of device"),
  make: optionalText("Make", 80),
  model: optionalText("Model", 120),
  site_code: optionalText("Site", 12),
  status: keyOf(DEVICE_STATUSES, "the device's status"),
  os_family: optionalKeyOf(Object.fromEntries(OS_FAMILIES.map((f) => [f, f])) as Record<string, string>, "Operating system"),
  os_edition: optionalText("Edition", 60),
  os_version: optionalText("OS version", 20),
  os_build: optionalText("OS build", 30),
  purchase_date: optionalDate("Purchase date"),
  warranty_end: optionalDate("Warranty end date"),
  funded_by: optionalKeyOf(FUNDERS, "Funded by"),
  managed: triState("Managed"),
  encrypted: triState("Encrypted"),
  antivirus_up_to_date: triState("Antivirus up to date"),
  last_patched: optionalDate("Last patched date"),
  // Release date of the newest security update installed: DEV-09 judges patching on it (14 days from release).
  patch_released: optionalDate("Newest update's release date"),
  tpm_version: optionalKeyOf(TPM_VERSIONS, "TPM"),
  cpu_model: optionalText("Processor", 120),
  cpu_generation: optionalInt("Processor generation", 1, 30),
  ram_gb: optionalInt("Memory (GB)", 0, 4096),
  esu_years: esuYearsField,
  disposed_date: optionalDate("Disposal date"),
  notes: optionalText("Notes", 1000),
  // What device management (Intune) reports; optional, so forms and files without them still parse.
  device_name: optionalText("Device name", 80),
  last_seen: optionalDate("Last check-in"),
  ownership: optionalKeyOf(OWNERSHIPS, "Ownership"),
  compliance: optionalKeyOf(COMPLIANCE_STATES, "Compliance"),
});

export type DeviceFields = z.output<typeof DeviceFieldsSchema>;

/** The checks across fields, run on the fields' parsed values. */
export function refineDevice(d: DeviceFields, ctx: z.RefinementCtx<DeviceFields>) {
  if (!d.asset_tag && !d.serial_number) {
    ctx.addIssue({ code: "custom", path: ["asset_tag"], message: "Enter an asset tag or a serial number" });
  }
  if (d.purchase_date && d.warranty_end && d.warranty_end < d.purchase_date) {
    ctx.addIssue({ code: "custom", path: ["warranty_end"], message: "Warranty end date must be on or after the purchase date" });
  }
  if (d.status === "disposed" && !d.disposed_date) {
    ctx.addIssue({ code: "custom", path: ["disposed_date"], message: "Enter the date the device was disposed of" });
  }
  if (d.status !== "disposed" && d.disposed_date) {
    ctx.addIssue({ code: "custom", path: ["disposed_date"], message: "Only a disposed device has a disposal date" });
  }
}

/**
 * One device as a form or an import row gives it: the fields, then the checks across them. The
 * device import parses rows field by field (import/device-parse.ts) with these same two parts.
 */
export const DeviceInputSchema = DeviceFieldsSchema.superRefine(refineDevice);

export type DeviceInput = z.infer<typeof DeviceInputSchema>;

/** Column order for import templates and exports: export → edit → re-import round-trips. */
export const DEVICE_COLUMNS = [
  "practice_ods_code",
  "asset_tag",
  "serial_number",
  "device_type",
  "make",
  "model",
  "site_code",
  "status",
  "os_family",
  "os_edition",
  "os_version",
  "os_build",
  "purchase_date",
  "warranty_end",
  "funded_by",
  "managed",
  "encrypted",
  "antivirus_up_to_date",
  "last_patched",
  "patch_released",
  "tpm_version",
  "cpu_model",
  "cpu_generation",
  "ram_gb",
  "esu_years",
  "disposed_date",
  "device_name",
  "last_seen",
  "ownership",
  "compliance",
  "notes",
] as const;

export const DEVICE_LABELS: Record<string, string> = {
  practice_ods_code: "Practice ODS code",
  asset_tag: "Asset tag",
  serial_number: "Serial number",
  device_type: "Type",
  make: "Make",
  model: "Model",
  site_code: "Site",
  status: "Status",
  os_family: "Operating system",
  os_edition: "Edition",
  os_version: "OS version",
  os_build: "OS build",
  purchase_date: "Purchase date",
  warranty_end: "Warranty end",
  funded_by: "Funded by",
  managed: "Managed (domain or MDM)",
  encrypted: "Encrypted",
  antivirus_up_to_date: "Antivirus up to date",
  last_patched: "Last patched",
  patch_released: "Newest update released",
  tpm_version: "TPM",
  cpu_model: "Processor",
  cpu_generation: "Processor generation",
  ram_gb: "Memory (GB)",
  esu_years: "ESU years bought",
  disposed_date: "Disposal date",
  notes: "Notes",
  device_name: "Device name",
  last_seen: "Last check-in",
  ownership: "Ownership",
  compliance: "Compliance",
};
