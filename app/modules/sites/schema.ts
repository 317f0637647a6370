import { z } from "zod";
import { optionalDate, optionalInt, optionalNumber, optionalText, triState, versionField } from "~/utils/zod-fields";

export const OWNERSHIP = {
  owned: "Owned by the practice or its partners",
  leased: "Leased from a private landlord",
  nhs_property_services: "NHS Property Services",
  community_health_partnerships: "Community Health Partnerships",
  other: "Other",
} as const;
export type Ownership = keyof typeof OWNERSHIP;

export const SITE_KINDS = { main: "Main site", branch: "Branch surgery" } as const;

/** Connectivity facts (ICB-managed, INF-01 to INF-05). Only these columns are written by that form. */
export const CONNECTIVITY_FIELDS = [
  "hscn_connected",
  "hscn_circuit_id",
  "bandwidth_mbps",
  "resilient_line",
  "wifi_staff",
  "wifi_patient",
] as const;
/** Premises facts (practice-owned, INF-08 and PREM, TEL-15 for analogue lines). */
export const PREMISES_FIELDS = [
  "comms_room_ok",
  "ups_present",
  "records_storage_m2",
  "ownership",
  "planned_move_date",
  "planned_works",
  "analogue_lines",
] as const;

export const ConnectivitySchema = z.object({
  hscn_connected: triState("Connected to HSCN"),
  hscn_circuit_id: optionalText("HSCN circuit ID", 60),
  bandwidth_mbps: optionalNumber("Bandwidth (Mbps)", 0, 100_000),
  resilient_line: triState("Resilient (second) line"),
  wifi_staff: triState("Staff Wi-Fi"),
  wifi_patient: triState("Patient Wi-Fi"),
  version: versionField,
});
export type ConnectivityInput = z.infer<typeof ConnectivitySchema>;

const ownership = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z
    .enum(Object.keys(OWNERSHIP) as [Ownership, ...Ownership[]], {
      message: `Ownership must be one of: ${Object.values(OWNERSHIP).join(", ")}`,
    })
    .optional()
    .transform((v) => v ?? null),
);

export const PremisesSchema = z.object({
  comms_room_ok: triState("Comms room or cabinet is suitable"),
  ups_present: triState("Uninterruptible power supply (UPS)"),
  records_storage_m2: optionalNumber("Paper records storage area (m²)", 0, 100_000),
  ownership,
  planned_move_date: optionalDate("Planned move date"),
  planned_works: optionalText("Planned building works", 1000),
  analogue_lines: optionalInt("Analogue lines", 0, 1000),
  version: versionField,
});
export type PremisesInput = z.infer<typeof PremisesSchema>;

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;

/** A site that is not in the ODS files, such as a satellite clinic or a records store. */
export const NewSiteSchema = z.object({
  name: z
    .string({ message: "Enter the site's name" })
    .trim()
    .min(1, "Enter the site's name")
    .max(200, "Site name must be 200 characters or fewer"),
  kind: z.enum(["main", "branch"], { message: "Select whether this is the main site or a branch" }),
  address: optionalText("Address", 300),
  postcode: optionalText("Postcode", 10).transform((v, ctx) => {
    if (v === null) return null;
    const m = POSTCODE.exec(v.toUpperCase().replace(/\s+/g, " "));
    if (!m) {
      ctx.addIssue({ code: "custom", message: "Enter a real postcode, like E5 0RD" });
      return z.NEVER;
    }
    return `${m[1]} ${m[2]}`;
  }),
  open_date: optionalDate("Opening date"),
});
export type NewSiteInput = z.infer<typeof NewSiteSchema>;

export const DeleteSiteSchema = z.object({ version: versionField });

/** Export columns: the ODS facts, then the two forms' fields. */
export const SITE_COLUMNS = [
  "site_code",
  "practice_ods_code",
  "kind",
  "name",
  "address",
  "postcode",
  "open_date",
  "close_date",
  "is_manual",
  ...CONNECTIVITY_FIELDS,
  ...PREMISES_FIELDS,
] as const;

export const SITE_LABELS: Record<string, string> = {
  name: "Name",
  kind: "Kind",
  address: "Address",
  postcode: "Postcode",
  open_date: "Opened",
  close_date: "Closed",
  hscn_connected: "Connected to HSCN",
  hscn_circuit_id: "HSCN circuit ID",
  bandwidth_mbps: "Bandwidth (Mbps)",
  resilient_line: "Resilient (second) line",
  wifi_staff: "Staff Wi-Fi",
  wifi_patient: "Patient Wi-Fi",
  comms_room_ok: "Comms room or cabinet is suitable",
  ups_present: "Uninterruptible power supply (UPS)",
  records_storage_m2: "Paper records storage area (m²)",
  ownership: "Ownership",
  planned_move_date: "Planned move date",
  planned_works: "Planned building works",
  analogue_lines: "Analogue lines",
};
