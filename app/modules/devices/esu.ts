import { z } from "zod";

/**
 * Extended Security Updates are bought a year at a time, from year 1 (missed years must be paid
 * for), so a device records how many years are bought: 0 to 3 for Windows 10. The lifecycle row
 * says when each year ends (os-lifecycle/reference.ts). Blank = not known.
 */
export const ESU_MAX_YEARS = 3;

export const ESU_YEAR_OPTIONS: { value: string; label: string }[] = [
  { value: "", label: "Not known" },
  { value: "0", label: "None" },
  { value: "1", label: "Year 1 (Windows 10: to 13 October 2026)" },
  { value: "2", label: "Years 1 and 2 (Windows 10: to 12 October 2027)" },
  { value: "3", label: "Years 1 to 3 (Windows 10: to 10 October 2028)" },
];

const YES = /^(y|yes|true|enrolled)$/i;
const NO = /^(n|no|none|false|not enrolled)$/i;

/** "2", "2 years", "none"/"no" (0); a bare "yes" is refused because it does not say which years. */
export const esuYearsField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v),
  z.union([z.string(), z.number(), z.null(), z.undefined()]).transform((v, ctx) => {
    if (v === undefined || v === null || v === "") return null;
    if (typeof v === "string" && NO.test(v)) return 0;
    if (typeof v === "string" && YES.test(v)) {
      ctx.addIssue({
        code: "custom",
        message: `ESU years bought must say how many years were bought (0 to ${ESU_MAX_YEARS}), not just yes: each ESU year is a separate purchase`,
      });
      return z.NEVER;
    }
    const n = typeof v === "number" ? v : /^(\d+)(\s*years?)?$/i.test(v) ? Number.parseInt(v, 10) : Number.NaN;
    if (!Number.isInteger(n) || n < 0 || n > ESU_MAX_YEARS) {
      ctx.addIssue({ code: "custom", message: `ESU years bought must be a whole number from 0 to ${ESU_MAX_YEARS}` });
      return z.NEVER;
    }
    return n;
  }),
);

/** "Years 1 and 2 (to 12 October 2027)"-style wording for a device page. */
export function esuYearsLabel(years: number | null): string {
  if (years === null) return "Not known";
  if (years === 0) return "None";
  return years === 1 ? "Year 1" : years === 2 ? "Years 1 and 2" : `Years 1 to ${years}`;
}
