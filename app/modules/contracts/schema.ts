import { z } from "zod";
import type { ContractCategory, ContractFramework, ContractPayer } from "#db/types";
import { CONTRACT_CATEGORIES, CONTRACT_FRAMEWORKS, CONTRACT_PAYERS } from "~/modules/catalogue/contracts";
import { poundsField } from "~/modules/pricing/money";
import { optionalDate, optionalInt, optionalText, versionField } from "~/utils/zod-fields";

export { CONTRACT_CATEGORIES, CONTRACT_FRAMEWORKS, CONTRACT_PAYERS };

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[()]/g, "")
    .replace(/[\s_-]+/g, " ");

/** A choice read from a form (its key) or a spreadsheet (its key or its label, any case; a few common short names). */
function choice<K extends string>(labels: Record<K, string>, message: string, aliases: Record<string, K> = {}) {
  const lookup = new Map<string, K>();
  for (const [k, label] of Object.entries(labels) as [K, string][]) {
    lookup.set(norm(k), k);
    lookup.set(norm(label), k);
  }
  for (const [alias, k] of Object.entries(aliases)) lookup.set(norm(alias), k);
  return z.string({ message }).transform((v, ctx) => {
    const k = lookup.get(norm(v));
    if (!k) {
      ctx.addIssue({ code: "custom", message: v.trim() ? `"${v.trim().slice(0, 40)}" is not one of the choices. ${message}` : message });
      return z.NEVER;
    }
    return k;
  });
}

const categoryNames = Object.values(CONTRACT_CATEGORIES).join(", ");
const category = choice<ContractCategory>(CONTRACT_CATEGORIES, `Select the category: ${categoryNames}`, {
  "clinical system": "clinical_system",
  "clinical systems": "clinical_system",
  "online consultation tool": "online_consultation",
  "cloud telephony": "telephony",
});

const framework = z.preprocess(
  (v) => (typeof v === "string" && ["", "none", "not known", "n/a"].includes(v.trim().toLowerCase()) ? undefined : v),
  choice<ContractFramework>(CONTRACT_FRAMEWORKS, "Select the framework, or leave it blank if it was not bought through one", {
    bpf: "better_purchasing_framework",
    "better purchasing framework": "better_purchasing_framework",
    "advanced telephony bpf": "better_purchasing_framework",
    dsic: "digital_care_services",
    dcs: "digital_care_services",
    "dsic catalogue": "digital_care_services",
    "digital care services": "digital_care_services",
    "digital care services catalogue": "digital_care_services",
    tif: "tech_innovation_framework",
    "gp it futures": "gp_it_futures",
    gpitf: "gp_it_futures",
  })
    .optional()
    .transform((v) => v ?? null),
);

const paidBy = choice<ContractPayer>(CONTRACT_PAYERS, "Select who pays: ICB, Practice or Other", {
  "integrated care board": "icb",
  "the icb": "icb",
  "the practice": "practice",
  gp: "practice",
});

const requiredText = (label: string, max: number) =>
  z
    .string({ message: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, `Enter the ${label.toLowerCase()}`)
    .max(max, `${label} must be ${max} characters or fewer`);

const requiredDate = (label: string, example: string) =>
  optionalDate(label).transform((v, ctx) => {
    if (v === null) {
      ctx.addIssue({ code: "custom", message: `Enter the ${label.toLowerCase()}, like ${example}` });
      return z.NEVER;
    }
    return v;
  });

/** A contract's facts, as the form and each imported row give them. Field names are the export's columns. */
export const contractFields = {
  supplier: requiredText("Supplier", 120),
  category,
  service: optionalText("Product or service", 200),
  framework,
  starts_on: requiredDate("Start date", "1/4/2025"),
  ends_on: requiredDate("End date", "31/3/2028"),
  notice_months: optionalInt("Notice period", 0, 60).transform((v) => v ?? 0),
  annual_cost: poundsField("Annual cost", 100_000_000_00),
  paid_by: paidBy,
  reference: requiredText("Contract reference", 60).regex(
    /^[A-Za-z0-9][A-Za-z0-9 ./_-]*$/,
    "The contract reference may hold letters, digits, spaces and . / _ - only",
  ),
};

type Dated = { starts_on: string; ends_on: string };
function checkDates(d: Dated, ctx: z.RefinementCtx) {
  if (d.ends_on < d.starts_on)
    ctx.addIssue({ code: "custom", path: ["ends_on"], message: "The end date must be on or after the start date" });
}

export const ContractSchema = z.object(contractFields).superRefine(checkDates);
export type ContractInput = z.infer<typeof ContractSchema>;

export const ContractEditSchema = z.object({ ...contractFields, version: versionField }).superRefine(checkDates);
export type ContractEditInput = z.infer<typeof ContractEditSchema>;

/** Ending a contract: the day it stopped (its last day). */
export const ContractEndSchema = z.object({
  ended_on: requiredDate("Date the contract ended", "31/3/2026"),
  version: versionField,
});
export type ContractEndInput = z.infer<typeof ContractEndSchema>;

/** The register's columns: the form's field names, so an export can be edited and imported again. */
export const CONTRACT_COLUMNS = [
  "ods_code",
  "holder_name",
  "supplier",
  "category",
  "service",
  "framework",
  "starts_on",
  "ends_on",
  "notice_months",
  "annual_cost",
  "paid_by",
  "reference",
  "ended_on",
] as const;

export const CONTRACT_STATUSES = { current: "Current", ending: "Ending within 12 months", ended: "Ended", all: "All" } as const;
export type ContractStatusFilter = keyof typeof CONTRACT_STATUSES;

/** The register's filters from the query string: bounded, unknown values ignored. */
export const ContractFiltersSchema = z.object({
  q: z.string().trim().max(120).optional().catch(undefined),
  practice: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{3,10}$/)
    .optional()
    .catch(undefined),
  category: z
    .enum(Object.keys(CONTRACT_CATEGORIES) as [ContractCategory, ...ContractCategory[]])
    .optional()
    .catch(undefined),
  paid_by: z
    .enum(Object.keys(CONTRACT_PAYERS) as [ContractPayer, ...ContractPayer[]])
    .optional()
    .catch(undefined),
  status: z
    .enum(Object.keys(CONTRACT_STATUSES) as [ContractStatusFilter, ...ContractStatusFilter[]])
    .default("current")
    .catch("current"),
});
export type ContractFilters = z.infer<typeof ContractFiltersSchema>;

export function contractFiltersFromUrl(url: URL): ContractFilters {
  const raw: Record<string, string> = {};
  for (const k of ["q", "practice", "category", "paid_by", "status"]) {
    const v = url.searchParams.get(k);
    if (v) raw[k] = v;
  }
  return ContractFiltersSchema.parse(raw);
}
