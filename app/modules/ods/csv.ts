import { parse } from "csv-parse/sync";
import type { RejectedRow } from "./types";

export interface CsvLine {
  /** 1-based line number in the file, as a text editor shows it. */
  line: number;
  cells: string[];
}

interface ReadOptions {
  /** Stop after this many records (used by detection, which needs only the start of a file). */
  maxRecords?: number;
}

/**
 * Reads a CSV buffer into raw cell arrays with their line numbers. Column counts are not enforced
 * here so a short or long row becomes a rejected row with a reason instead of failing the file;
 * `relax_quotes` keeps a stray quote inside a field from swallowing the rest of the file.
 */
export function readCsv(content: Buffer, options: ReadOptions = {}): { lines: CsvLine[]; broken: RejectedRow[] } {
  const broken: RejectedRow[] = [];
  let lastLine = 0;
  let emptyLines = 0;
  const lines: CsvLine[] = [];
  parse(content, {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    to: options.maxRecords,
    skip_records_with_error: true,
    on_record: (record: string[], context) => {
      // Report where a record starts (a quoted field may run over several lines): the line after
      // the previous record plus any blank lines skipped since.
      const start = lastLine + 1 + (context.empty_lines - emptyLines);
      lastLine = context.lines;
      emptyLines = context.empty_lines;
      lines.push({ line: start, cells: record });
      return record;
    },
    on_skip: (err) => {
      // An unclosed quote runs to the end of the file: report it where the broken record starts.
      broken.push({
        row: lastLine + 1,
        message:
          err?.code === "CSV_QUOTE_NOT_CLOSED"
            ? "a quoted field is opened here and never closed; the rest of the file could not be read"
            : `unreadable CSV record (${err?.message ?? "unknown error"})`,
      });
      return undefined;
    },
  });
  return { lines, broken };
}

/** Header cells compared loosely: ePCN headers hold line breaks and stray spaces. */
export function normaliseHeader(cell: string): string {
  return cell.replace(/\s+/g, " ").trim().toUpperCase();
}

/**
 * Maps required header names to column indexes; throws naming the missing columns so a file with
 * a changed layout fails loudly instead of importing shifted data.
 */
export function indexHeaders<K extends string>(header: string[], wanted: Record<K, string[]>): Record<K, number> {
  const normalised = header.map(normaliseHeader);
  const result = {} as Record<K, number>;
  const missing: string[] = [];
  for (const [key, names] of Object.entries(wanted) as [K, string[]][]) {
    const i = normalised.findIndex((h) => names.some((n) => normaliseHeader(n) === h));
    if (i < 0) missing.push(names[0]);
    result[key] = i;
  }
  if (missing.length) throw new Error(`missing column(s): ${missing.join(", ")}`);
  return result;
}

export interface HeaderedRow<K extends string> {
  line: number;
  /** The wanted columns by key, whatever their position in the file. */
  value: Record<K, string>;
}

/**
 * Reads a CSV with a header row, picking the wanted columns by name. Rows whose column count
 * differs from the header's are rejected here, with their line number.
 */
export function readHeaderedCsv<K extends string>(content: Buffer, wanted: Record<K, string[]>) {
  const { lines, broken } = readCsv(content);
  const rejected: RejectedRow[] = [...broken];
  const [header, ...body] = lines;
  const headerCells = header?.cells ?? [];
  const col = indexHeaders(headerCells, wanted);
  const rows: HeaderedRow<K>[] = [];
  for (const { line, cells } of body) {
    if (cells.length !== headerCells.length) {
      rejected.push({ row: line, message: `expected ${headerCells.length} columns, found ${cells.length}` });
      continue;
    }
    const value = {} as Record<K, string>;
    for (const key of Object.keys(col) as K[]) value[key] = cells[col[key]];
    rows.push({ line, value });
  }
  return { header: headerCells.map(normaliseHeader), rows, rejected };
}

/** Rejected rows in file order (column-count and content errors are found in separate passes). */
export function inFileOrder(rejected: RejectedRow[]): RejectedRow[] {
  return [...rejected].sort((a, b) => a.row - b.row);
}
