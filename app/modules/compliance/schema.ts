import { z } from "zod";
import { parseUkDate } from "~/utils/zod-fields";
import { CATEGORIES, DOMAINS, EVIDENCE_KINDS, FUNDERS } from "~/modules/catalogue/types";
import { FRAMEWORK_VERSION_INPUTS } from "~/modules/catalogue/versions";

/** Framework version ids and names, for filters. */
export const FRAMEWORK_VERSION_NAMES: Record<string, string> = Object.fromEntries(FRAMEWORK_VERSION_INPUTS.map((v) => [v.id, v.name]));
import { isPolicyKey, POLICY, policyValueSchema, type PolicyDefinition } from "~/modules/catalogue/policy";

const keyOf = <T extends Record<string, string>>(map: T) =>
  z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z
      .enum(Object.keys(map) as [keyof T & string, ...(keyof T & string)[]])
      .optional()
      .catch(undefined),
  );

/** Requirement list filters as they come from the URL (?domain=devices&automatic=yes&q=wifi); bad values are dropped. */
export const RequirementFiltersSchema = z.object({
  domain: keyOf(DOMAINS),
  category: keyOf(CATEGORIES),
  funder: keyOf(FUNDERS),
  evidence: keyOf(EVIDENCE_KINDS),
  version: keyOf(FRAMEWORK_VERSION_NAMES),
  automatic: z.preprocess((v) => (v === "yes" ? true : v === "no" ? false : undefined), z.boolean().optional()),
  q: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 100) : undefined), z.string().optional()),
});

export function requirementFiltersFromUrl(url: URL) {
  return RequirementFiltersSchema.parse(Object.fromEntries(url.searchParams));
}

/** An as-of date from the URL (?as_of=2026-11-22), or undefined for today. */
export const AsOfSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : undefined),
  z.string().optional(),
);

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

/** An as-of date typed as people write it (31/03/2026) or ISO; anything else means today. */
const asOfField = z.preprocess((v) => (typeof v === "string" ? (parseUkDate(v) ?? undefined) : undefined), z.string().optional());

/** What a practice's requirement list can be filtered to: a stored status, or "self-assessed only". */
export const PRACTICE_STATUS_FILTERS = {
  met: "Met",
  partial: "Partly met",
  not_met: "Not met",
  unknown: "Not known",
  not_applicable: "Not applicable",
  attestation: "Self-assessed (not checked from the registers)",
} as const;
export type PracticeStatusFilter = keyof typeof PRACTICE_STATUS_FILTERS;

/** A practice's compliance page: ?domain=devices&status=not_met&as_of=2026-11-22. */
export const PracticeComplianceFiltersSchema = z.object({
  domain: keyOf(DOMAINS),
  status: keyOf(PRACTICE_STATUS_FILTERS),
  as_of: asOfField,
});
export type PracticeComplianceFilters = z.infer<typeof PracticeComplianceFiltersSchema>;

export const ICB_SORTS = {
  score: "Score",
  name: "Practice name",
  ods: "ODS code",
  pcn: "PCN",
  list_size: "List size",
  not_met: "Number not met",
  partial: "Number partly met",
  unknown: "Number not known",
  met: "Number met",
} as const;
export type IcbSort = keyof typeof ICB_SORTS;

const score = z.preprocess(blank, z.coerce.number().min(0).max(100).optional().catch(undefined));

/**
 * An ICB's practice list: ?pcn=U05451&domain=devices&min=50&max=74.9&q=clapton&checked=yes.
 * `pcn=none` is the practices with no PCN. With a domain, scores and counts are that domain's
 * and only practices with results in it are listed. Bad values are dropped.
 */
export const IcbComplianceFiltersSchema = z.object({
  q: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 100) : undefined), z.string().optional()),
  pcn: z
    .preprocess(
      (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
      z
        .string()
        .regex(/^(NONE|[A-Z0-9]{3,10})$/)
        .optional()
        .catch(undefined),
    )
    .transform((v) => (v === "NONE" ? "none" : v)),
  domain: keyOf(DOMAINS),
  min: score,
  max: score,
  checked: z.preprocess(blank, z.enum(["yes", "no"]).optional().catch(undefined)),
  sort: z.preprocess(
    blank,
    z
      .enum(Object.keys(ICB_SORTS) as [IcbSort, ...IcbSort[]])
      .default("score")
      .catch("score"),
  ),
  dir: z.preprocess(blank, z.enum(["asc", "desc"]).default("asc").catch("asc")),
  as_of: asOfField,
});
export type IcbComplianceFilters = z.infer<typeof IcbComplianceFiltersSchema>;

/** One requirement across an ICB: ?status=not_met&pcn=U05451. */
export const IcbRequirementFiltersSchema = z.object({
  status: keyOf({ met: "", partial: "", not_met: "", unknown: "", not_applicable: "" }),
  as_of: asOfField,
});

/**
 * Changing one local policy value. The value is checked with the key's own schema (the same one
 * the service uses); dates may be typed as 31/01/2027. `version` is blank when the national
 * default was shown.
 */
export const PolicyFormSchema = z
  .object({
    key: z.string().min(1, "Choose a setting"),
    value: z.string().trim().min(1, "Enter a value"),
    version: z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.coerce.number().int().positive().nullable()),
  })
  .transform((v, ctx) => {
    if (!isPolicyKey(v.key)) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "That is not a local policy setting." });
      return z.NEVER;
    }
    const def: PolicyDefinition = POLICY[v.key];
    const raw = def.kind === "date" ? (parseUkDate(v.value) ?? v.value) : v.value;
    const parsed = policyValueSchema(v.key).safeParse(raw);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", path: ["value"], message: parsed.error.issues[0]?.message ?? `Enter a valid value for ${def.label}` });
      return z.NEVER;
    }
    return { key: v.key, value: parsed.data as number | string, version: v.version };
  });

export const PolicyResetSchema = z.object({ key: z.string().min(1), version: z.coerce.number().int().positive() });
