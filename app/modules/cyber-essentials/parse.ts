import { z } from "zod";
import { LEVEL_LABELS, type CeLevel } from "~/modules/catalogue/cyber-essentials";
import { todayIso } from "~/utils/today";
import { parseUkDate } from "~/utils/zod-fields";

/**
 * Reading a Cyber Essentials / Cyber Essentials Plus certificate file.
 *
 * There is no bulk register to download: IASME's certified-organisations search shows an
 * organisation's name, level, certificate number, certification body and date, and scrapers
 * are refused (reference: ../shared/reference/feeds.md section 3). ICBs hold the certificates
 * their practices send them, so the file is the ICB's own list, one certificate per row:
 *
 *   ODS code, Organisation name, Level, Certificate number, Certification body, Issue date, Expiry date
 *
 * Headers are matched by name, case-insensitively (a few common spellings each). A certificate
 * is valid for 12 months from the day it is issued (IASME, feeds.md section 3), so a blank
 * expiry date is the issue date plus 12 months, and a given one may not be later than that.
 */

// The levels are the catalogue's (SEC-05 reads them); re-exported for the import.
export { LEVEL_LABELS, type CeLevel };

/** The columns and the header texts (lower case) each is found by, in the order tried. */
export const COLUMNS = {
  code: ["ods code", "organisation code", "practice code", "code"],
  name: ["organisation name", "practice name", "name"],
  level: ["level", "certification level", "certificate level", "certificate type", "scheme"],
  number: ["certificate number", "certificate no", "cert no", "certificate"],
  body: ["certification body", "certifying body", "body", "assessor"],
  issued: ["issue date", "date issued", "issued", "date certified", "certified on", "award date"],
  expires: ["expiry date", "expires", "expiry", "valid until"],
} as const;
export type ColumnKey = keyof typeof COLUMNS;

export const COLUMN_TITLES: Record<ColumnKey, string> = {
  code: "ODS code",
  name: "Organisation name",
  level: "Level",
  number: "Certificate number",
  body: "Certification body",
  issued: "Issue date",
  expires: "Expiry date",
};

const REQUIRED: ColumnKey[] = ["code", "level", "number", "issued"];

/** Exact header matches win over partial ones ("Certificate number" must not be taken by "certificate"). */
export function mapHeaders(headers: string[]): { map: Partial<Record<ColumnKey, number>>; missing: ColumnKey[] } {
  const lower = headers.map((h) => h.trim().toLowerCase().replace(/\s+/g, " "));
  const map: Partial<Record<ColumnKey, number>> = {};
  const taken = new Set<number>();
  const keys = Object.keys(COLUMNS) as ColumnKey[];
  for (const exact of [true, false]) {
    for (const key of keys) {
      if (map[key] !== undefined) continue;
      for (const needle of COLUMNS[key]) {
        const i = lower.findIndex(
          (h, j) => !taken.has(j) && (exact ? h === needle : h.startsWith(needle) && !(key === "code" && h.includes("post"))),
        );
        if (i >= 0) {
          map[key] = i;
          taken.add(i);
          break;
        }
      }
    }
  }
  return { map, missing: REQUIRED.filter((k) => map[k] === undefined) };
}

/** "Cyber Essentials Plus", "CE+", "CE Plus", "Plus" → ce_plus; "Cyber Essentials", "CE", "Basic" → ce. */
export function parseLevel(raw: string): CeLevel | null {
  const t = raw.trim().toLowerCase().replace(/\s+/g, " ");
  if (/^(cyber essentials ?(plus|\+)|ce ?(plus|\+)|plus)$/.test(t)) return "ce_plus";
  if (/^(cyber essentials( basic)?|ce|basic)$/.test(t)) return "ce";
  return null;
}

/** The last day a certificate counts: 12 months after issue (a 29 February issue ends on 28 February). */
export function defaultExpiry(issuedOn: string): string {
  return `${Number(issuedOn.slice(0, 4)) + 1}${issuedOn.slice(4)}`.replace(/-02-29$/, "-02-28");
}

const odsCode = z.string().regex(/^[A-Z0-9]{3,10}$/, "Enter an ODS code of letters and digits, like F82018");
const certificateNumber = z
  .string()
  .min(1, "Enter the certificate number")
  .max(60, "The certificate number is longer than 60 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ./_-]*$/, "The certificate number may hold letters, digits, spaces and . / _ - only");

export interface CeRow {
  row: number;
  practiceCode: string;
  name: string | null;
  level: CeLevel;
  certificateNumber: string;
  body: string | null;
  issuedOn: string;
  expiresOn: string;
}

export interface RowIssue {
  row: number;
  column: string;
  message: string;
}

/**
 * Checks every row and names each problem with its row and column: a valid ODS code, a level,
 * a certificate number, an issue date that is a real date and not in the future, and an expiry
 * after the issue date and no more than 12 months after it.
 */
export function validateRows(
  table: { headers: string[]; rows: { row: number; cells: string[] }[] },
  today: string = todayIso(),
): { rows: CeRow[]; issues: RowIssue[]; missing: ColumnKey[] } {
  const { map, missing } = mapHeaders(table.headers);
  if (missing.length) return { rows: [], issues: [], missing };
  const cell = (cells: string[], key: ColumnKey) => (map[key] === undefined ? "" : (cells[map[key]!] ?? "").trim());
  const rows: CeRow[] = [];
  const issues: RowIssue[] = [];
  for (const { row, cells } of table.rows) {
    const found: RowIssue[] = [];
    const problem = (key: ColumnKey, message: string) => found.push({ row, column: COLUMN_TITLES[key], message });
    const rawCode = cell(cells, "code");
    const code = odsCode.safeParse(rawCode.toUpperCase().replace(/\s+/g, ""));
    if (!code.success) problem("code", rawCode ? code.error.issues[0].message : "Enter the practice's ODS code");
    const rawLevel = cell(cells, "level");
    const level = parseLevel(rawLevel);
    if (!level)
      problem(
        "level",
        rawLevel
          ? `"${rawLevel.slice(0, 40)}" is not a level: use Cyber Essentials or Cyber Essentials Plus`
          : "Enter the level: Cyber Essentials or Cyber Essentials Plus",
      );
    const number = certificateNumber.safeParse(cell(cells, "number"));
    if (!number.success) problem("number", number.error.issues[0].message);
    const rawIssued = cell(cells, "issued");
    const issuedOn = rawIssued ? parseUkDate(rawIssued) : null;
    if (!rawIssued) problem("issued", "Enter the date the certificate was issued, as dd/mm/yyyy");
    else if (!issuedOn) problem("issued", `"${rawIssued.slice(0, 30)}" is not a date: use dd/mm/yyyy, like 14/03/2026`);
    else if (issuedOn > today) problem("issued", `The issue date ${rawIssued} is in the future`);
    const rawExpires = cell(cells, "expires");
    let expiresOn = issuedOn ? defaultExpiry(issuedOn) : null;
    if (rawExpires) {
      const given = parseUkDate(rawExpires);
      if (!given) problem("expires", `"${rawExpires.slice(0, 30)}" is not a date: use dd/mm/yyyy, like 13/03/2027`);
      else if (issuedOn && given <= issuedOn) problem("expires", "The expiry date must be after the issue date");
      else if (issuedOn && given > defaultExpiry(issuedOn))
        problem("expires", "A certificate is valid for 12 months from issue: the expiry date is later than that");
      else expiresOn = given;
    }
    if (found.length) {
      issues.push(...found);
      continue;
    }
    rows.push({
      row,
      practiceCode: code.data!,
      name: cell(cells, "name") || null,
      level: level!,
      certificateNumber: number.data!,
      body: cell(cells, "body") || null,
      issuedOn: issuedOn!,
      expiresOn: expiresOn!,
    });
  }
  return { rows, issues, missing };
}
