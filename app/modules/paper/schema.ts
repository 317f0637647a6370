import { z } from "zod";
import { optionalDate, optionalInt, optionalNumber, optionalText, parseUkDate, triState } from "~/utils/zod-fields";
import { FACTOR_KEYS, FACTORS, isFactorKey } from "./factors";

/** Forms and imports for Lloyd George records, paper activity and emission factors (shared by browser and server). */

const MAX_COUNT = 10_000_000;
const count = (label: string) => optionalInt(label, 0, MAX_COUNT);
/** 0 for a record not yet saved, else the version the form was opened at. */
const formVersion = z.coerce.number({ message: "Reload the page and try again" }).int().min(0);

export const LG_LABELS = {
  envelopes_on_site: "Envelopes held at the practice",
  envelopes_elsewhere: "Envelopes held elsewhere (off-site storage)",
  digitised: "Records scanned to the national standard and uploaded",
  destroyed: "Envelopes securely destroyed after scanning",
  new_envelopes_since_2021: "New paper envelopes started since January 2021",
  supplier: "Digitisation supplier",
  supplier_approved: "Supplier approved for the national scanning standard",
  contract_start: "Digitisation contract start",
  contract_end: "Digitisation contract end",
  destruction_approved_on: "Date the practice approved destruction",
  notes: "Notes",
} as const;

export const LloydGeorgeSchema = z
  .object({
    envelopes_on_site: count(LG_LABELS.envelopes_on_site),
    envelopes_elsewhere: count(LG_LABELS.envelopes_elsewhere),
    digitised: count(LG_LABELS.digitised),
    destroyed: count(LG_LABELS.destroyed),
    new_envelopes_since_2021: count(LG_LABELS.new_envelopes_since_2021),
    supplier: optionalText(LG_LABELS.supplier, 120),
    supplier_approved: triState(LG_LABELS.supplier_approved),
    contract_start: optionalDate(LG_LABELS.contract_start),
    contract_end: optionalDate(LG_LABELS.contract_end),
    destruction_approved_on: optionalDate(LG_LABELS.destruction_approved_on),
    notes: optionalText(LG_LABELS.notes, 1000),
    version: formVersion,
  })
  .superRefine((d, ctx) => {
    if (d.destroyed !== null && d.digitised !== null && d.destroyed > d.digitised) {
      ctx.addIssue({ code: "custom", path: ["destroyed"], message: "Envelopes destroyed cannot be more than the records scanned" });
    }
    if (d.digitised !== null && d.envelopes_on_site !== null && d.envelopes_elsewhere !== null && d.destroyed !== null) {
      const total = d.envelopes_on_site + d.envelopes_elsewhere + d.destroyed;
      if (d.digitised > total) {
        ctx.addIssue({
          code: "custom",
          path: ["digitised"],
          message: `Records scanned cannot be more than the ${total.toLocaleString("en-GB")} records held and destroyed`,
        });
      }
    }
    if (d.contract_start && d.contract_end && d.contract_end < d.contract_start) {
      ctx.addIssue({ code: "custom", path: ["contract_end"], message: "Contract end must be on or after the contract start" });
    }
  });
export type LloydGeorgeInput = z.infer<typeof LloydGeorgeSchema>;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * A month as people write it: `10/2026`, `2026-10`, `October 2026`, `Oct 2026`, or any date in
 * it (`31/10/2026`). Gives "YYYY-MM", or null.
 */
export function parseMonth(input: string): string | null {
  const s = input.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(s);
  if (!m) {
    const mm = /^(\d{1,2})[/.-](\d{4})$/.exec(s);
    if (mm) m = [s, mm[2], mm[1]] as unknown as RegExpExecArray;
  }
  if (!m) {
    const named = /^([A-Za-z]{3,9})[\s-]+(\d{4})$/.exec(s);
    const idx = named ? MONTHS.indexOf(named[1].slice(0, 3).toLowerCase()) : -1;
    if (named && idx >= 0) return `${named[2]}-${String(idx + 1).padStart(2, "0")}`;
  }
  if (m) {
    const month = Number(m[2]);
    const year = Number(m[1]);
    return month >= 1 && month <= 12 && year >= 2000 && year <= 2100 ? `${year}-${String(month).padStart(2, "0")}` : null;
  }
  const date = parseUkDate(s);
  return date && date >= "2000-01-01" && date <= "2100-12-31" ? date.slice(0, 7) : null;
}

const lastDayOf = (ym: string) => {
  const [y, mo] = ym.split("-").map(Number);
  return `${ym}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, "0")}`;
};

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

export const ACTIVITY_LABELS = {
  period_start: "Month",
  period_end: "Last month of the period",
  site_code: "Site",
  sheets_printed: "Sheets of paper printed",
  recycled_share_pct: "Recycled paper share (%)",
  letters_posted: "Letters posted to patients",
  sms_sent: "Text messages (SMS) sent",
  nhs_app_messages: "NHS App messages sent",
  emails_sent: "Emails sent to patients",
  notes: "Notes",
} as const;

/**
 * One period of paper and post: whole calendar months (a month by default). Field names are the
 * table's columns, so a CSV export imports again as it is.
 */
const activityFields = {
  period_start: z
    .preprocess((v) => (blank(v) ? undefined : v), z.string({ message: "Enter the month, like 10/2026" }))
    .transform((v, ctx) => {
      const ym = parseMonth(v);
      if (!ym) {
        ctx.addIssue({ code: "custom", message: "Month must be a real month, like 10/2026 or October 2026" });
        return z.NEVER;
      }
      return `${ym}-01`;
    }),
  period_end: z
    .preprocess((v) => (blank(v) ? undefined : v), z.string().optional())
    .transform((v, ctx) => {
      if (v === undefined) return null;
      const ym = parseMonth(v);
      if (!ym) {
        ctx.addIssue({ code: "custom", message: "Last month of the period must be a real month, like 12/2026" });
        return z.NEVER;
      }
      return lastDayOf(ym);
    }),
  site_code: optionalText(ACTIVITY_LABELS.site_code, 20).transform((v) => (v ? v.toUpperCase() : null)),
  sheets_printed: count(ACTIVITY_LABELS.sheets_printed),
  recycled_share_pct: optionalNumber(ACTIVITY_LABELS.recycled_share_pct, 0, 100),
  letters_posted: count(ACTIVITY_LABELS.letters_posted),
  sms_sent: count(ACTIVITY_LABELS.sms_sent),
  nhs_app_messages: count(ACTIVITY_LABELS.nhs_app_messages),
  emails_sent: count(ACTIVITY_LABELS.emails_sent),
  notes: optionalText(ACTIVITY_LABELS.notes, 1000),
};

function finishPeriod<T extends { period_start: string; period_end: string | null }>(d: T, ctx: z.RefinementCtx) {
  const end = d.period_end ?? lastDayOf(d.period_start.slice(0, 7));
  if (end < d.period_start)
    ctx.addIssue({ code: "custom", path: ["period_end"], message: "The last month must be the same as or after the first month" });
  else if (end.slice(0, 7) > addMonths(d.period_start.slice(0, 7), 11))
    ctx.addIssue({ code: "custom", path: ["period_end"], message: "A period can be at most 12 months" });
  return { ...d, period_end: end };
}

function addMonths(ym: string, n: number) {
  const [y, m] = ym.split("-").map(Number);
  const t = y * 12 + m - 1 + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`;
}

/** A row of an import (same fields as the form, without a version). */
export const PaperActivityRowSchema = z.object(activityFields).transform((d, ctx) => finishPeriod(d, ctx));
export type PaperActivityRow = z.infer<typeof PaperActivityRowSchema>;

export const PaperActivitySchema = z.object({ ...activityFields, version: formVersion }).transform((d, ctx) => finishPeriod(d, ctx));
export type PaperActivityInput = z.infer<typeof PaperActivitySchema>;

/** Columns of the paper activity CSV (export and import). */
export const ACTIVITY_COLUMNS = [
  "period_start",
  "period_end",
  "site_code",
  "sheets_printed",
  "recycled_share_pct",
  "letters_posted",
  "sms_sent",
  "nhs_app_messages",
  "emails_sent",
  "notes",
] as const;

export const FactorVersionSchema = z
  .object({
    key: z.string({ message: "Choose a factor" }).refine(isFactorKey, { message: "Choose a factor" }),
    value: optionalNumber("Value", 0, 10_000_000),
    source: optionalText("Source", 1000),
    year: optionalInt("Year of the source data", 1990, 2100),
    is_assumption: triState("Assumption"),
    effective_from: optionalDate("Effective from"),
  })
  .superRefine((d, ctx) => {
    if (d.value === null) ctx.addIssue({ code: "custom", path: ["value"], message: "Enter the value" });
    else if (isFactorKey(d.key) && d.value > FACTORS[d.key].max) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `Value must be at most ${FACTORS[d.key].max.toLocaleString("en-GB")} ${FACTORS[d.key].unit}`,
      });
    }
    if (!d.source)
      ctx.addIssue({ code: "custom", path: ["source"], message: "Say where the value comes from, and whether it is an assumption" });
    if (!d.effective_from) ctx.addIssue({ code: "custom", path: ["effective_from"], message: "Enter the date the new value applies from" });
  });
export type FactorVersionInput = z.infer<typeof FactorVersionSchema>;
export const FACTOR_OPTIONS = FACTOR_KEYS.map((k) => ({ value: k, label: `${FACTORS[k].label} (${FACTORS[k].unit})` }));
