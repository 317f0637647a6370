import { z } from "zod";
import { inFileOrder, readCsv } from "../csv";
import { PRACTICE_CODE, code, describeIssues, joinAddress, optionalDate, optionalText, requiredText } from "../fields";
import type { ParseResult, RejectedRow } from "../types";

export const EBRANCHS_COLUMNS = 27;
/** Branch surgery codes: the parent practice's code shape plus a 3-digit suffix, e.g. F84749001. */
export const BRANCH_CODE = /^[A-Z]\d{8}$/;

export interface EbranchRecord {
  line: number;
  code: string;
  name: string;
  parentCode: string;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  openDate: string | null;
  closeDate: string | null;
}

const RowSchema = z.object({
  code: code("column 1 (branch code)", BRANCH_CODE, "F84749001"),
  name: requiredText("column 2 (name)"),
  address: z.array(z.string()).transform(joinAddress),
  postcode: optionalText(),
  openDate: optionalDate("column 11 (open date)"),
  closeDate: optionalDate("column 12 (close date)"),
  parentCode: code("column 15 (parent practice code)", PRACTICE_CODE, "F84749"),
  phone: optionalText(),
});

/**
 * ODS ebranchs: headerless, 27 columns, one row per branch surgery. Its geography columns (3-4)
 * are ignored: in old extracts they hold retired area-team codes, and the parent practice already
 * carries current ones.
 */
export function parseEbranchs(content: Buffer): ParseResult<EbranchRecord> {
  const { lines, broken } = readCsv(content);
  const records: EbranchRecord[] = [];
  const rejected: RejectedRow[] = [...broken];
  for (const { line, cells: c } of lines) {
    if (c.length !== EBRANCHS_COLUMNS) {
      rejected.push({ row: line, message: `expected ${EBRANCHS_COLUMNS} columns, found ${c.length}` });
      continue;
    }
    const parsed = RowSchema.safeParse({
      code: c[0],
      name: c[1],
      address: c.slice(4, 9),
      postcode: c[9],
      openDate: c[10],
      closeDate: c[11],
      parentCode: c[14],
      phone: c[17],
    });
    if (parsed.success) records.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: describeIssues(parsed.error) });
  }
  return { records, rejected: inFileOrder(rejected), skipped: [] };
}
