import { z } from "zod";
import { optionalDate, optionalInt, optionalText } from "~/utils/zod-fields";
import { DIGITAL_SERVICES, SERVICE_STATUSES, type ServiceKey, type ServiceStatus } from "~/modules/catalogue/digital-services";

const STATUS_KEYS = Object.keys(SERVICE_STATUSES) as [ServiceStatus, ...ServiceStatus[]];

/** One service's fields. `version` 0 means "no row yet" when the page was opened. */
const serviceFields = (label: string) =>
  z.object({
    status: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() : v),
      z.enum(STATUS_KEYS, { message: `Select whether ${label} is in use` }),
    ),
    supplier: optionalText(`${label} supplier`, 120),
    since_date: optionalDate(`${label} start date`),
    // Remote desktop / VDI only: concurrent sessions, counted towards remote capacity (DEV-12, INF-06, BCP-03).
    seats: optionalInt(`${label} sessions at once`, 0, 100_000),
    notes: optionalText(`${label} notes`, 500),
    version: z.coerce.number({ message: "This page is out of date. Reload it and try again." }).int().min(0),
  });
export type ServiceFields = z.infer<ReturnType<typeof serviceFields>>;

/**
 * Form posts arrive flat (`online_consultation.status`); the browser form holds them nested.
 * Both become `{ online_consultation: { status } }` before validation.
 */
export function nestDotted(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const dot = k.indexOf(".");
    if (dot < 0) {
      out[k] = v && typeof v === "object" && !Array.isArray(v) ? { ...(out[k] as object | undefined), ...(v as object) } : v;
      continue;
    }
    const head = k.slice(0, dot);
    const existing = out[head];
    const group = (existing && typeof existing === "object" ? existing : {}) as Record<string, unknown>;
    group[k.slice(dot + 1)] = v;
    out[head] = group;
  }
  return out;
}

const shape = Object.fromEntries(DIGITAL_SERVICES.map((s) => [s.key, serviceFields(s.label)])) as Record<
  ServiceKey,
  ReturnType<typeof serviceFields>
>;

/** Every service of the catalogue at once: the edit page saves them together. */
export const DigitalServicesSchema = z.preprocess(nestDotted, z.object(shape));
export type DigitalServicesInput = Record<ServiceKey, ServiceFields>;

/** Export columns: one row per service, with the edit form's field names. */
export const DIGITAL_SERVICE_COLUMNS = [
  "practice_ods_code",
  "service_key",
  "service",
  "status",
  "supplier",
  "since_date",
  "seats",
  "notes",
] as const;

/** Services whose capacity is recorded (sessions at once). */
export const SERVICES_WITH_SEATS: ReadonlySet<string> = new Set(["remote_desktop"]);

export const DIGITAL_SERVICE_LABELS: Record<string, string> = {
  service_key: "Service",
  status: "Status",
  supplier: "Supplier",
  since_date: "In use since",
  seats: "Sessions at once",
  notes: "Notes",
};
