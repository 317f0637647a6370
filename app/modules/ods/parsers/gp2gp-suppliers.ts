import { z } from "zod";
import { inFileOrder, readHeaderedCsv } from "../csv";
import { PRACTICE_CODE, code, describeIssues, requiredText } from "../fields";
import type { ParseResult } from "../types";

export const GP2GP_HEADERS = { code: ["ODSCode"], supplier: ["Supplier"] };

export interface Gp2gpRecord {
  line: number;
  code: string;
  supplier: string;
}

const RowSchema = z.object({
  code: code("ODSCode", PRACTICE_CODE, "F84003"),
  supplier: requiredText("Supplier"),
});

/** The 2019 GP2GP team mapping (ODSCode, Supplier): EMIS and TPP only, kept as a last resort. */
export function parseGp2gpSuppliers(content: Buffer): ParseResult<Gp2gpRecord> {
  const { rows, rejected } = readHeaderedCsv(content, GP2GP_HEADERS);
  const records: Gp2gpRecord[] = [];
  for (const { line, value } of rows) {
    const parsed = RowSchema.safeParse(value);
    if (parsed.success) records.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: describeIssues(parsed.error) });
  }
  return { records, rejected: inFileOrder(rejected), skipped: [] };
}
