import type { Db } from "#db/connect";
import type { FundingRequestStatus } from "#db/types";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { penceToPounds } from "~/modules/pricing/money";
import { badRequest } from "~/utils/errors";
import type { Scope } from "~/utils/permissions";
import {
  batchedSheetsXlsxStream,
  batchesAfter,
  csvStream,
  downloadHeaders,
  type Cell,
  type RowBatches,
} from "~/utils/tabular-export.server";
import { defineExport, exportBody } from "~/utils/export-thread.server";
import * as repo from "./repository.server";
import type { RequestFilters } from "./schema";
import { COMMITTED_STATUSES, REQUEST_STATUS_KEYS, REQUEST_STATUSES } from "./workflow";

export interface Sheet {
  key: "requests" | "years" | "gaps";
  name: string;
  columns: string[];
  /** Column indexes holding pounds (formatted as money in the XLSX). */
  money: number[];
}

const iso = (d: Date | string | null) => (d === null ? null : typeof d === "string" ? d : d.toISOString());
const pounds = (p: number | null) => (p === null ? null : penceToPounds(p));

export const PIPELINE_SHEETS: readonly Sheet[] = [
  {
    key: "requests",
    name: "Requests",
    columns: [
      "request_id",
      "icb_code",
      "icb_name",
      "title",
      "financial_year",
      "status",
      "amount_gbp",
      "estimate_gbp",
      "amount_reason",
      "gaps",
      "created_by",
      "created_at",
      "submitted_at",
      "decided_by",
      "decided_at",
      "decision_reason",
      "budget_override_reason",
      "funded_at",
      "delivered_at",
    ],
    money: [6, 7],
  },
  {
    key: "years",
    name: "By year and status",
    columns: ["icb_code", "financial_year", "budget_gbp", ...REQUEST_STATUS_KEYS.map((s) => `${s}_gbp`), "committed_gbp", "remaining_gbp"],
    money: [2, 3, 4, 5, 6, 7, 8, 9, 10],
  },
  {
    key: "gaps",
    name: "Gaps",
    columns: [
      "request_id",
      "request_title",
      "request_status",
      "gap_id",
      "practice_code",
      "practice_name",
      "requirement_id",
      "requirement",
      "gap_status",
      "gap_closed_on",
      "estimate_at_request_gbp",
    ],
    money: [10],
  },
];

/** Requests read per statement, with their gap lines in one more. */
export const PIPELINE_BATCH = 1000;

/**
 * The requests in scope a batch at a time in id order (keyset: each batch its own short
 * statement, no transaction held for the download), each batch with its request ↔ gap lines.
 */
async function* requestBatches(db: Db, scope: Scope, filters: RequestFilters, size: number) {
  for await (const requests of batchesAfter(
    (after: number | null, n) => repo.requestsAfter(db, scope, filters, after, n),
    (r) => r.id,
    size,
  )) {
    yield {
      requests,
      lines: await repo.listRequestGapLines(
        db,
        requests.map((r) => r.id),
      ),
    };
  }
}

/** The requests sheet: one row per request, then the totals row (added up as the rows go by). */
async function* requestRows(db: Db, scope: Scope, filters: RequestFilters, size: number): AsyncGenerator<Cell[][]> {
  let count = 0;
  let totalAmount = 0;
  let lineCount = 0;
  for await (const { requests, lines } of requestBatches(db, scope, filters, size)) {
    const linesBy = new Map<number, typeof lines>();
    for (const l of lines) (linesBy.get(l.request_id) ?? linesBy.set(l.request_id, []).get(l.request_id)!).push(l);
    yield requests.map((r) => {
      const ls = linesBy.get(r.id) ?? [];
      const estimate = ls.some((l) => l.estimate_pence === null) ? null : ls.reduce((s, l) => s + Number(l.estimate_pence), 0);
      return [
        r.id,
        r.icb_code,
        r.icb_name,
        r.title,
        financialYearLabel(r.financial_year),
        REQUEST_STATUSES[r.status],
        pounds(Number(r.amount_pence)),
        pounds(estimate),
        r.amount_reason,
        ls.length,
        r.created_by_name,
        iso(r.created_at),
        iso(r.submitted_at),
        r.decided_by_name,
        iso(r.decided_at),
        r.decision_reason,
        r.budget_override_reason,
        iso(r.funded_at),
        iso(r.delivered_at),
      ];
    });
    count += requests.length;
    totalAmount += requests.reduce((s, r) => s + Number(r.amount_pence), 0);
    lineCount += lines.length;
  }
  yield [["Total", null, null, `${count} request${count === 1 ? "" : "s"}`, null, null, pounds(totalAmount), null, null, lineCount]];
}

/** The request ↔ gap lines sheet, in request then gap order. */
async function* gapRows(db: Db, scope: Scope, filters: RequestFilters, size: number): AsyncGenerator<Cell[][]> {
  for await (const { requests, lines } of requestBatches(db, scope, filters, size)) {
    const byId = new Map(requests.map((r) => [r.id, r]));
    yield lines.map((l) => {
      const r = byId.get(l.request_id)!;
      return [
        l.request_id,
        r.title,
        REQUEST_STATUSES[r.status],
        l.gap_id,
        l.practice_code,
        l.practice_name,
        l.requirement_id,
        l.title,
        l.status,
        l.closed_on,
        pounds(l.estimate_pence === null ? null : Number(l.estimate_pence)),
      ];
    });
  }
}

/**
 * Totals per ICB, year and status against the budget, added up in SQL (a few rows per ICB and
 * year whatever the number of requests), with a totals row.
 */
async function yearRows(db: Db, scope: Scope, filters: RequestFilters): Promise<Cell[][]> {
  const [totals, requestIcbs] = await Promise.all([
    repo.yearStatusTotals(db, null, scope, filters),
    repo.requestIcbCodes(db, scope, filters),
  ]);
  const icbs = [...new Set([...requestIcbs, ...(scope.all ? [] : scope.icbCodes)])];
  const budgets = await repo.budgetsFor(db, scope.all ? icbs : icbs.filter((c) => scope.icbCodes.includes(c)));

  const keys = new Map<string, { icb: string; year: number; by: Record<FundingRequestStatus, number> }>();
  const keyOf = (icb: string, year: number) => `${icb}|${year}`;
  const slot = (icb: string, year: number) => {
    const k = keyOf(icb, year);
    if (!keys.has(k)) keys.set(k, { icb, year, by: { draft: 0, submitted: 0, approved: 0, rejected: 0, funded: 0, delivered: 0 } });
    return keys.get(k)!;
  };
  for (const t of totals) slot(t.icbCode, t.year).by[t.status] += t.pence;
  for (const b of budgets)
    if (filters.year === undefined || b.financial_year === filters.year)
      if (!filters.icb || b.icb_code === filters.icb) slot(b.icb_code, b.financial_year);
  const budgetOf = new Map(budgets.map((b) => [keyOf(b.icb_code, b.financial_year), Number(b.amount_pence)]));
  const sum = {
    budget: 0,
    by: { draft: 0, submitted: 0, approved: 0, rejected: 0, funded: 0, delivered: 0 } as Record<FundingRequestStatus, number>,
    committed: 0,
  };
  const rows: Cell[][] = [...keys.values()]
    .sort((a, b) => a.icb.localeCompare(b.icb) || a.year - b.year)
    .map((k) => {
      const budget = budgetOf.get(keyOf(k.icb, k.year)) ?? null;
      const committed = COMMITTED_STATUSES.reduce((s, st) => s + k.by[st], 0);
      sum.budget += budget ?? 0;
      sum.committed += committed;
      for (const st of REQUEST_STATUS_KEYS) sum.by[st] += k.by[st];
      return [
        k.icb,
        financialYearLabel(k.year),
        pounds(budget),
        ...REQUEST_STATUS_KEYS.map((st) => pounds(k.by[st])),
        pounds(committed),
        budget === null ? null : pounds(budget - committed),
      ];
    });
  rows.push(["Total", null, pounds(sum.budget), ...REQUEST_STATUS_KEYS.map((st) => pounds(sum.by[st])), pounds(sum.committed), null]);
  return rows;
}

/** One view's rows as batches read as the download goes. */
function sheetRows(db: Db, scope: Scope, filters: RequestFilters, key: Sheet["key"], size: number): RowBatches {
  if (key === "requests") return requestRows(db, scope, filters, size);
  if (key === "gaps") return gapRows(db, scope, filters, size);
  return (async function* () {
    yield await yearRows(db, scope, filters);
  })();
}

/** CSV holds one view: `?sheet=requests|years|gaps` (requests by default). */
export function sheetFromUrl(url: URL): Sheet["key"] {
  const s = url.searchParams.get("sheet") ?? "requests";
  if (s === "requests" || s === "years" || s === "gaps") return s;
  throw badRequest("Choose the requests, years or gaps sheet.");
}

/**
 * The funding pipeline in the user's scope as three views: requests (with a totals row), totals
 * per ICB, year and status against the budget, and the request ↔ gap lines; amounts in pounds.
 * Streamed like the gap register's download: requests and their lines are read from the
 * database a batch at a time as the client takes the file (CSV or an XLSX of all three sheets
 * from exceljs's streaming writer), so memory stays the same however many requests there are.
 */
export async function pipelineExport(
  db: Db,
  scope: Scope,
  filters: RequestFilters,
  format: "csv" | "xlsx",
  sheet: Sheet["key"],
  today: string,
  opts: { batchSize?: number } = {},
): Promise<Response> {
  const base = `funding-pipeline-${today}`;
  const body = await exportBody(db, FUNDING_EXPORT, { scope, filters, format, sheet, batchSize: opts.batchSize });
  return new Response(body, { headers: downloadHeaders(format, format === "xlsx" ? `${base}.xlsx` : `${base}-${sheet}.csv`) });
}

/** The pipeline's file from plain values the route checked (they cross to an export thread). */
export const FUNDING_EXPORT = defineExport(
  "funding",
  (db: Db, p: { scope: Scope; filters: RequestFilters; format: "csv" | "xlsx"; sheet: Sheet["key"]; batchSize?: number }) => {
    const size = p.batchSize ?? PIPELINE_BATCH;
    if (p.format === "xlsx")
      return batchedSheetsXlsxStream(PIPELINE_SHEETS.map((s) => ({ ...s, batches: sheetRows(db, p.scope, p.filters, s.key, size) })));
    const s = PIPELINE_SHEETS.find((x) => x.key === p.sheet)!;
    return csvStream(s.columns, sheetRows(db, p.scope, p.filters, p.sheet, size));
  },
);
