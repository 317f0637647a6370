import { z } from "zod";

/**
 * Field schemas shared by forms, actions and importers. Each takes what people type or what
 * spreadsheets hold and gives one clean value, or a message that names what is wrong.
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * Reads a date as people in England write it: `31/03/2024`, `31-3-2024`, `31.03.24`, `31 Mar 2024`,
 * and ISO `2024-03-31` (with or without a time). Day comes before month: never US order.
 */
export function parseUkDate(input: string): string | null {
  const s = input.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return validYmd(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const y = m[3].length === 2 ? 2000 + +m[3] : +m[3];
    return validYmd(y, +m[2], +m[1]);
  }
  m = /^(\d{1,2})[\s-]([A-Za-z]{3,9})[\s\-,]+(\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS[m[2].slice(0, 3).toLowerCase()];
    return month ? validYmd(+m[3], month, +m[1]) : null;
  }
  return null;
}

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Optional date: blank means "not known" (null). */
export const optionalDate = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        const iso = parseUkDate(v);
        if (!iso) {
          ctx.addIssue({ code: "custom", message: `${label} must be a real date, like 31/03/2024` });
          return z.NEVER;
        }
        return iso;
      }),
  );

/** Optional text, trimmed; blank becomes null. */
export const optionalText = (label: string, max = 200) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(max, `${label} must be ${max} characters or fewer`)
      .optional()
      .transform((v) => v ?? null),
  );

/** Yes / No / Not known, from radios ("yes", "no", "") or spreadsheets (Y/N, true/false, 1/0). */
export const triState = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        const s = v.trim().toLowerCase();
        if (["yes", "y", "true", "1"].includes(s)) return true;
        if (["no", "n", "false", "0"].includes(s)) return false;
        if (["unknown", "not known", "n/a", "?"].includes(s)) return null;
        ctx.addIssue({ code: "custom", message: `${label} must be yes, no or blank` });
        return z.NEVER;
      }),
  );

/** A number read from a form or spreadsheet cell ("1,200" allowed); blank is null. */
const optionalNumeric = (label: string, min: number, max: number, whole: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        const n = Number(v.replace(/,/g, "").trim());
        if (!(whole ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
          const kind = whole ? "a whole number" : "a number";
          ctx.addIssue({ code: "custom", message: `${label} must be ${kind} from ${min} to ${max.toLocaleString("en-GB")}` });
          return z.NEVER;
        }
        return n;
      }),
  );

/** Optional whole number in a range; blank is null. */
export const optionalInt = (label: string, min = 0, max = 1_000_000) => optionalNumeric(label, min, max, true);

/** Optional decimal number in a range; blank is null. */
export const optionalNumber = (label: string, min = 0, max = 1_000_000) => optionalNumeric(label, min, max, false);

/** The record version the form was opened at, for optimistic concurrency. */
export const versionField = z.coerce.number().int().positive();

/** Form value for a boolean | null (the inverse of triState), for default values. */
export const triStateValue = (v: boolean | null | undefined) => (v === true ? "yes" : v === false ? "no" : "");
