import type { Db } from "#db/connect";
import type { FundingRequestStatus } from "#db/types";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { penceToPounds } from "~/modules/pricing/money";
import { badRequest } from "~/utils/errors";
import type { Scope } from "~/utils/permissions";
import { csvStream, downloadHeaders, sheetsXlsxStream, type Cell } from "~/utils/tabular-export.server";
import * as repo from "./repository.server";
import type { RequestFilters } from "./schema";
import { COMMITTED_STATUSES, REQUEST_STATUS_KEYS, REQUEST_STATUSES } from "./workflow";

export interface Sheet {
  key: "requests" | "years" | "gaps";
  name: string;
  columns: string[];
  rows: Cell[][];
  /** Column indexes holding pounds (formatted as money in the XLSX). */
  money: number[];
}

const iso = (d: Date | string | null) => (d === null ? null : typeof d === "string" ? d : d.toISOString());
const pounds = (p: number | null) => (p === null ? null : penceToPounds(p));

/**
 * The funding pipeline in the user's scope as three views: requests (with a totals row), totals
 * per ICB, year and status against the budget, and the request ↔ gap lines. Amounts in pounds.
 */
export async function fundingPipelineSheets(db: Db, scope: Scope, filters: RequestFilters): Promise<Sheet[]> {
  const requests = await repo.listAllRequests(db, scope, filters);
  const [lines, totals] = await Promise.all([
    repo.listRequestGapLines(db, requests.map((r) => r.id)),
    repo.yearStatusTotals(db, null, scope, filters),
  ]);
  const icbs = [...new Set([...requests.map((r) => r.icb_code), ...(scope.all ? [] : scope.icbCodes)])];
  const budgets = await repo.budgetsFor(db, scope.all ? icbs : icbs.filter((c) => scope.icbCodes.includes(c)));

  const linesBy = new Map<number, typeof lines>();
  for (const l of lines) linesBy.set(l.request_id, [...(linesBy.get(l.request_id) ?? []), l]);
  const requestRows: Cell[][] = requests.map((r) => {
    const ls = linesBy.get(r.id) ?? [];
    const estimate = ls.some((l) => l.estimate_pence === null) ? null : ls.reduce((s, l) => s + Number(l.estimate_pence), 0);
    return [
      r.id, r.icb_code, r.icb_name, r.title, financialYearLabel(r.financial_year), REQUEST_STATUSES[r.status], pounds(Number(r.amount_pence)), pounds(estimate),
      r.amount_reason, ls.length, r.created_by_name, iso(r.created_at), iso(r.submitted_at), r.decided_by_name, iso(r.decided_at), r.decision_reason,
      r.budget_override_reason, iso(r.funded_at), iso(r.delivered_at),
    ];
  });
  const totalAmount = requests.reduce((s, r) => s + Number(r.amount_pence), 0);
  requestRows.push(["Total", null, null, `${requests.length} request${requests.length === 1 ? "" : "s"}`, null, null, pounds(totalAmount), null, null, lines.length]);

  const keys = new Map<string, { icb: string; year: number; by: Record<FundingRequestStatus, number> }>();
  const keyOf = (icb: string, year: number) => `${icb}|${year}`;
  const slot = (icb: string, year: number) => {
    const k = keyOf(icb, year);
    if (!keys.has(k)) keys.set(k, { icb, year, by: { draft: 0, submitted: 0, approved: 0, rejected: 0, funded: 0, delivered: 0 } });
    return keys.get(k)!;
  };
  for (const t of totals) slot(t.icbCode, t.year).by[t.status] += t.pence;
  for (const b of budgets) if (filters.year === undefined || b.financial_year === filters.year) if (!filters.icb || b.icb_code === filters.icb) slot(b.icb_code, b.financial_year);
  const budgetOf = new Map(budgets.map((b) => [keyOf(b.icb_code, b.financial_year), Number(b.amount_pence)]));
  const sum = { budget: 0, by: { draft: 0, submitted: 0, approved: 0, rejected: 0, funded: 0, delivered: 0 } as Record<FundingRequestStatus, number>, committed: 0 };
  const yearRows: Cell[][] = [...keys.values()]
    .sort((a, b) => a.icb.localeCompare(b.icb) || a.year - b.year)
    .map((k) => {
      const budget = budgetOf.get(keyOf(k.icb, k.year)) ?? null;
      const committed = COMMITTED_STATUSES.reduce((s, st) => s + k.by[st], 0);
      sum.budget += budget ?? 0;
      sum.committed += committed;
      for (const st of REQUEST_STATUS_KEYS) sum.by[st] += k.by[st];
      return [k.icb, financialYearLabel(k.year), pounds(budget), ...REQUEST_STATUS_KEYS.map((st) => pounds(k.by[st])), pounds(committed), budget === null ? null : pounds(budget - committed)];
    });
  yearRows.push(["Total", null, pounds(sum.budget), ...REQUEST_STATUS_KEYS.map((st) => pounds(sum.by[st])), pounds(sum.committed), null]);

  const gapRows: Cell[][] = lines.map((l) => {
    const r = requests.find((x) => x.id === l.request_id)!;
    return [l.request_id, r.title, REQUEST_STATUSES[r.status], l.gap_id, l.practice_code, l.practice_name, l.requirement_id, l.title, l.status, l.closed_on, pounds(l.estimate_pence === null ? null : Number(l.estimate_pence))];
  });

  return [
    {
      key: "requests", name: "Requests",
      columns: ["request_id", "icb_code", "icb_name", "title", "financial_year", "status", "amount_gbp", "estimate_gbp", "amount_reason", "gaps", "created_by", "created_at", "submitted_at", "decided_by", "decided_at", "decision_reason", "budget_override_reason", "funded_at", "delivered_at"],
      rows: requestRows, money: [6, 7],
    },
    {
      key: "years", name: "By year and status",
      columns: ["icb_code", "financial_year", "budget_gbp", ...REQUEST_STATUS_KEYS.map((s) => `${s}_gbp`), "committed_gbp", "remaining_gbp"],
      rows: yearRows, money: [2, 3, 4, 5, 6, 7, 8, 9, 10],
    },
    {
      key: "gaps", name: "Gaps",
      columns: ["request_id", "request_title", "request_status", "gap_id", "practice_code", "practice_name", "requirement_id", "requirement", "gap_status", "gap_closed_on", "estimate_at_request_gbp"],
      rows: gapRows, money: [10],
    },
  ];
}

/** CSV holds one view: `?sheet=requests|years|gaps` (requests by default). */
export function sheetFromUrl(url: URL): Sheet["key"] {
  const s = url.searchParams.get("sheet") ?? "requests";
  if (s === "requests" || s === "years" || s === "gaps") return s;
  throw badRequest("Choose the requests, years or gaps sheet.");
}

/**
 * Streamed through the shared writers like every export. The pipeline is read whole first: it
 * grows with funding requests (hundreds a year per ICB), not with practices or gaps.
 */
export async function pipelineExport(db: Db, scope: Scope, filters: RequestFilters, format: "csv" | "xlsx", sheet: Sheet["key"], today: string): Promise<Response> {
  const sheets = await fundingPipelineSheets(db, scope, filters);
  const base = `funding-pipeline-${today}`;
  if (format === "xlsx") return new Response(sheetsXlsxStream(sheets), { headers: downloadHeaders("xlsx", `${base}.xlsx`) });
  const s = sheets.find((x) => x.key === sheet)!;
  return new Response(csvStream(s.columns, oneBatch(s.rows)), { headers: downloadHeaders("csv", `${base}-${sheet}.csv`) });
}

async function* oneBatch<T>(rows: T[]) {
  yield rows;
}
