import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { stringify as csvStringifier } from "csv-stringify";
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

const csvCell = (v: Cell) => (typeof v === "string" ? neutraliseFormula(v) : cellText(v));

/** CSV text with a byte-order mark so Excel reads it as UTF-8 (csv-parse removes it with `bom: true`). */
export function toCsv(columns: readonly string[], rows: readonly Cell[][]): string {
  const cells = rows.map((r) => r.map(csvCell));
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

// ---------------------------------------------------------------- streaming

/**
 * Rows as the database hands them over, a batch at a time (see `batchesAfter`). A streamed
 * export holds one batch in memory whatever the size of the file.
 */
export type RowBatches = AsyncIterable<readonly Cell[][]>;

/**
 * CSV streamed as `toCsv` writes it (byte-order mark, CRLF, formulas neutralised): the next batch
 * is read only when the client has taken the last, so a slow download holds nothing more.
 */
export function csvStream(columns: readonly string[], batches: RowBatches): ReadableStream<Uint8Array> {
  async function* records() {
    yield [...columns];
    for await (const batch of batches) for (const row of batch) yield row.map(csvCell);
  }
  const source = Readable.from(records());
  const csv = csvStringifier({ bom: true, record_delimiter: "\r\n" });
  source.on("error", (e) => csv.destroy(e));
  source.pipe(csv);
  return createReadableStreamFromReadable(csv);
}

export type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * Worksheet XML written but not yet compressed, above which `breathe` waits. exceljs hands each
 * 64 KB of a worksheet's XML to the zip without waiting for it to be taken: when rows are made
 * faster than they are deflated, the XML piled up in front of the zip (up to 117 MB of buffers in
 * the England-wide gap register's export, docs/performance.md, session 13). Waiting only down to
 * this much, about one batch of 2,000 gaps' XML, leaves the deflate work while the next batch is
 * read; the backlog is looked at every ZIP_POLL_MS meanwhile.
 */
const ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;
const ZIP_POLL_MS = 5;

/**
 * The streams the zip reads the open worksheets from, with the bytes each holds. exceljs does not
 * expose them: each worksheet writes into its own buffer stream (`_stream`), which archiver reads
 * through the PassThrough (readable-stream 2, no `writableLength`) it pipes it into (`pipes`).
 * Shapes other than these (another exceljs) give none, and the export then runs as it did
 * without waiting.
 */
export function zipInputs(wb: WorkbookWriter): { input: ZipInput; bytes: number }[] {
  const sheets = (wb as unknown as { _worksheets?: unknown[] })._worksheets;
  if (!Array.isArray(sheets)) return [];
  return sheets.flatMap((ws) => {
    const pipes = (ws as { _stream?: { pipes?: unknown[] } } | undefined)?._stream?.pipes;
    if (!Array.isArray(pipes)) return [];
    return pipes.flatMap((p) => {
      const bytes = (p as { _writableState?: { length?: unknown } })._writableState?.length;
      return typeof bytes === "number" ? [{ input: p as ZipInput, bytes }] : [];
    });
  });
}

type ZipInput = Pick<Writable, "destroyed">;

/** Waits while a worksheet has more than ZIP_BACKLOG_BYTES waiting for the zip, or until the download has ended. */
async function zipCaughtUp(wb: WorkbookWriter, out: PassThrough) {
  while (!out.destroyed && zipInputs(wb).some((z) => z.bytes > ZIP_BACKLOG_BYTES && !z.input.destroyed))
    await new Promise((resolve) => setTimeout(resolve, ZIP_POLL_MS));
}

/**
 * An XLSX workbook written by `fill` with exceljs's streaming writer into the response: each
 * committed row leaves memory. `fill` should `await breathe()` between batches so the zip side
 * catches up with the database side (and waits while the client is slow to read).
 */
export function xlsxStream(
  fill: (wb: WorkbookWriter, breathe: () => Promise<void>) => Promise<void>,
  opts: { useStyles?: boolean } = {},
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: opts.useStyles ?? true });
  wb.creator = "GP digital estate";
  const breathe = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await zipCaughtUp(wb, out);
    if (out.writableNeedDrain && !out.destroyed) await once(out, "drain");
  };
  void (async () => {
    try {
      await fill(wb, breathe);
      await wb.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return createReadableStreamFromReadable(out);
}

/** A single-sheet streamed workbook laid out as `toXlsx` lays it out. */
export function xlsxSheetStream(sheetName: string, columns: readonly string[], batches: RowBatches): ReadableStream<Uint8Array> {
  return xlsxStream(async (wb, breathe) => {
    const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
    columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
    });
    const header = ws.addRow([...columns]);
    header.font = { bold: true };
    header.commit();
    for await (const batch of batches) {
      for (const r of batch) ws.addRow(r.map((v) => (typeof v === "number" ? v : cellText(v)))).commit();
      await breathe();
    }
    ws.commit();
  });
}

/** `sheetsToXlsx`'s workbook (bold header, money columns, bold totals, frozen row) written by the streaming writer. */
export function sheetsXlsxStream(sheets: readonly XlsxSheet[]): ReadableStream<Uint8Array> {
  return xlsxStream(async (wb, breathe) => {
    for (const s of sheets) {
      const ws = wb.addWorksheet(s.name.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
      for (const i of s.money) ws.getColumn(i + 1).numFmt = '"£"#,##0.00';
      s.columns.forEach((c, i) => {
        ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
      });
      const header = ws.addRow([...s.columns]);
      header.font = { bold: true };
      header.commit();
      for (const r of s.rows) {
        const row = ws.addRow(r.map((v) => (v === null || v === undefined ? null : typeof v === "boolean" ? (v ? "yes" : "no") : v)));
        if (r.some((c) => c === "Total")) row.font = { bold: true };
        row.commit();
      }
      ws.commit();
      await breathe();
    }
  });
}

/**
 * `sheetsXlsxStream`'s layout for sheets whose rows arrive in batches (read from the database as
 * the workbook is written): each sheet's batches are taken only when the sheet before is done,
 * so one batch at a time is in memory.
 */
export function batchedSheetsXlsxStream(
  sheets: readonly (Omit<XlsxSheet, "rows"> & { batches: RowBatches })[],
): ReadableStream<Uint8Array> {
  return xlsxStream(async (wb, breathe) => {
    for (const s of sheets) {
      const ws = wb.addWorksheet(s.name.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
      for (const i of s.money) ws.getColumn(i + 1).numFmt = '"£"#,##0.00';
      s.columns.forEach((c, i) => {
        ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
      });
      const header = ws.addRow([...s.columns]);
      header.font = { bold: true };
      header.commit();
      for await (const batch of s.batches) {
        for (const r of batch) {
          const row = ws.addRow(r.map((v) => (v === null || v === undefined ? null : typeof v === "boolean" ? (v ? "yes" : "no") : v)));
          if (r.some((c) => c === "Total")) row.font = { bold: true };
          row.commit();
        }
        await breathe();
      }
      ws.commit();
    }
  });
}

/** Headers of a download: type, attachment file name, never cached. */
export function downloadHeaders(format: TabularFormat, fileName: string): HeadersInit {
  return {
    "Content-Type": TABULAR_FORMATS[format].contentType,
    "Content-Disposition": `attachment; filename="${fileName}"`,
    "Cache-Control": "private, no-store",
  };
}

/** A streamed download: CSV or a one-sheet workbook, from batches read as the client takes them. */
export function streamedTabularResponse(
  format: TabularFormat,
  baseName: string,
  sheetName: string,
  columns: readonly string[],
  batches: RowBatches,
): Response {
  const body = format === "csv" ? csvStream(columns, batches) : xlsxSheetStream(sheetName, columns, batches);
  return new Response(body, {
    status: 200,
    headers: downloadHeaders(format, `${baseName.replace(/[^\w.-]+/g, "-")}.${TABULAR_FORMATS[format].extension}`),
  });
}

/**
 * Keyset batches: `read(after, size)` returns up to `size` rows after the key `after` (null for
 * the first), in key order. Each batch is its own short statement, so a long download holds no
 * transaction or connection, on PostgreSQL and PGlite alike.
 */
export async function* batchesAfter<T, K>(
  read: (after: K | null, size: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  size = 2000,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const rows = await read(after, size);
    if (rows.length) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]);
  }
}

/** Maps each batch of an async sequence (rows to cells, say). */
export async function* mapBatches<T, U>(batches: AsyncIterable<T[]>, f: (row: T) => U): AsyncGenerator<U[]> {
  for await (const batch of batches) yield batch.map(f);
}
