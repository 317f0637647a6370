import { z } from "zod";
import { inFileOrder, readHeaderedCsv } from "../csv";
import { PRACTICE_CODE, code, describeIssues, optionalText } from "../fields";
import type { ParseResult } from "../types";

export const GP_IT_HEADERS = {
  code: ["GP_ODS_CODE"],
  gpadSystems: ["GP_GPAD_SYSTEMS"],
  system: ["GP_SYSTEM"],
};

export interface GpItSupplierRecord {
  line: number;
  code: string;
  /** GP_SYSTEM, already reduced by NHS Digital to one principal system (EMIS, TPP, MEDICUS). */
  system: string | null;
  /** GP_GPAD_SYSTEMS, the raw GPAD value (e.g. EMIS/EVERGREENLIFE). */
  gpadSystems: string | null;
}

export interface GpItSuppliersParse extends ParseResult<GpItSupplierRecord> {
  /** True for the third-party copy that adds an `ICB Sub location` column in front. */
  withSubIcbColumn: boolean;
}

const RowSchema = z.object({
  code: code("GP_ODS_CODE", PRACTICE_CODE, "F84003"),
  system: optionalText(),
  gpadSystems: optionalText(),
});

/** NHS Digital's practice -> GP IT system list (mavis-data-gp-it-suppliers), in either layout. */
export function parseGpItSuppliers(content: Buffer): GpItSuppliersParse {
  const { header, rows, rejected } = readHeaderedCsv(content, GP_IT_HEADERS);
  const records: GpItSupplierRecord[] = [];
  for (const { line, value } of rows) {
    const parsed = RowSchema.safeParse(value);
    if (parsed.success) records.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: describeIssues(parsed.error) });
  }
  return { records, rejected: inFileOrder(rejected), skipped: [], withSubIcbColumn: header.includes("ICB SUB LOCATION") };
}
