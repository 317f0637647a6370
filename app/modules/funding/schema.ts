import { z } from "zod";
import { financialYearLabel, parseFinancialYear } from "~/modules/pricing/financial-year";
import { formatPence, poundsField } from "~/modules/pricing/money";
import { optionalText, versionField } from "~/utils/zod-fields";
import { amountNeedsReason, REQUEST_STATUS_KEYS, STEPS } from "./workflow";

/** "2026", "2026/27": the start year; shared by the request and budget forms. */
export const financialYearField = z.string().transform((v, ctx) => {
  const y = parseFinancialYear(v ?? "");
  if (y === null) {
    ctx.addIssue({ code: "custom", message: "Choose a financial year, like 2026/27" });
    return z.NEVER;
  }
  return y;
});

const requiredText = (label: string, message: string, max: number) =>
  z
    .string({ message })
    .trim()
    .min(1, message)
    .max(max, `${label} must be ${max.toLocaleString("en-GB")} characters or fewer`);

/** A ticked checkbox posts "on"; react-hook-form gives true/false or the value. */
export const checkboxField = z.preprocess((v) => v === true || v === "on" || v === "yes" || v === "true", z.boolean());

/**
 * The request form's own fields, for a set of gaps whose estimate totals `estimatePence` (null:
 * some gap has no estimate). The same schema runs in the browser (with the loader's estimate)
 * and on the server (with the estimate it computes again from the gaps it re-checked).
 */
export const requestFieldsSchema = (estimatePence: number | null) =>
  z
    .object({
      title: requiredText("Title", "Enter a title for the request", 200),
      financial_year: financialYearField,
      amount: poundsField("Amount requested"),
      amount_reason: optionalText("Reason for the amount", 2000),
      justification: requiredText("Justification", "Enter the justification: what the money buys and why now", 5000),
    })
    .superRefine((d, ctx) => {
      if (d.amount_reason || !amountNeedsReason(d.amount, estimatePence)) return;
      ctx.addIssue({
        code: "custom",
        path: ["amount_reason"],
        message:
          estimatePence === null
            ? "Explain how you arrived at the amount: some gaps have no estimate"
            : `Give a reason for the amount: it differs from the estimate of ${formatPence(estimatePence)}`,
      });
    });
export type RequestFields = z.infer<ReturnType<typeof requestFieldsSchema>>;

/** Editing a draft: the same fields, at the version the form was opened at. */
export const requestEditSchema = (estimatePence: number | null) =>
  z.object({ version: versionField }).and(requestFieldsSchema(estimatePence));

/** Gap ids from hidden inputs (`gap`, repeated) and the "add gaps" box ("12, 15 17"). */
export function parseGapIds(values: readonly unknown[]): { ok: true; ids: number[] } | { ok: false; message: string } {
  const ids = new Set<number>();
  for (const v of values) {
    if (typeof v !== "string") continue;
    for (const part of v.split(/[\s,]+/)) {
      if (part === "") continue;
      const n = Number(part.replace(/^#/, ""));
      if (!Number.isSafeInteger(n) || n <= 0) return { ok: false, message: `"${part}" is not a gap number` };
      ids.add(n);
    }
  }
  if (ids.size === 0) return { ok: false, message: "Choose at least one gap" };
  if (ids.size > 500) return { ok: false, message: "A request can cover at most 500 gaps" };
  return { ok: true, ids: [...ids].sort((a, b) => a - b) };
}

/** One workflow step from the request page. */
export const TransitionSchema = z
  .object({
    intent: z.enum(STEPS as unknown as ["submit", ...string[]], { message: "Unknown action" }),
    version: versionField,
    reason: optionalText("Reason", 2000),
    override: checkboxField.optional().transform((v) => v ?? false),
    override_reason: optionalText("Reason for going over the budget", 2000),
    self_approval_reason: optionalText("Reason for approving your own request", 2000),
  })
  .superRefine((d, ctx) => {
    if (d.intent === "reject" && !d.reason)
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Enter the reason for rejecting the request" });
    if (d.intent === "approve" && d.override && !d.override_reason) {
      ctx.addIssue({ code: "custom", path: ["override_reason"], message: "Enter the reason for approving over the budget" });
    }
  });
export type TransitionInput = z.infer<typeof TransitionSchema>;

/** The ICB's budget for one year, capital and revenue; version blank when the year has none yet. */
export const BudgetSchema = z.object({
  financial_year: financialYearField,
  capital: poundsField("Capital budget"),
  revenue: poundsField("Revenue budget"),
  version: z.preprocess((v) => (v === "" || v === undefined || v === null ? undefined : v), versionField.optional()),
});
export type BudgetInput = z.infer<typeof BudgetSchema>;

/** List and export filters from the URL; anything unrecognised is ignored. */
export interface RequestFilters {
  icb?: string;
  status?: (typeof REQUEST_STATUS_KEYS)[number];
  year?: number;
}

export function filtersFromUrl(url: URL): RequestFilters {
  const out: RequestFilters = {};
  const icb = url.searchParams.get("icb")?.trim().toUpperCase();
  if (icb && /^[A-Z0-9]{3,10}$/.test(icb)) out.icb = icb;
  const status = url.searchParams.get("status");
  if (status && (REQUEST_STATUS_KEYS as string[]).includes(status)) out.status = status as RequestFilters["status"];
  const year = parseFinancialYear(url.searchParams.get("year") ?? "");
  if (year !== null) out.year = year;
  return out;
}

/** The years a form offers: last year to three years ahead. */
export function yearOptions(currentYear: number) {
  return [currentYear - 1, currentYear, currentYear + 1, currentYear + 2, currentYear + 3].map((y) => ({
    value: String(y),
    label: financialYearLabel(y),
  }));
}

/** "Check the split" on the new request form: the amount and year as typed (the rest of the form is only carried back). */
export const CheckSplitSchema = z.object({
  financial_year: financialYearField,
  amount: poundsField("Amount requested"),
});

/** The request form's fields carried in the URL by "Check the split", so nothing typed is lost (bounded). */
export const carriedRequestFields = (params: URLSearchParams) =>
  Object.fromEntries(
    (["title", "financial_year", "amount", "amount_reason", "justification"] as const).flatMap((k) => {
      const v = params.get(k);
      return v === null ? [] : [[k, v.slice(0, 5000)]];
    }),
  ) as Partial<Record<"title" | "financial_year" | "amount" | "amount_reason" | "justification", string>>;
