import { z } from "zod";
import { inFileOrder, readHeaderedCsv } from "../csv";
import { PRACTICE_CODE, SkipCounter, code, count, describeIssues, requiredDate } from "../fields";
import type { ParseResult } from "../types";

export const LIST_SIZE_HEADERS = {
  extractDate: ["EXTRACT_DATE"],
  type: ["TYPE"],
  code: ["CODE"],
  sex: ["SEX"],
  age: ["AGE"],
  patients: ["NUMBER_OF_PATIENTS"],
};

export interface ListSizeRecord {
  line: number;
  code: string;
  extractDate: string;
  patients: number;
}

const RowSchema = z.object({
  code: code("CODE", PRACTICE_CODE, "F84003"),
  extractDate: requiredDate("EXTRACT_DATE"),
  patients: count("NUMBER_OF_PATIENTS"),
});

/**
 * NHS Digital "Patients registered at a GP practice" totals. Two header generations exist: the
 * CCG era (`CCG_CODE`, dates like `01JAN2021`) and the sub-ICB era (`SUB_ICB_LOCATION_CODE`, ISO
 * dates). Only the columns both share are read; the commissioner column is left to epraccur,
 * which is the authority on where a practice sits.
 */
export function parseListSize(content: Buffer): ParseResult<ListSizeRecord> {
  const { header, rows, rejected } = readHeaderedCsv(content, LIST_SIZE_HEADERS);
  const skipped = new SkipCounter();
  const records: ListSizeRecord[] = [];
  for (const { line, value } of rows) {
    // The same publication has by-sex and by-age breakdowns; only the all-patient total is a list size.
    const [type, sex, age] = [value.type, value.sex, value.age].map((s) => s.trim().toUpperCase());
    if (type !== "GP" || sex !== "ALL" || age !== "ALL") {
      skipped.add("not a practice all-patients total (TYPE/SEX/AGE)");
      continue;
    }
    const parsed = RowSchema.safeParse(value);
    if (parsed.success) records.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: describeIssues(parsed.error) });
  }
  const era = header.includes("CCG_CODE")
    ? "CCG-era layout (CCG_CODE, dates like 01JAN2021)"
    : "sub-ICB-era layout (SUB_ICB_LOCATION_CODE, ISO dates)";
  return { records, rejected: inFileOrder(rejected), skipped: skipped.list(), notes: [era] };
}
