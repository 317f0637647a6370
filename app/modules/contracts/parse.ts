import { z } from "zod";
import { ContractSchema, type ContractInput } from "./schema";

/**
 * Reading a supplier contracts file: the ICB's own register, one contract per row, as the
 * register exports it (so an export can be edited and imported again) or with the column titles
 * people write:
 *
 *   ODS code, Supplier, Category, Product or service, Framework, Start date, End date,
 *   Notice period (months), Annual cost (£ ex VAT), Paid by, Contract reference
 *
 * `ODS code` is the practice's code, or the ICB's code for a contract the ICB holds for its
 * practices. Each row goes through the same checks as the form (schema.ts).
 */

/** The fields and the header texts (lower case, spaces for _) each is found by. */
export const COLUMNS = {
  ods_code: ["ods code", "organisation code", "practice code", "practice or icb code", "code"],
  supplier: ["supplier", "supplier name", "vendor"],
  category: ["category", "product category", "service category", "type"],
  service: ["service", "product or service", "product", "description"],
  framework: ["framework", "procurement framework", "bought through"],
  starts_on: ["starts on", "start date", "contract start", "start"],
  ends_on: ["ends on", "end date", "contract end", "end"],
  notice_months: ["notice months", "notice period months", "notice period", "notice"],
  annual_cost: ["annual cost", "annual cost £ ex vat", "annual cost ex vat", "annual cost £", "cost per year", "annual value"],
  paid_by: ["paid by", "who pays", "funded by", "payer"],
  reference: ["reference", "contract reference", "contract ref", "contract number", "contract no"],
} as const;
export type ColumnKey = keyof typeof COLUMNS;

export const COLUMN_TITLES: Record<ColumnKey, string> = {
  ods_code: "ODS code",
  supplier: "Supplier",
  category: "Category",
  service: "Product or service",
  framework: "Framework",
  starts_on: "Start date",
  ends_on: "End date",
  notice_months: "Notice period (months)",
  annual_cost: "Annual cost (£ ex VAT)",
  paid_by: "Paid by",
  reference: "Contract reference",
};

const REQUIRED: ColumnKey[] = ["ods_code", "supplier", "category", "starts_on", "ends_on", "annual_cost", "paid_by", "reference"];

const clean = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[()]/g, "")
    .replace(/[\s_]+/g, " ")
    .trim();

/** Exact header matches first, then headers that start with a known text. */
export function mapHeaders(headers: string[]): { map: Partial<Record<ColumnKey, number>>; missing: ColumnKey[] } {
  const lower = headers.map(clean);
  const map: Partial<Record<ColumnKey, number>> = {};
  const taken = new Set<number>();
  const keys = Object.keys(COLUMNS) as ColumnKey[];
  for (const exact of [true, false]) {
    for (const key of keys) {
      if (map[key] !== undefined) continue;
      for (const needle of COLUMNS[key]) {
        const i = lower.findIndex((h, j) => !taken.has(j) && (exact ? h === needle : h.startsWith(needle)));
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

const holderCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, "Enter the practice's ODS code (like F84003) or the ICB's code (like QMF)");

export interface ContractRow extends ContractInput {
  row: number;
  holderCode: string;
}

export interface RowIssue {
  row: number;
  column: string;
  message: string;
}

/** Every row checked with the form's rules; each problem named by row and column. */
export function validateRows(table: { headers: string[]; rows: { row: number; cells: string[] }[] }): {
  rows: ContractRow[];
  issues: RowIssue[];
  missing: ColumnKey[];
} {
  const { map, missing } = mapHeaders(table.headers);
  if (missing.length) return { rows: [], issues: [], missing };
  const rows: ContractRow[] = [];
  const issues: RowIssue[] = [];
  for (const { row, cells } of table.rows) {
    const raw: Record<string, string> = {};
    for (const key of Object.keys(COLUMNS) as ColumnKey[]) raw[key] = map[key] === undefined ? "" : (cells[map[key]!] ?? "").trim();
    const found: RowIssue[] = [];
    const code = holderCode.safeParse(raw.ods_code);
    if (!code.success)
      found.push({
        row,
        column: COLUMN_TITLES.ods_code,
        message: raw.ods_code ? code.error.issues[0].message : "Enter the practice's or ICB's ODS code",
      });
    const facts = ContractSchema.safeParse(raw);
    if (!facts.success) {
      const seen = new Set<string>();
      for (const i of facts.error.issues) {
        const key = String(i.path[0] ?? "") as ColumnKey;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ row, column: COLUMN_TITLES[key] ?? key, message: i.message });
      }
    }
    if (found.length) issues.push(...found);
    else rows.push({ row, holderCode: code.data!, ...facts.data! });
  }
  return { rows, issues, missing };
}
