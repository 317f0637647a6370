import { z } from "zod";
import type { TelephonyType } from "#db/types";
import { optionalDate, optionalInt, optionalText, triState, versionField } from "~/utils/zod-fields";
import { isUkNumberLength } from "~/modules/catalogue/phone-number";

export const TELEPHONY_TYPES: Record<TelephonyType, string> = {
  analogue: "Analogue/PSTN",
  isdn: "ISDN",
  on_premises_digital: "On-premises digital PBX",
  cloud: "Cloud-based",
};

/** The functions the recovery plan and the GP contract look for (TEL-04 to TEL-14). */
export const TELEPHONY_FEATURES = {
  call_queuing: "Call queuing (no engaged tone)",
  queue_position_message: "Queue position or wait-time message",
  call_back: "Call-back (leave the queue and be rung back)",
  ivr_routing: "Call routing (menus, IVR, hunt groups)",
  clinical_system_integration: "Integration with the clinical system",
  realtime_reporting: "Real-time reporting (wallboard)",
  historic_reporting: "Historic call reports",
  remote_agents: "Remote working (softphones)",
  multi_site: "Multi-site or PCN working",
  call_recording: "Call recording",
} as const;
export type TelephonyFeature = keyof typeof TELEPHONY_FEATURES;
export const FEATURE_KEYS = Object.keys(TELEPHONY_FEATURES) as TelephonyFeature[];

export const MAIN_NUMBER_MAX = 20;

const mainNumber = optionalText("Main telephone number", MAIN_NUMBER_MAX).superRefine((v, ctx) => {
  if (v === null) return;
  if (!/^\+?[\d ]+$/.test(v)) {
    ctx.addIssue({ code: "custom", message: "Main telephone number must contain only numbers, spaces and a + at the start" });
  } else if (!isUkNumberLength(v)) {
    ctx.addIssue({ code: "custom", message: "Main telephone number must be a UK number, like 020 7946 0000" });
  }
});

const systemType = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z.enum(Object.keys(TELEPHONY_TYPES) as [TelephonyType, ...TelephonyType[]], { message: "Select the type of telephone system" }),
);

const featureFields = Object.fromEntries(FEATURE_KEYS.map((k) => [k, triState(TELEPHONY_FEATURES[k])])) as Record<
  TelephonyFeature,
  ReturnType<typeof triState>
>;

/** One telephony system as the form (and an import) gives it. Field names are the table's columns. */
const systemFields = {
  system_type: systemType,
  supplier: optionalText("Supplier", 120),
  product: optionalText("Product", 120),
  on_bpf: triState("On the Advanced Telephony Better Purchasing Framework"),
  contract_start: optionalDate("Contract start date"),
  contract_end: optionalDate("Contract end date"),
  lines: optionalInt("Number of lines", 0, 10_000),
  concurrent_calls: optionalInt("Concurrent-call capacity", 0, 10_000),
  ...featureFields,
  cbt_data_sharing: triState("Monthly data sharing"),
  main_number: mainNumber,
  notes: optionalText("Notes", 1000),
};

type Dated = { contract_start: string | null; contract_end: string | null };
function checkContractDates(d: Dated, ctx: z.RefinementCtx) {
  if (d.contract_start && d.contract_end && d.contract_end < d.contract_start) {
    ctx.addIssue({ code: "custom", path: ["contract_end"], message: "Contract end date must be on or after the contract start date" });
  }
}

export const TelephonySchema = z.object(systemFields).superRefine(checkContractDates);
export type TelephonyInput = z.infer<typeof TelephonySchema>;

export const TelephonyEditSchema = z.object({ ...systemFields, version: versionField }).superRefine(checkContractDates);
export type TelephonyEditInput = z.infer<typeof TelephonyEditSchema>;

/** Replacing: the date the current system stopped, then the new system's details. */
export const TelephonyReplaceSchema = z
  .object({
    ...systemFields,
    ended_on: optionalDate("Date the old system stopped").refine((v) => v !== null, "Enter the date the old system stopped being used"),
    version: versionField,
  })
  .superRefine(checkContractDates);
export type TelephonyReplaceInput = z.infer<typeof TelephonyReplaceSchema>;

export const DeletePastSchema = z.object({ version: versionField });

/** Export columns, in form order: what an export holds is what the form edits. */
export const TELEPHONY_COLUMNS = [
  "practice_ods_code",
  "is_current",
  "system_type",
  "supplier",
  "product",
  "on_bpf",
  "contract_start",
  "contract_end",
  "lines",
  "concurrent_calls",
  ...FEATURE_KEYS,
  "cbt_data_sharing",
  "main_number",
  "ended_on",
  "notes",
] as const;

export const TELEPHONY_LABELS: Record<string, string> = {
  is_current: "Current system",
  system_type: "Type",
  supplier: "Supplier",
  product: "Product",
  on_bpf: "On the Better Purchasing Framework",
  contract_start: "Contract start",
  contract_end: "Contract end",
  lines: "Lines",
  concurrent_calls: "Concurrent-call capacity",
  ...TELEPHONY_FEATURES,
  cbt_data_sharing: "Monthly data sharing for the national cloud-based telephony collection",
  main_number: "Main telephone number",
  ended_on: "Stopped being used on",
  notes: "Notes",
};
