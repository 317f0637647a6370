import type { Db } from "#db/connect";
import { DEVICE_COLUMNS } from "~/modules/devices/schema";
import { deviceToText } from "~/modules/devices/import/values";
import { badRequest } from "~/utils/errors";
import type { Scope } from "~/utils/permissions";
import { csvStream, mapBatches, xlsxStream } from "~/utils/tabular-export.server";
import { defineExport, exportBody, fewPractices } from "~/utils/export-thread.server";
import { exportDevicePage } from "./repository.server";

/**
 * Device exports in the import format: DEVICE_COLUMNS as headers, ISO dates, yes/no/blank,
 * keys for choices. Exporting, editing and importing the file again therefore round-trips.
 * Rows are read in keyset pages and streamed through the shared writers (neutraliseFormula on
 * text, byte-order mark), so a national export never sits in memory whole.
 */

export type ExportFormat = "csv" | "xlsx";
export type ExportFilter = { practiceCode: string } | { scope: Scope };

const PAGE = 5000;
const NUMERIC = new Set(["cpu_generation", "ram_gb"]);

/** `?format=csv|xlsx`, CSV when absent; anything else is a 400. */
export function exportFormat(v: string | null): ExportFormat {
  const f = (v ?? "csv").toLowerCase();
  if (f === "csv" || f === "xlsx") return f;
  throw badRequest("Choose CSV or XLSX for the export format.");
}

const londonDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });
/** Today in England, `YYYY-MM-DD`, for file names. */
export const todayInEngland = (now = new Date()) => londonDate.format(now);

export function exportFileName(label: string, format: ExportFormat, asOf: string) {
  return `devices-${label.replace(/[^A-Za-z0-9-]+/g, "-")}-${asOf}.${format}`;
}

/** Short label for a scope in a file name: `all`, `QMF`, `QMF-F84013`… */
export function scopeLabel(scope: Scope): string {
  if (scope.all) return "all";
  const parts = [...scope.icbCodes, ...scope.practiceCodes];
  return parts.length <= 3 ? parts.join("-") : `${parts.slice(0, 3).join("-")}-and-more`;
}

type Row = Record<string, unknown> & { id: number; practice_code: string };

async function* devicePages(db: Db, filter: ExportFilter): AsyncGenerator<Row[]> {
  let after: { practice_code: string; id: number } | null = null;
  for (;;) {
    const rows = (await exportDevicePage(db, filter, after, PAGE)) as Row[];
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { practice_code: last.practice_code, id: last.id };
  }
}

function toCells(d: Row): string[] {
  const text = deviceToText(d as never);
  return DEVICE_COLUMNS.map((c) => (c === "practice_ods_code" ? d.practice_code : (text[c] ?? "")));
}

function toXlsxCells(d: Row): (string | number)[] {
  const cells: (string | number)[] = toCells(d);
  DEVICE_COLUMNS.forEach((c, i) => {
    if (NUMERIC.has(c) && cells[i] !== "") cells[i] = Number(cells[i]);
  });
  return cells;
}

/** The shared streaming writers (utils/tabular-export.server.ts), fed one keyset page at a time. */
const csvBody = (db: Db, filter: ExportFilter) => csvStream(DEVICE_COLUMNS, mapBatches(devicePages(db, filter), toCells));

function xlsxBody(db: Db, filter: ExportFilter): ReadableStream<Uint8Array> {
  return xlsxStream(
    async (workbook, breathe) => {
      const sheet = workbook.addWorksheet("Devices");
      sheet.addRow([...DEVICE_COLUMNS]).commit();
      for await (const page of devicePages(db, filter)) {
        for (const d of page) sheet.addRow(toXlsxCells(d)).commit();
        await breathe();
      }
      sheet.commit();
    },
    { useStyles: false },
  );
}

/** The file, CSV or XLSX, for the filter the route checked (plain values: they cross to a thread). */
export const DEVICE_EXPORT = defineExport("devices", (db: Db, p: { filter: ExportFilter; format: ExportFormat }) =>
  p.format === "xlsx" ? xlsxBody(db, p.filter) : csvBody(db, p.filter),
);

/** The download, streamed: on PostgreSQL read and encoded in an export thread, off the pages' event loop. */
export async function deviceExportResponse(
  db: Db,
  opts: { filter: ExportFilter; format: ExportFormat; fileName: string },
): Promise<Response> {
  const small = "practiceCode" in opts.filter || fewPractices(opts.filter.scope);
  const body = await exportBody(db, DEVICE_EXPORT, { filter: opts.filter, format: opts.format }, { small });
  return new Response(body, {
    headers: {
      "Content-Type":
        opts.format === "xlsx" ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${opts.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
