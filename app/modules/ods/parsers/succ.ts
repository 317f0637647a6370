import { z } from "zod";
import { inFileOrder, readCsv } from "../csv";
import { describeIssues, requiredDate } from "../fields";
import type { ParseResult, RejectedRow } from "../types";

/** succ.csv: no header, 5 quoted fields (shared/reference/feeds.md section 7). */
export const SUCC_COLUMNS = 5;

/** Any ODS organisation code: practices (F84003), ICBs (QMF, D7T5G), trusts, branches... */
const ANY_ORG_CODE = /^[A-Z0-9]{3,9}$/;

export interface SuccessionRecord {
  line: number;
  oldCode: string;
  newCode: string;
  effectiveDate: string;
}

const orgCode = (label: string) =>
  z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .refine((s) => ANY_ORG_CODE.test(s), { error: (iss) => `${label} "${String(iss.input).trim()}" is not an ODS code` });

const RowSchema = z
  .object({
    oldCode: orgCode("column 1 (old code)"),
    newCode: orgCode("column 2 (new code)"),
    effectiveDate: requiredDate("column 4 (effective date)"),
  })
  .refine((r) => r.oldCode !== r.newCode, { error: "column 1 and column 2 are the same code" });

/**
 * The ODS successor file: `old code, new code, reason, effective date YYYYMMDD, flag`. The reason
 * is blank throughout the published file and the flag's meaning is not documented, so neither
 * is read. An old code can have several successors (a split) and a new code several predecessors
 * (a merger); rows are kept as stated and the chains walked when applied.
 */
export function parseSuccessions(content: Buffer): ParseResult<SuccessionRecord> {
  const { lines, broken } = readCsv(content);
  const rejected: RejectedRow[] = [...broken];
  const records: SuccessionRecord[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const { line, cells } of lines) {
    if (cells.length !== SUCC_COLUMNS) {
      rejected.push({
        row: line,
        message: `expected ${SUCC_COLUMNS} columns (old code, new code, reason, date, flag), found ${cells.length}`,
      });
      continue;
    }
    const parsed = RowSchema.safeParse({ oldCode: cells[0], newCode: cells[1], effectiveDate: cells[3] });
    if (!parsed.success) {
      rejected.push({ row: line, message: describeIssues(parsed.error) });
      continue;
    }
    const key = `${parsed.data.oldCode}>${parsed.data.newCode}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    records.push({ line, ...parsed.data });
  }
  return {
    records,
    rejected: inFileOrder(rejected),
    skipped: duplicates ? [{ reason: "the same succession stated twice", count: duplicates }] : [],
  };
}

/** Whether a headerless CSV sample looks like succ.csv: 5 fields, two codes and a YYYYMMDD date. */
export function looksLikeSuccessions(sample: string[][]): boolean {
  const full = sample.filter((c) => c.length === SUCC_COLUMNS);
  const good = full.filter((c) => ANY_ORG_CODE.test(c[0].trim()) && ANY_ORG_CODE.test(c[1].trim()) && /^\d{8}$/.test(c[3].trim()));
  return sample.length > 0 && good.length >= Math.ceil(sample.length / 2);
}
