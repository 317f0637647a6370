import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";

/**
 * An uploaded spreadsheet as a grid of text: the header row and the data rows, each data row
 * numbered as Excel shows it (the header is row 1 when it is on the first line).
 */
export interface ParsedTable {
  format: "csv" | "xlsx";
  headers: string[];
  rows: { row: number; cells: string[] }[];
  /** For CSV, the separator found on the header line. */
  delimiter?: string;
}

/** A file we cannot read at all: shown to the uploader as it is, so it names what is wrong. */
export class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableFileError";
  }
}

export const MAX_ROWS = 100_000;

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/** Reads a CSV or XLSX file, telling them apart by content rather than by the file name. */
export async function parseUpload(content: Uint8Array): Promise<ParsedTable> {
  if (content.length === 0) throw new UnreadableFileError("The file is empty.");
  if (isZip(content)) return parseXlsx(content);
  if (isOle(content)) throw new UnreadableFileError("This looks like an old Excel .xls file. Save it as .xlsx or CSV and upload it again.");
  return parseCsvText(decodeText(content));
}

/** UTF-8 (with or without a byte order mark); anything that is not valid UTF-8 is read as Windows-1252, as Excel saves "CSV" on Windows. */
export function decodeText(content: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return new TextDecoder("windows-1252").decode(content);
  }
}

/** The separator used on the header line: the most frequent of comma, semicolon and tab outside quotes. */
export function sniffDelimiter(text: string): string {
  let inQuotes = false;
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  for (const ch of text.replace(/^\uFEFF/, "")) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) break;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ",";
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === "");

function toTable(format: ParsedTable["format"], records: { row: number; cells: string[] }[], delimiter?: string): ParsedTable {
  const headerAt = records.findIndex((r) => !isBlank(r.cells));
  if (headerAt < 0) throw new UnreadableFileError("The file has no header row. The first row must name the columns.");
  const headers = records[headerAt].cells.map((h) => h.replace(/^\uFEFF/, "").replace(/\s+/g, " ").trim());
  const rows = records.slice(headerAt + 1).filter((r) => !isBlank(r.cells));
  if (rows.length > MAX_ROWS) {
    throw new UnreadableFileError(`The file has ${rows.length.toLocaleString("en-GB")} rows. Split it into files of ${MAX_ROWS.toLocaleString("en-GB")} rows or fewer.`);
  }
  return { format, headers, rows, delimiter };
}

export function parseCsvText(text: string): ParsedTable {
  const delimiter = sniffDelimiter(text);
  let records: string[][];
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines are kept here and dropped in toTable, so row numbers still match Excel's.
      skip_empty_lines: false,
    }) as string[][];
  } catch (e) {
    const err = e as { code?: string; lines?: number; message: string };
    if (err.code === "CSV_QUOTE_NOT_CLOSED") {
      throw new UnreadableFileError("A quoted value is never closed (a \" without its partner), so the rows after it cannot be read. Check the quotes in the file.");
    }
    throw new UnreadableFileError(`The file could not be read as CSV: ${err.message}`);
  }
  return toTable("csv", records.map((cells, i) => ({ row: i + 1, cells })), delimiter);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "string") return value;
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("hyperlink" in value) return String(value.text ?? "");
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || (typeof result === "object" && !(result instanceof Date)) ? "" : cellText(result as ExcelJS.CellValue);
  }
  if ("error" in value) return "";
  return String(value);
}

export async function parseXlsx(content: Uint8Array): Promise<ParsedTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer; the bytes are all it needs.
    await workbook.xlsx.load(Buffer.from(content.buffer, content.byteOffset, content.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new UnreadableFileError(`The file could not be read as an Excel workbook (.xlsx): ${(e as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError("The workbook has no sheets.");
  const records: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= "";
    records.push({ row: row.number, cells });
  });
  return toTable("xlsx", records);
}
