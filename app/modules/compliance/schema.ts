import { z } from "zod";
import { CATEGORIES, DOMAINS, EVIDENCE_KINDS, FUNDERS } from "./catalogue/types";

const keyOf = <T extends Record<string, string>>(map: T) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(Object.keys(map) as [keyof T & string, ...(keyof T & string)[]]).optional().catch(undefined));

/** Requirement list filters as they come from the URL (?domain=devices&automatic=yes&q=wifi); bad values are dropped. */
export const RequirementFiltersSchema = z.object({
  domain: keyOf(DOMAINS),
  category: keyOf(CATEGORIES),
  funder: keyOf(FUNDERS),
  evidence: keyOf(EVIDENCE_KINDS),
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
