import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { badRequest } from "./errors";

/**
 * Writes registers as CSV or XLSX with the same cells: column headers are the form's field names
 * (snake_case), dates stay ISO `YYYY-MM-DD`, booleans become yes/no and unknowns are blank, so an
 * export can be edited and imported again.
 */
export type Cell = string | number | boolean | null | undefined;
export type TabularFormat = "csv" | "xlsx";

export const TABULAR_FORMATS: Record<TabularFormat, { contentType: string; extension: string }> = {
  csv: { contentType: "text/csv; charset=utf-8", extension: "csv" },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extension: "xlsx" },
};

/** `?format=csv|xlsx`; CSV when absent. Anything else is a 400 (thrown as an AppError). */
export function exportFormatFrom(url: URL): TabularFormat {
  const f = (url.searchParams.get("format") ?? "csv").toLowerCase();
  if (f === "csv" || f === "xlsx") return f;
  throw badRequest("Choose CSV or XLSX for the export format.");
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v);
}

/**
 * Spreadsheet programs run a CSV cell that starts with = + - @ as a formula. Such text is
 * prefixed with an apostrophe, except signed numbers and phone numbers (`+44 20 7946 0000`),
 * which are data people expect to keep as they are.
 */
export function neutraliseFormula(s: string): string {
  if (/^[=@\t\r]/.test(s)) return `'${s}`;
  if (/^[+-]/.test(s) && !/^[+-][\d\s().]+$/.test(s)) return `'${s}`;
  return s;
}

/** CSV text with a byte-order mark so Excel reads it as UTF-8 (csv-parse removes it with `bom: true`). */
export function toCsv(columns: readonly string[], rows: readonly Cell[][]): string {
  const cells = rows.map((r) => r.map((v) => (typeof v === "string" ? neutraliseFormula(v) : cellText(v))));
  return `\ufeff${stringify([[...columns], ...cells], { record_delimiter: "\r\n" })}`;
}

/** One worksheet: a bold header row, then the rows. Numbers stay numbers; text is never a formula. */
export async function toXlsx(sheetName: string, columns: readonly string[], rows: readonly Cell[][]): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "GP digital estate";
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.addRow([...columns]).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === "number" ? v : cellText(v))));
  ws.views = [{ state: "frozen", ySplit: 1 }];
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
  });
  return Uint8Array.from(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** One view of a multi-sheet workbook; `money` lists the columns holding pounds. */
export interface XlsxSheet {
  name: string;
  columns: readonly string[];
  rows: readonly Cell[][];
  money: readonly number[];
}

/**
 * A workbook with one sheet per view: bold header, frozen first row, pounds formatted as money,
 * and any row that carries a "Total" cell in bold. Empty cells stay empty.
 */
export async function sheetsToXlsx(sheets: readonly XlsxSheet[]): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "GP digital estate";
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    ws.addRow([...s.columns]).font = { bold: true };
    for (const r of s.rows) {
      const row = ws.addRow(r.map((v) => (v === null || v === undefined ? null : typeof v === "boolean" ? (v ? "yes" : "no") : v)));
      if (r.some((c) => c === "Total")) row.font = { bold: true };
    }
    for (const i of s.money) ws.getColumn(i + 1).numFmt = '"£"#,##0.00';
    s.columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
    });
    ws.views = [{ state: "frozen", ySplit: 1 }];
  }
  return Uint8Array.from(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** A download response; `baseName` becomes e.g. `F84003-telephony-2026-11-22.csv`. */
export async function tabularResponse(
  format: TabularFormat,
  baseName: string,
  sheetName: string,
  columns: readonly string[],
  rows: readonly Cell[][],
): Promise<Response> {
  const { contentType, extension } = TABULAR_FORMATS[format];
  const body = format === "csv" ? toCsv(columns, rows) : await toXlsx(sheetName, columns, rows);
  const fileName = `${baseName.replace(/[^\w.-]+/g, "-")}.${extension}`;
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
