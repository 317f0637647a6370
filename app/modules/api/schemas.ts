import { z } from "zod";
import "zod-openapi";
import { CATEGORIES, DOMAINS, FUNDERS } from "~/modules/catalogue/types";
import { PRACTICE_STATUS_FILTERS } from "~/modules/compliance/schema";
import { DEVICE_STATUSES, DEVICE_TYPES } from "~/modules/devices/schema";
import { DEVICE_SORTS, STATUS_FILTERS, SUPPORT_FILTERS } from "~/modules/devices/filters";
import { IMPORT_TARGETS, TARGET_LABELS } from "~/modules/devices/import/map";
import { DIGITAL_SERVICES, SERVICE_STATUSES } from "~/modules/catalogue/digital-services";
import { REQUEST_STATUS_KEYS } from "~/modules/funding/workflow";
import { GAP_SORTS, GAP_STATUS_FILTERS } from "~/modules/gaps/register";
import { FEATURE_KEYS, TELEPHONY_FEATURES, TELEPHONY_TYPES } from "~/modules/telephony/schema";
import { DEFAULT_LIMIT, MAX_LIMIT } from "./cursor";

/**
 * The API's request and response shapes, in zod. Requests are checked with them; the OpenAPI
 * document (openapi.server.ts) is generated from them; tests check responses against them. The
 * values inside a request then go through the pages' own schemas (DeviceInputSchema,
 * TelephonyEditSchema, DigitalServicesSchema), so the API accepts exactly what the pages accept.
 */

const keys = <T extends Record<string, unknown>>(m: T) => Object.keys(m) as [keyof T & string, ...(keyof T & string)[]];
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ format: "date", example: "2026-03-31" });
const instant = z.string().meta({ format: "date-time", example: "2026-12-03T10:15:00.000Z" });

// ------------------------------------------------------------------ shared

export const OdsPath = z.object({
  ods: z.string().meta({ description: "The practice's ODS code", example: "F84003" }),
});

export const ListQuery = {
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "Opaque: the `page.next` value of the previous response. Leave out for the first page." }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .meta({ description: `Rows per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).` }),
};

export const PageInfo = z
  .object({
    limit: z.number().int(),
    total: z.number().int().meta({ description: "Rows matching the filters, on every page." }),
    next: z.string().nullable().meta({ description: "Cursor for the next page; null on the last." }),
  })
  .meta({ id: "PageInfo" });

export const FieldProblem = z
  .object({
    pointer: z
      .string()
      .meta({ description: "JSON pointer into the request: /devices/3/asset_tag, #/query/limit", example: "/devices/0/device_type" }),
    detail: z.string().meta({ example: 'Type "Desktop PCX" is not recognised. Use one of: Desktop, Laptop, …' }),
  })
  .meta({ id: "FieldProblem" });

export const Problem = z
  .object({
    type: z.string().meta({ description: "A link to this problem's description in the API documentation" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: "What went wrong, in plain words" }),
    instance: z.string().optional(),
    errors: z.array(FieldProblem).optional().meta({ description: "One entry per field or row at fault" }),
    retryAfter: z.number().int().optional().meta({ description: "429 only: seconds until the token may call again (also in Retry-After)" }),
    counts: z
      .object({
        rowsRead: z.number().int(),
        created: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        rejected: z.number().int(),
      })
      .optional()
      .meta({ description: "A refused devices push only: what the push would have done" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details (application/problem+json)" });

// ------------------------------------------------------------------ practices

export const PracticesQuery = z.object({
  q: z.string().trim().max(100).optional().meta({ description: "Part of the name, ODS code or postcode (as the practice search page)" }),
  icb: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{3,10}$/)
    .optional()
    .meta({ description: "Only this ICB's practices", example: "QMF" }),
  closed: z.enum(["true", "false"]).optional().meta({ description: "Include closed practices" }),
  ...ListQuery,
});

export const PracticeSummary = z
  .object({
    ods_code: z.string(),
    name: z.string(),
    postcode: z.string().nullable(),
    status: z.string(),
    icb_code: z.string().nullable(),
    pcn_name: z.string().nullable(),
    list_size: z.number().int().nullable(),
    clinical_system: z.string().nullable(),
  })
  .meta({ id: "PracticeSummary" });

export const PracticeList = z.object({ data: z.array(PracticeSummary), page: PageInfo });

export const EstateGlance = z
  .object({
    devices_by_type: z.array(z.object({ type: z.string(), count: z.number().int() })),
    devices_os_support: z
      .record(z.string(), z.number().int())
      .meta({ description: "Devices in use by OS support state (supported, esu, unsupported, unknown, not_applicable)" }),
    devices_warranty_expired: z.number().int(),
    telephony: z.object({ system_type: z.string(), supplier: z.string().nullable(), contract_end: date.nullable() }).nullable(),
    digital_services: z.object({ in_use: z.number().int(), recorded: z.number().int() }),
    sites: z.object({ open: z.number().int(), without_hscn: z.number().int() }),
  })
  .meta({ id: "EstateGlance", description: "A practice's estate at a glance (as the practice page shows it)" });

export const PracticeDetail = z
  .object({
    practice: PracticeSummary.extend({
      sub_icb_code: z.string().nullable(),
      pcn_code: z.string().nullable(),
      address: z.string().nullable(),
    }),
    estate: EstateGlance,
    as_of: date,
  })
  .meta({ id: "PracticeDetail" });

// ------------------------------------------------------------------ devices

export const DevicesQuery = z.object({
  type: z.enum(keys(DEVICE_TYPES)).optional(),
  status: z
    .enum(keys(STATUS_FILTERS))
    .optional()
    .meta({ description: "current (default: in use, spare or in repair), all, or one status" }),
  site: z.string().max(12).optional().meta({ description: "Site code" }),
  os: z.enum(keys(SUPPORT_FILTERS)).optional().meta({ description: "OS support on the as-of date" }),
  warranty: z.enum(["expired"]).optional(),
  q: z.string().max(100).optional().meta({ description: "Part of the asset tag, serial number, make or model" }),
  sort: z.enum(keys(DEVICE_SORTS)).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  as_of: date.optional().meta({ description: "Check support and warranty on this date instead of today" }),
  ...ListQuery,
});

export const Device = z
  .object({
    id: z.number().int(),
    asset_tag: z.string().nullable(),
    serial_number: z.string().nullable(),
    device_type: z.enum(keys(DEVICE_TYPES)),
    make: z.string().nullable(),
    model: z.string().nullable(),
    site_code: z.string().nullable(),
    status: z.enum(keys(DEVICE_STATUSES)),
    os_family: z.string().nullable(),
    os_edition: z.string().nullable(),
    os_version: z.string().nullable(),
    esu_years: z.number().int().nullable(),
    purchase_date: date.nullable(),
    warranty_end: date.nullable(),
    warranty_expired: z.boolean().nullable().meta({ description: "null when the warranty end is not known" }),
    age_years: z.number().nullable(),
    support: z.object({ state: z.string(), end_of_support: date.nullable() }),
  })
  .meta({ id: "Device" });

export const DeviceList = z.object({
  data: z.array(Device),
  page: PageInfo,
  summary: z.object({ total: z.number().int(), unsupportedOs: z.number().int(), warrantyExpired: z.number().int() }),
  as_of: date,
});

const cell = z.union([z.string().max(32_767), z.number(), z.boolean(), z.null()]);
export const DeviceRow = z
  .object(
    Object.fromEntries(IMPORT_TARGETS.map((t) => [t, cell.optional().meta({ description: TARGET_LABELS[t] })])) as Record<
      (typeof IMPORT_TARGETS)[number],
      z.ZodOptional<typeof cell>
    >,
  )
  .strict()
  .meta({
    id: "DeviceRow",
    description:
      "One device, as a row of the device import: the same fields, read and checked exactly as the import reads a spreadsheet cell (dates like 31/03/2024 or 2024-03-31, yes/no, labels or keys for choices). A device is matched at the practice by asset tag, then serial number. The fields sent are the push's columns: a field no device sends keeps each stored device's value (and without `status`, new devices are in use); a field sent for some devices but left out (or null) for another is blank for that one, like an empty cell. Send the same fields for every device.",
  });

export const MAX_BULK_ROWS = 5000;
export const DeviceBulkBody = z
  .object({
    devices: z.array(DeviceRow).min(1, "Send at least one device").max(MAX_BULK_ROWS, `Send at most ${MAX_BULK_ROWS} devices at a time`),
  })
  .strict()
  .meta({ id: "DeviceBulkBody" });

export const DeviceBulkQuery = z.object({
  dry_run: z.enum(["true", "false"]).optional().meta({ description: "true: check and report, write nothing" }),
  skip_invalid: z.enum(["true", "false"]).optional().meta({
    description:
      "true: write the valid rows and report the others (as the file import does); default: any invalid row means nothing is written (400)",
  }),
});

export const DeviceBulkResult = z
  .object({
    dry_run: z.boolean(),
    run_id: z.number().int().nullable().meta({ description: "The import run recorded (null for a dry run)" }),
    counts: z.object({
      rowsRead: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
    errors: z.array(FieldProblem.extend({ index: z.number().int(), field: z.string() })),
    warnings: z.array(FieldProblem.extend({ index: z.number().int(), field: z.string() })),
  })
  .meta({ id: "DeviceBulkResult" });

// ------------------------------------------------------------------ telephony

const tri = z.union([z.boolean(), z.null(), z.enum(["yes", "no", ""])]);
const telephonyFields = {
  system_type: z.enum(keys(TELEPHONY_TYPES)),
  supplier: z.string().nullable(),
  product: z.string().nullable(),
  on_bpf: z.boolean().nullable(),
  contract_start: date.nullable(),
  contract_end: date.nullable(),
  lines: z.number().int().nullable(),
  concurrent_calls: z.number().int().nullable(),
  ...(Object.fromEntries(FEATURE_KEYS.map((k) => [k, z.boolean().nullable().meta({ description: TELEPHONY_FEATURES[k] })])) as Record<
    (typeof FEATURE_KEYS)[number],
    z.ZodNullable<z.ZodBoolean>
  >),
  cbt_data_sharing: z.boolean().nullable(),
  main_number: z.string().nullable(),
  notes: z.string().nullable(),
};

export const TelephonySystem = z
  .object({
    id: z.number().int(),
    is_current: z.boolean(),
    ended_on: date.nullable(),
    version: z.number().int(),
    updated_at: instant,
    ...telephonyFields,
  })
  .meta({ id: "TelephonySystem" });

export const TelephonyView = z
  .object({ current: TelephonySystem.nullable(), past: z.array(TelephonySystem) })
  .meta({ id: "TelephonyView" });

export const TelephonyUpdateBody = z
  .object({
    version: z
      .number()
      .int()
      .positive()
      .meta({ description: "The current system's version as you read it; a stale version is refused with 409" }),
    system_type: telephonyFields.system_type.optional(),
    supplier: z.string().nullable().optional(),
    product: z.string().nullable().optional(),
    on_bpf: tri.optional(),
    contract_start: z.string().nullable().optional(),
    contract_end: z.string().nullable().optional(),
    lines: z.union([z.number(), z.string(), z.null()]).optional(),
    concurrent_calls: z.union([z.number(), z.string(), z.null()]).optional(),
    ...(Object.fromEntries(FEATURE_KEYS.map((k) => [k, tri.optional()])) as Record<
      (typeof FEATURE_KEYS)[number],
      z.ZodOptional<typeof tri>
    >),
    cbt_data_sharing: tri.optional(),
    main_number: z.string().nullable().optional(),
    notes: z.string().nullable().optional(),
  })
  .strict()
  .meta({
    id: "TelephonyUpdateBody",
    description: "Corrects the current system. Fields left out keep their stored value; null clears one.",
  });

// ------------------------------------------------------------------ digital services

const SERVICE_KEYS = DIGITAL_SERVICES.map((s) => s.key) as [string, ...string[]];

export const DigitalService = z
  .object({
    key: z.enum(SERVICE_KEYS),
    label: z.string(),
    status: z.enum(keys(SERVICE_STATUSES)),
    supplier: z.string().nullable(),
    since_date: date.nullable(),
    notes: z.string().nullable(),
    version: z.number().int().meta({ description: "0 when nothing is recorded yet" }),
  })
  .meta({ id: "DigitalService" });

export const DigitalServicesView = z.object({ services: z.array(DigitalService) });

export const DigitalServiceChange = z
  .object({
    version: z.number().int().min(0).meta({ description: "The version you read (0 if nothing was recorded); stale is 409" }),
    status: z.enum(keys(SERVICE_STATUSES)).optional(),
    supplier: z.string().nullable().optional(),
    since_date: z.string().nullable().optional(),
    notes: z.string().nullable().optional(),
  })
  .strict();

export const DigitalServicesUpdateBody = z
  .object({
    services: z
      .partialRecord(z.enum(SERVICE_KEYS), DigitalServiceChange)
      .refine((r) => Object.keys(r).length > 0, "Send at least one service"),
  })
  .strict()
  .meta({ id: "DigitalServicesUpdateBody", description: "Changes some services; those left out are not touched. All or nothing." });

// ------------------------------------------------------------------ sites

export const Site = z
  .object({
    code: z.string(),
    kind: z.enum(["main", "branch"]),
    name: z.string(),
    postcode: z.string().nullable(),
    open_date: date.nullable(),
    close_date: date.nullable(),
    hscn_connected: z.boolean().nullable(),
    bandwidth_mbps: z.number().nullable(),
    resilient_line: z.boolean().nullable(),
    wifi_staff: z.boolean().nullable(),
    wifi_patient: z.boolean().nullable(),
    comms_room_ok: z.boolean().nullable(),
    ups_present: z.boolean().nullable(),
    records_storage_m2: z.number().nullable(),
    ownership: z.string().nullable(),
    analogue_lines: z.number().int().nullable(),
    is_manual: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: "Site" });

export const SitesQuery = z.object(ListQuery);
export const SiteList = z.object({ data: z.array(Site), page: PageInfo });

// ------------------------------------------------------------------ compliance

export const ComplianceQuery = z.object({
  domain: z.enum(keys(DOMAINS)).optional(),
  status: z.enum(keys(PRACTICE_STATUS_FILTERS)).optional(),
  as_of: date.optional().meta({ description: "Stored results on this date (default today)" }),
});

export const ComplianceResult = z
  .object({
    requirement_id: z.string(),
    title: z.string(),
    domain: z.enum(keys(DOMAINS)),
    category: z.enum(keys(CATEGORIES)),
    funder: z.enum(keys(FUNDERS)),
    status: z
      .string()
      .nullable()
      .meta({ description: "met, partial, not_met, unknown, not_applicable; null where the requirement is self-assessed" }),
    reason: z.string().nullable(),
    since: date.nullable(),
    evaluated_at: instant.nullable(),
  })
  .meta({ id: "ComplianceResult" });

export const ComplianceView = z
  .object({
    as_of: date,
    evaluated: z.boolean(),
    last_evaluated_at: instant.nullable(),
    score: z.unknown().meta({ description: "Overall score as the compliance page shows it" }),
    results: z.array(ComplianceResult),
  })
  .meta({ id: "ComplianceView" });

// ------------------------------------------------------------------ gaps and funding

export const GapsQuery = z.object({
  icb: z.string().max(10).optional(),
  sub_icb: z.string().max(10).optional(),
  pcn: z.string().max(10).optional(),
  practice: z.string().max(10).optional(),
  domain: z.enum(keys(DOMAINS)).optional(),
  category: z.enum(keys(CATEGORIES)).optional(),
  funder: z.enum(keys(FUNDERS)).optional(),
  status: z.enum(keys(GAP_STATUS_FILTERS)).optional(),
  fy: z.string().max(10).optional().meta({ description: "Financial year, like 2026/27 or 2026" }),
  sort: z.enum(keys(GAP_SORTS)).optional(),
  cursor: ListQuery.cursor,
});

export const Gap = z
  .object({
    id: z.number().int(),
    requirement_id: z.string(),
    title: z.string(),
    practice_code: z.string(),
    practice_name: z.string(),
    reason: z.string(),
    funder: z.string(),
    estimate_pence: z.number().int().nullable(),
    priority: z.string(),
    status: z.string(),
    first_seen: date,
    deadline: date,
  })
  .meta({ id: "Gap" });
export const GapList = z.object({ data: z.array(Gap), page: PageInfo });

export const FundingQuery = z.object({
  icb: z.string().max(10).optional(),
  status: z.enum(REQUEST_STATUS_KEYS as [string, ...string[]]).optional(),
  year: z.string().max(10).optional().meta({ description: "Financial year, like 2026/27" }),
  ...ListQuery,
});

export const FundingRequest = z
  .object({
    id: z.number().int(),
    icb_code: z.string(),
    title: z.string(),
    financial_year: z.number().int(),
    amount_pence: z.number().int(),
    status: z.string(),
    gap_count: z.number().int(),
    created_at: instant,
    submitted_at: instant.nullable(),
    decided_at: instant.nullable(),
    version: z.number().int(),
  })
  .meta({ id: "FundingRequest" });
export const FundingList = z.object({ data: z.array(FundingRequest), page: PageInfo });
