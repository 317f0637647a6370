import { z } from "zod";
import { optionalDate, optionalText, parseUkDate, versionField } from "~/utils/zod-fields";
import { OS_FAMILIES } from "./parse";

const requiredText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ message: `Enter the ${label}` })
      .min(1, `Enter the ${label}`)
      .max(max, `${label[0].toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`),
  );

/** "13/10/2026, 12/10/2027": the last day of each paid ESU year, in order (blank: none). */
const esuYearEnds = z.preprocess(
  (v) => (v === undefined || v === null ? "" : v),
  z
    .string()
    .max(200, "ESU year end dates must be 200 characters or fewer")
    .transform((v, ctx) => {
      const parts = v
        .split(/[,;\n]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      const out: string[] = [];
      for (const p of parts) {
        const iso = parseUkDate(p);
        if (!iso) {
          ctx.addIssue({ code: "custom", message: `"${p}" in ESU year end dates is not a real date, like 13/10/2026` });
          return z.NEVER;
        }
        if (out.length && iso <= out[out.length - 1]) {
          ctx.addIssue({ code: "custom", message: "Enter the ESU year end dates in order, earliest first" });
          return z.NEVER;
        }
        out.push(iso);
      }
      if (out.length > 10) {
        ctx.addIssue({ code: "custom", message: "Enter 10 ESU years or fewer" });
        return z.NEVER;
      }
      return out;
    }),
);

/**
 * One operating system version's support dates. Family, edition and version are the key that
 * devices are matched on (see lifecycleEdition in parse.ts for the edition groups).
 */
export const OsLifecycleSchema = z
  .object({
    family: z.enum(OS_FAMILIES, { message: "Select the operating system family" }),
    edition: requiredText("edition", 60),
    version: requiredText("version", 20),
    build: optionalText("Build", 30),
    release_date: optionalDate("Release date"),
    end_of_support: optionalDate("End of support date").refine((v) => v !== null, "Enter the end of support date"),
    mainstream_end: optionalDate("Mainstream support end date"),
    esu_year_ends: esuYearEnds,
    source: requiredText("source", 300),
    notes: optionalText("Notes", 1000),
  })
  .superRefine((d, ctx) => {
    if (d.end_of_support && d.esu_year_ends.length && d.esu_year_ends[0] <= d.end_of_support) {
      ctx.addIssue({ code: "custom", path: ["esu_year_ends"], message: "The first ESU year must end after the end of support date" });
    }
    if (d.end_of_support && d.mainstream_end && d.mainstream_end > d.end_of_support) {
      ctx.addIssue({
        code: "custom",
        path: ["mainstream_end"],
        message: "Mainstream support end date must be on or before the end of support date",
      });
    }
    if (d.release_date && d.end_of_support && d.end_of_support < d.release_date) {
      ctx.addIssue({ code: "custom", path: ["end_of_support"], message: "End of support date must be on or after the release date" });
    }
  });

export type OsLifecycleInput = z.infer<typeof OsLifecycleSchema>;

/** The row version the edit page was opened at (the `version` name is the OS version). */
export const LifecycleVersionSchema = z.object({ version_no: versionField });

export const LIFECYCLE_LABELS: Record<string, string> = {
  family: "Family",
  edition: "Edition",
  version: "Version",
  build: "Build",
  release_date: "Release date",
  end_of_support: "End of support",
  mainstream_end: "Mainstream support end",
  esu_year_ends: "ESU year end dates",
  extended_end: "Last ESU day",
  source: "Source",
  notes: "Notes",
  reference_version: "Reference data version",
};
