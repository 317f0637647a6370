import { z } from "zod";

/**
 * Zod field builders shared by every NHS file parser. Each takes the raw cell text and the column
 * label a user would recognise, so a rejected row says which column was wrong and what it held.
 */
type Conversion<T> = { ok: true; value: T } | { ok: false; message: string };

function field<T>(convert: (raw: string) => Conversion<T>) {
  return z.string().transform((raw, ctx) => {
    const result = convert(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.value;
  });
}

const ok = <T>(value: T): Conversion<T> => ({ ok: true, value });
const fail = (message: string): Conversion<never> => ({ ok: false, message });

/** Trimmed text; an empty cell becomes null. */
export const optionalText = () => field((raw) => ok(raw.trim() === "" ? null : raw.trim()));

export const requiredText = (label: string) => field((raw) => (raw.trim() === "" ? fail(`${label} is empty`) : ok(raw.trim())));

/** GP practice codes (including Y-codes): one letter and five digits, e.g. F84003. */
export const PRACTICE_CODE = /^[A-Z]\d{5}$/;
/** PCN codes: U and five digits. */
export const PCN_CODE = /^U\d{5}$/;
/** Region, ICB and sub-ICB location (formerly CCG) codes: 3 to 5 capitals or digits. */
export const ORG_CODE = /^[A-Z0-9]{3,5}$/;

export const code = (label: string, pattern: RegExp, example: string) =>
  field((raw) => {
    const value = raw.trim();
    if (value === "") return fail(`${label} is empty`);
    return pattern.test(value) ? ok(value) : fail(`${label} "${value}" is not a valid code (expected e.g. ${example})`);
  });

export const optionalCode = (label: string, pattern: RegExp, example: string) =>
  field((raw) => {
    const value = raw.trim();
    if (value === "") return ok(null);
    return pattern.test(value) ? ok(value) : fail(`${label} "${value}" is not a valid code (expected e.g. ${example})`);
  });

const MONTHS: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

/**
 * NHS files write dates three ways: ODS `YYYYMMDD`, the old list-size `01JAN2021`, and ISO
 * `2026-04-01`. Returns `YYYY-MM-DD`, null for an empty cell, or undefined when it is not a real date.
 */
export function toIsoDate(raw: string): string | null | undefined {
  const s = raw.trim();
  if (s === "") return null;
  let y: number, m: number, d: number;
  let match: RegExpMatchArray | null;
  if ((match = s.match(/^(\d{4})(\d{2})(\d{2})$/)) || (match = s.match(/^(\d{4})-(\d{2})-(\d{2})$/))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = s.toUpperCase().match(/^(\d{2})([A-Z]{3})(\d{4})$/)) && MONTHS[match[2]]) {
    [y, m, d] = [Number(match[3]), MONTHS[match[2]], Number(match[1])];
  } else {
    return undefined;
  }
  // Round-trip through UTC so 20230230 or 2023-13-01 are refused rather than rolled over.
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

export const optionalDate = (label: string) =>
  field((raw) => {
    const value = toIsoDate(raw);
    return value === undefined ? fail(`${label} "${raw.trim()}" is not a date (expected YYYYMMDD)`) : ok(value);
  });

export const requiredDate = (label: string) =>
  field((raw) => {
    const value = toIsoDate(raw);
    if (value === null) return fail(`${label} is empty`);
    return value === undefined ? fail(`${label} "${raw.trim()}" is not a date (expected YYYYMMDD)`) : ok(value);
  });

export const count = (label: string) =>
  field((raw) => {
    const value = raw.trim();
    return /^\d{1,9}$/.test(value) ? ok(Number(value)) : fail(`${label} "${value}" is not a whole number`);
  });

/** Address lines joined with ", ", skipping the empty ones (the town can sit in any line). */
export function joinAddress(lines: (string | null | undefined)[]): string | null {
  const parts = lines.map((l) => (l ?? "").trim()).filter((l) => l !== "");
  return parts.length ? parts.join(", ") : null;
}

/** The first message of each failing column, joined, for a rejected-row report. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join("; ");
}

/** Tallies skipped rows by reason, keeping first-seen order for a stable report. */
export class SkipCounter {
  private readonly counts = new Map<string, number>();
  add(reason: string, n = 1) {
    if (n > 0) this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
  list() {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}
