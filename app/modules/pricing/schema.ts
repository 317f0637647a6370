import { z } from "zod";
import { parseUkDate } from "~/utils/zod-fields";
import { poundsField } from "./money";

export const BASES = { each: "Each", per_1000_patients: "Per 1,000 registered patients" } as const;
export const VAT_RATES = { "20": "20% (standard rate)", "5": "5% (reduced rate)", "0": "0% (zero-rated or exempt)" } as const;
export const FINANCE = { capital: "Capital", revenue: "Revenue" } as const;
export const RECURRENCE = { one_off: "One-off", annual: "Every year (annual)" } as const;

const requiredDate = (label: string) =>
  z.string({ message: `Enter the ${label.toLowerCase()}` }).transform((v, ctx) => {
    if (v.trim() === "") {
      ctx.addIssue({ code: "custom", message: `Enter the ${label.toLowerCase()}` });
      return z.NEVER;
    }
    const iso = parseUkDate(v);
    if (!iso) {
      ctx.addIssue({ code: "custom", message: `${label} must be a real date, like 01/04/2026` });
      return z.NEVER;
    }
    return iso;
  });

/**
 * A new version of a unit cost for one ICB. Versions are never edited: a changed price is a new
 * row from its own effective date, so estimates before that date keep the price they had.
 */
export const PriceVersionSchema = z.object({
  unit_cost: poundsField("Unit cost (ex VAT)"),
  basis: z.enum(["each", "per_1000_patients"], { message: "Choose whether the cost is per unit or per 1,000 patients" }),
  effective_from: requiredDate("Effective from date"),
  source: z
    .string({ message: "Enter where the figure comes from, or why it is a local estimate" })
    .trim()
    .min(1, "Enter where the figure comes from, or why it is a local estimate")
    .max(1000, "Source must be 1,000 characters or fewer"),
  local_estimate: z.preprocess((v) => v === true || v === "on" || v === "yes" || v === "true", z.boolean()),
  // The unit cost is entered ex VAT; the rate is kept with it so pages show both.
  vat_rate_percent: z.enum(["20", "5", "0"], { message: "Choose the VAT rate" }).transform(Number),
  finance: z.enum(["capital", "revenue"], { message: "Choose whether the cost is capital or revenue" }),
  recurrence: z.enum(["one_off", "annual"], { message: "Choose whether the cost is one-off or paid every year" }),
});
export type PriceVersionInput = z.infer<typeof PriceVersionSchema>;
