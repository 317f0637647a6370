import type { Db } from "#db/connect";
import { penceToInput } from "~/modules/pricing/money";
import { defineExport, exportBody } from "~/utils/export-thread.server";
import {
  batchesAfter,
  csvStream,
  downloadHeaders,
  mapBatches,
  TABULAR_FORMATS,
  xlsxSheetStream,
  type TabularFormat,
} from "~/utils/tabular-export.server";
import * as repo from "./repository.server";
import { CONTRACT_COLUMNS, type ContractFilters } from "./schema";

/**
 * The contracts register as CSV or XLSX (CONTRACT_COLUMNS, so the file imports again), streamed
 * in batches. An ICB's register can run to thousands of contracts, so on PostgreSQL it is read
 * and encoded in an export thread (utils/export-thread.server.ts) like the gap register; one
 * practice's (a handful of contracts) runs in-process at once. The routes check who may see the
 * holder; the thread receives only the holder and the parsed filters, and every row it reads is
 * the holder's (repository.server.ts holderFilter), whatever the filters say.
 */

type ExportRow = Awaited<ReturnType<typeof repo.exportBatch>>[number];

/** One contract as the export's cells (CONTRACT_COLUMNS): the cost in pounds, so the file imports again. */
export function contractCells(r: ExportRow) {
  return [
    r.holder,
    r.practice_name ?? r.icb_name,
    r.supplier,
    r.category,
    r.service,
    r.framework,
    r.starts_on,
    r.ends_on,
    r.notice_months,
    penceToInput(r.annual_cost_pence),
    r.paid_by,
    r.reference,
    r.ended_on,
  ];
}

/** What the contracts export is made from: plain values the route checked (they cross to a thread). */
export interface ContractExportParams {
  holder: repo.Holder;
  filters: Partial<ContractFilters>;
  format: TabularFormat;
  today: string;
  batchSize?: number;
}

function contractExportBody(db: Db, p: ContractExportParams): ReadableStream<Uint8Array> {
  const batches = mapBatches(
    batchesAfter(
      (after: number | null, size) => repo.exportBatch(db, p.holder, p.filters, p.today, after, size),
      (r) => r.id,
      p.batchSize,
    ),
    contractCells,
  );
  return p.format === "csv" ? csvStream(CONTRACT_COLUMNS, batches) : xlsxSheetStream("Contracts", CONTRACT_COLUMNS, batches);
}

/** The contracts export as an export thread runs it (utils/export-producers.server.ts). */
export const CONTRACT_EXPORT = defineExport("contracts", contractExportBody);

/**
 * The register of `holder` (a practice, or an ICB with its practices) as CSV or XLSX, streamed in
 * batches of `batchSize` (one batch in memory at a time): an ICB's in an export thread on
 * PostgreSQL, a practice's (or an ICB's filtered to one practice) in-process.
 */
export async function contractExportResponse(
  db: Db,
  holder: repo.Holder,
  filters: Partial<ContractFilters>,
  format: TabularFormat,
  today: string,
  opts: { batchSize?: number } = {},
): Promise<Response> {
  const name = "practiceCode" in holder ? holder.practiceCode : holder.icbCode;
  const small = "practiceCode" in holder || filters.practice !== undefined;
  const body = await exportBody(db, CONTRACT_EXPORT, { holder, filters, format, today, batchSize: opts.batchSize }, { small });
  return new Response(body, {
    status: 200,
    headers: downloadHeaders(format, `${name}-contracts-${today}.${TABULAR_FORMATS[format].extension}`.replace(/[^\w.-]+/g, "-")),
  });
}
