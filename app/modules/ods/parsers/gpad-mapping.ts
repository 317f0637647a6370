import { z } from "zod";
import { inFileOrder, readHeaderedCsv } from "../csv";
import { ORG_CODE, PCN_CODE, PRACTICE_CODE, code, describeIssues, optionalText, requiredText } from "../fields";
import type { ParseResult } from "../types";

export const GPAD_HEADERS = {
  code: ["GP_CODE"],
  name: ["GP_NAME"],
  supplier: ["SUPPLIER"],
  pcnCode: ["PCN_CODE"],
  pcnName: ["PCN_NAME"],
  subIcbCode: ["SUB_ICB_LOCATION_CODE"],
  subIcbName: ["SUB_ICB_LOCATION_NAME"],
  icbCode: ["ICB_CODE"],
  icbName: ["ICB_NAME"],
  regionCode: ["REGION_CODE"],
  regionName: ["REGION_NAME"],
};

export interface GpadRecord {
  line: number;
  code: string;
  name: string;
  supplier: string | null;
  /** null when GPAD says UNALLOCATED: that is "no PCN", not a PCN. */
  pcnCode: string | null;
  pcnName: string | null;
  subIcbCode: string;
  subIcbName: string | null;
  icbCode: string;
  icbName: string | null;
  regionCode: string;
  regionName: string | null;
}

const isUnallocated = (pcnCode: string, pcnName: string) =>
  pcnCode.trim().toUpperCase() === "U" || pcnName.trim().toUpperCase() === "UNALLOCATED";

const RowSchema = z.object({
  code: code("GP_CODE", PRACTICE_CODE, "F84003"),
  name: requiredText("GP_NAME"),
  supplier: optionalText(),
  pcnCode: code("PCN_CODE", PCN_CODE, "U05451"),
  pcnName: requiredText("PCN_NAME"),
  subIcbCode: code("SUB_ICB_LOCATION_CODE", ORG_CODE, "A3A8R"),
  subIcbName: optionalText(),
  icbCode: code("ICB_CODE", ORG_CODE, "QMF"),
  icbName: optionalText(),
  regionCode: code("REGION_CODE", ORG_CODE, "Y56"),
  regionName: optionalText(),
});

/**
 * The GPAD (Appointments in General Practice) Mapping.csv: practice -> IT supplier, PCN, sub-ICB,
 * ICB, region, with names. Some practices appear on two or three rows that differ only in
 * SUPPLIER (mid-migration or an add-on such as EVERGREENLIFE); we keep one row per practice,
 * chosen by content alone so the result never depends on row order.
 */
export function parseGpadMapping(content: Buffer): ParseResult<GpadRecord> {
  const { rows, rejected } = readHeaderedCsv(content, GPAD_HEADERS);
  const byPractice = new Map<string, GpadRecord[]>();

  for (const { line, value: raw } of rows) {
    const unallocated = isUnallocated(raw.pcnCode, raw.pcnName);
    // Validate a placeholder PCN for UNALLOCATED rows so the rest of the row is still checked.
    const parsed = RowSchema.safeParse(unallocated ? { ...raw, pcnCode: "U00000", pcnName: "-" } : raw);
    if (!parsed.success) {
      rejected.push({ row: line, message: describeIssues(parsed.error) });
      continue;
    }
    const record: GpadRecord = {
      line,
      ...parsed.data,
      pcnCode: unallocated ? null : parsed.data.pcnCode,
      pcnName: unallocated ? null : parsed.data.pcnName,
    };
    const list = byPractice.get(record.code) ?? [];
    list.push(record);
    byPractice.set(record.code, list);
  }

  const records: GpadRecord[] = [];
  const duplicates: string[] = [];
  for (const [practice, list] of byPractice) {
    const kept = list.length === 1 ? list[0] : pickSupplierRow(list);
    records.push(kept);
    if (list.length > 1) {
      duplicates.push(`${practice} (${list.map((r) => r.supplier ?? "none").join(" / ")} -> kept ${kept.supplier ?? "none"})`);
    }
  }
  const notes = duplicates.length
    ? [
        `${duplicates.length} practices appear on more than one row with different SUPPLIER values; ` +
          `kept the single-system value (fewest "/" parts, then alphabetical): ${duplicates.slice(0, 10).join(", ")}` +
          (duplicates.length > 10 ? ` and ${duplicates.length - 10} more` : ""),
      ]
    : [];
  return { records, rejected: inFileOrder(rejected), skipped: [], notes };
}

/** Prefer a plain system ("TPP") over a combination ("TPP/EMIS"), then alphabetical order. */
function pickSupplierRow(list: GpadRecord[]): GpadRecord {
  const parts = (s: string | null) => (s ? s.split("/").length : Number.MAX_SAFE_INTEGER);
  return [...list].sort(
    (a, b) => parts(a.supplier) - parts(b.supplier) || (a.supplier ?? "").localeCompare(b.supplier ?? "") || a.line - b.line,
  )[0];
}
