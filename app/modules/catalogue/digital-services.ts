/**
 * The clinical system and digital services the operating model names (section 2.3 CLN, with the
 * national services of CLN-12 and the Smartcard client of DEV-11/INF-07). Each service is stored
 * as one `digital_service` row per practice under its key; `requirementIds` link it to the
 * requirement catalogue for compliance rules.
 */
export interface DigitalServiceEntry {
  readonly key: string;
  readonly label: string;
  readonly requirementIds: readonly string[];
  /** What "in use" means for this service, where it is not obvious. */
  readonly hint?: string;
}

export const DIGITAL_SERVICES = [
  {
    key: "principal_clinical_system",
    label: "Principal clinical system",
    requirementIds: ["CLN-01", "CLN-02", "CLN-03", "CLN-04"],
    hint: "The assured foundation system the practice runs, such as EMIS Web or TPP SystmOne. Record the supplier and product.",
  },
  { key: "online_consultation", label: "Online consultation", requirementIds: ["CLN-05", "CLN-06"] },
  { key: "video_consultation", label: "Video consultation", requirementIds: ["CLN-07"] },
  { key: "nhs_app_appointments", label: "NHS App: appointment booking", requirementIds: ["CLN-08"] },
  { key: "nhs_app_repeat_prescriptions", label: "NHS App: repeat prescriptions", requirementIds: ["CLN-08"] },
  { key: "nhs_app_messaging", label: "NHS App: messaging", requirementIds: ["CLN-08"] },
  { key: "nhs_app_record_view", label: "NHS App: record view", requirementIds: ["CLN-08"] },
  {
    key: "prospective_record_access",
    label: "Prospective record access",
    requirementIds: ["CLN-09"],
    hint: "Patients with online accounts see new entries in their record by default.",
  },
  { key: "gp_connect_access_record", label: "GP Connect Access Record", requirementIds: ["CLN-10"] },
  { key: "gp_connect_update_record", label: "GP Connect Update Record", requirementIds: ["CLN-10"] },
  { key: "eps", label: "Electronic Prescription Service (EPS)", requirementIds: ["CLN-12"] },
  { key: "ers", label: "NHS e-Referral Service (e-RS)", requirementIds: ["CLN-12"] },
  { key: "gp2gp", label: "GP2GP record transfer", requirementIds: ["CLN-12"] },
  { key: "scr", label: "Summary Care Record (SCR)", requirementIds: ["CLN-12"] },
  { key: "sms_messaging", label: "SMS messaging to patients", requirementIds: ["CLN-13"] },
  { key: "nhsmail", label: "NHSmail", requirementIds: ["CLN-12", "SEC-07"] },
  {
    key: "online_registration",
    label: "Online registration (Register with a GP surgery)",
    requirementIds: ["CLN-11"],
  },
  { key: "practice_website", label: "Practice website", requirementIds: ["CLN-14"] },
  {
    key: "practice_website_yygp",
    label: "Practice website: You and Your General Practice link",
    requirementIds: ["CLN-14"],
    hint: "In use means the practice website carries NHS England's You and Your General Practice guide for patients (required from 2025/26).",
  },
  {
    key: "remote_desktop",
    label: "Remote desktop or virtual desktop (VDI)",
    requirementIds: ["DEV-12", "INF-06", "BCP-03"],
    hint: "A managed remote desktop or VDI service staff can work from at home. Record how many sessions it allows at once: each counts towards remote capacity like a managed laptop.",
  },
  {
    key: "cis2_smartcard_connect",
    label: "CIS2 / Smartcard Connect",
    requirementIds: ["DEV-11", "INF-07"],
    hint: "Staff sign in with NHS CIS2 using the Smartcard Connect client (shipped with Credential Management 4.1).",
  },
] as const satisfies readonly DigitalServiceEntry[];

export type ServiceKey = (typeof DIGITAL_SERVICES)[number]["key"];
export const SERVICE_KEYS = DIGITAL_SERVICES.map((s) => s.key) as ServiceKey[];
export const PRINCIPAL_CLINICAL_SYSTEM: ServiceKey = "principal_clinical_system";

const BY_KEY = new Map<string, DigitalServiceEntry>(DIGITAL_SERVICES.map((s) => [s.key, s]));
export const serviceEntry = (key: string): DigitalServiceEntry | undefined => BY_KEY.get(key);
export const serviceLabel = (key: string) => BY_KEY.get(key)?.label ?? key;

export type ServiceStatus = "in_use" | "not_in_use" | "unknown";
export const SERVICE_STATUSES: Record<ServiceStatus, string> = { in_use: "In use", not_in_use: "Not in use", unknown: "Not known" };
