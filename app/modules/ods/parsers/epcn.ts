import type ExcelJS from "exceljs";
import { z } from "zod";
import { indexHeaders } from "../csv";
import {
  ORG_CODE,
  PCN_CODE,
  PRACTICE_CODE,
  code,
  describeIssues,
  joinAddress,
  optionalCode,
  optionalDate,
  optionalText,
  requiredDate,
  requiredText,
} from "../fields";
import type { RejectedRow, SkippedCount } from "../types";

export const EPCN_DETAILS_SHEET = "PCNDetails";
export const EPCN_PARTNERS_SHEET = "PCN Core Partner Details";

// Header names as published; matching ignores the line breaks ePCN puts inside them.
const DETAIL_HEADERS = {
  code: ["PCN Code"],
  name: ["PCN Name"],
  subIcbCode: ["Current Sub ICB Loc Code"],
  subIcbName: ["Sub ICB Location"],
  openDate: ["Open Date"],
  closeDate: ["Close Date"],
  address1: ["Address Line 1"],
  address2: ["Address Line 2"],
  address3: ["Address Line 3"],
  address4: ["Address Line 4"],
  address5: ["Address Line 5"],
  postcode: ["Postcode"],
};
const PARTNER_HEADERS = {
  practiceCode: ["Partner Organisation Code"],
  pcnCode: ["PCN Code"],
  startDate: ["Practice to PCN Relationship Start Date"],
  endDate: ["Practice to PCN Relationship End Date"],
};

export interface EpcnPcnRecord {
  line: number;
  code: string;
  name: string;
  subIcbCode: string | null;
  subIcbName: string | null;
  openDate: string | null;
  closeDate: string | null;
  address: string | null;
  postcode: string | null;
}

export interface EpcnMembershipRecord {
  line: number;
  practiceCode: string;
  pcnCode: string;
  startDate: string;
  endDate: string | null;
}

export interface EpcnParse {
  records: { pcns: EpcnPcnRecord[]; memberships: EpcnMembershipRecord[] };
  rejected: RejectedRow[];
  skipped: SkippedCount[];
}

const PcnSchema = z.object({
  code: code("PCN Code", PCN_CODE, "U05451"),
  name: requiredText("PCN Name"),
  subIcbCode: optionalCode("Current Sub ICB Loc Code", ORG_CODE, "A3A8R"),
  subIcbName: optionalText(),
  openDate: optionalDate("Open Date"),
  closeDate: optionalDate("Close Date"),
  address: z.array(z.string()).transform(joinAddress),
  postcode: optionalText(),
});

const MembershipSchema = z
  .object({
    practiceCode: code("Partner Organisation Code", PRACTICE_CODE, "F84003"),
    pcnCode: code("PCN Code", PCN_CODE, "U05451"),
    startDate: requiredDate("Relationship Start Date"),
    endDate: optionalDate("Relationship End Date"),
  })
  .refine((m) => m.endDate === null || m.endDate >= m.startDate, { message: "relationship ends before it starts" });

/** Cell values as text: ePCN stores dates as `YYYYMMDD` strings, but a re-saved file may hold real dates. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    return "";
  }
  return String(value);
}

/** Rows of one sheet as header-keyed text, with their Excel row numbers. */
function readSheet<K extends string>(sheet: ExcelJS.Worksheet, wanted: Record<K, string[]>) {
  const width = sheet.columnCount;
  const rowText = (row: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1).value));
  const col = indexHeaders(rowText(sheet.getRow(1)), wanted);
  const rows: { line: number; value: Record<K, string> }[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = rowText(row);
    if (cells.every((c) => c.trim() === "")) return;
    const value = {} as Record<K, string>;
    for (const key of Object.keys(col) as K[]) value[key] = cells[col[key]];
    rows.push({ line: number, value });
  });
  return rows;
}

/**
 * ODS ePCN workbook: `PCNDetails` (one row per PCN, open and closed) and `PCN Core Partner
 * Details` (practice -> PCN membership history: a practice that moved PCN has one row per spell).
 * Row numbers are Excel row numbers, prefixed with the sheet name in messages.
 */
export function parseEpcn(workbook: ExcelJS.Workbook): EpcnParse {
  const details = workbook.getWorksheet(EPCN_DETAILS_SHEET);
  const partners = workbook.getWorksheet(EPCN_PARTNERS_SHEET);
  if (!details || !partners) throw new Error(`expected sheets "${EPCN_DETAILS_SHEET}" and "${EPCN_PARTNERS_SHEET}"`);
  const rejected: RejectedRow[] = [];

  const pcns: EpcnPcnRecord[] = [];
  for (const { line, value: v } of readSheet(details, DETAIL_HEADERS)) {
    const parsed = PcnSchema.safeParse({
      ...v,
      address: [v.address1, v.address2, v.address3, v.address4, v.address5],
    });
    if (parsed.success) pcns.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: `${EPCN_DETAILS_SHEET}: ${describeIssues(parsed.error)}` });
  }

  const memberships: EpcnMembershipRecord[] = [];
  for (const { line, value } of readSheet(partners, PARTNER_HEADERS)) {
    const parsed = MembershipSchema.safeParse(value);
    if (parsed.success) memberships.push({ line, ...parsed.data });
    else rejected.push({ row: line, message: `${EPCN_PARTNERS_SHEET}: ${describeIssues(parsed.error)}` });
  }
  return { records: { pcns, memberships }, rejected, skipped: [] };
}
