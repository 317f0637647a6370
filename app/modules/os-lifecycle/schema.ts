import { z } from "zod";
import { optionalDate, optionalText, versionField } from "~/utils/zod-fields";
import { OS_FAMILIES } from "./parse";

const requiredText = (label: string, max: number) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string({ message: `Enter the ${label}` }).min(1, `Enter the ${label}`).max(max, `${label[0].toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`));

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
    extended_end: optionalDate("Extended support end date"),
    source: requiredText("source", 300),
    notes: optionalText("Notes", 1000),
  })
  .superRefine((d, ctx) => {
    if (d.end_of_support && d.extended_end && d.extended_end < d.end_of_support) {
      ctx.addIssue({ code: "custom", path: ["extended_end"], message: "Extended support end date must be on or after the end of support date" });
    }
    if (d.release_date && d.end_of_support && d.end_of_support < d.release_date) {
      ctx.addIssue({ code: "custom", path: ["end_of_support"], message: "End of support date must be on or after the release date" });
    }
  });

export type OsLifecycleInput = z.infer<typeof OsLifecycleSchema>;

/** The row version the edit page was opened at (the `version` name is the OS version). */
export const LifecycleVersionSchema = z.object({ version_no: versionField });

export const LIFECYCLE_LABELS: Record<string, string> = {
  family: "Family", edition: "Edition", version: "Version", build: "Build", release_date: "Release date",
  end_of_support: "End of support", extended_end: "Extended support end", source: "Source", notes: "Notes",
};
