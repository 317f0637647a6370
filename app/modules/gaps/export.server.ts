import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";
import ExcelJS from "exceljs";
import type { Db } from "#db/connect";
import { CATEGORIES, DOMAINS } from "~/modules/compliance/catalogue";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { neutraliseFormula, toCsv, TABULAR_FORMATS, type Cell, type TabularFormat } from "~/utils/tabular-export.server";
import type { Scope } from "~/utils/permissions";
import type { CostedGap } from "./costed.server";
import { GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "./labels";
import { PRIORITY_LABELS } from "./priority";
import { describeMissing, groupGaps, type GapGroup, type GroupSummary, type OrgNames, type ParsedGapFilters } from "./register";
import { loadRegisterGaps, loadRegisterOptions } from "./register.server";

/**
 * The gap register as CSV (one row per gap) or XLSX (the gaps with a totals row, and one sheet
 * per grouping, each with a total row equal to the sum of its rows). Costs are in pounds with
 * pence; a gap that cannot be priced has a blank estimate and says what is missing, never 0.
 */

export const GAP_COLUMNS = [
  "gap_id", "requirement_id", "requirement_title", "domain", "category", "responsibility", "practice_ods_code", "practice_name", "pcn_code", "pcn_name",
  "sub_icb_code", "icb_code", "list_size", "status", "reason", "estimate_pounds", "priced_part_pounds", "no_estimate_because", "local_estimate_used",
  "priority", "priority_score", "first_seen", "deadline", "deadline_financial_year", "closed_on",
] as const;

const pounds = (pence: number) => Math.round(pence) / 100;

export function gapCells(g: CostedGap): Cell[] {
  return [
    g.id, g.requirementId, g.title, DOMAINS[g.domain], CATEGORIES[g.category], RESPONSIBILITY_LABELS[g.funder], g.practiceCode, g.practiceName, g.pcnCode, g.pcnName,
    g.subIcbCode, g.icbCode, g.listSize, GAP_STATUS_LABELS[g.status], g.reason,
    g.estimate.pence === null ? null : pounds(g.estimate.pence),
    pounds(g.estimate.knownPence),
    g.estimate.pence === null ? describeMissing(g.estimate.missing) : null,
    g.estimate.usesLocalEstimate,
    PRIORITY_LABELS[g.priority.level], g.priority.score, g.firstSeen, g.deadline, financialYearLabel(g.deadlineYear), g.closedOn,
  ];
}

/** Money in CSV as plain pounds with two decimals ("950.00"), so no spreadsheet rounds it. */
function csvCells(g: CostedGap): Cell[] {
  const cells = gapCells(g);
  const money = [GAP_COLUMNS.indexOf("estimate_pounds"), GAP_COLUMNS.indexOf("priced_part_pounds")];
  for (const i of money) if (typeof cells[i] === "number") cells[i] = (cells[i] as number).toFixed(2);
  return cells;
}

export const EXPORT_VIEWS: { by: GapGroup; sheet: string; heading: string }[] = [
  { by: "icb", sheet: "By ICB", heading: "ICB" },
  { by: "pcn", sheet: "By PCN", heading: "PCN" },
  { by: "practice", sheet: "By practice", heading: "Practice" },
  { by: "domain", sheet: "By domain", heading: "Domain" },
  { by: "funder", sheet: "By responsibility", heading: "Responsibility" },
  { by: "financial_year", sheet: "By financial year", heading: "Financial year of deadline" },
];

const MONEY_FORMAT = "£#,##0.00";
const text = (v: Cell) => (v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : typeof v === "string" ? neutraliseFormula(v) : v);

type Sheet = ExcelJS.Worksheet;
type Book = { addWorksheet(name: string, opts?: Partial<ExcelJS.AddWorksheetOptions>): Sheet };
const commit = (row: ExcelJS.Row) => (row as ExcelJS.Row & { commit?: () => void }).commit?.();

function addGroupSheet(wb: Book, view: (typeof EXPORT_VIEWS)[number], s: GroupSummary) {
  const ws = wb.addWorksheet(view.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.getColumn(1).width = 50;
  for (const c of [3, 4, 5, 6]) ws.getColumn(c).width = 18;
  ws.getColumn(5).numFmt = MONEY_FORMAT;
  const header = ws.addRow([view.heading, "Code", "Gaps", "Patients affected", "Estimated cost (gaps with an estimate)", "Gaps with no estimate"]);
  header.font = { bold: true };
  commit(header);
  for (const r of s.rows) commit(ws.addRow([text(r.label), r.key === "none" ? "" : r.key, r.gaps, r.patients, pounds(r.estimatedPence), r.noEstimate]));
  const total = ws.addRow(["Total", "", s.total.gaps, s.total.patients, pounds(s.total.estimatedPence), s.total.noEstimate]);
  total.font = { bold: true };
  commit(total);
  if (!s.patientsAdditive) {
    commit(ws.addRow([]));
    commit(ws.addRow(["A practice with gaps in more than one group counts its patients in each; the total counts each practice once."]));
  }
  (ws as Sheet & { commit?: () => void }).commit?.();
}

/**
 * Writes the workbook to `out` row by row (the streaming writer keeps no finished rows in
 * memory), so a national register stays within the server's heap.
 */
async function writeWorkbook(out: PassThrough, gaps: readonly CostedGap[], names: OrgNames) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = "GP digital estate";
  const ws = wb.addWorksheet("Gaps", { views: [{ state: "frozen", ySplit: 1 }] });
  GAP_COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
  });
  for (const name of ["estimate_pounds", "priced_part_pounds"] as const) ws.getColumn(GAP_COLUMNS.indexOf(name) + 1).numFmt = MONEY_FORMAT;
  const header = ws.addRow([...GAP_COLUMNS]);
  header.font = { bold: true };
  header.commit();
  for (const g of gaps) ws.addRow(gapCells(g).map(text)).commit();
  const t = groupGaps(gaps, "none").total;
  const totalRow: (string | number)[] = GAP_COLUMNS.map(() => "");
  totalRow[0] = "Total";
  totalRow[GAP_COLUMNS.indexOf("requirement_title")] = `${t.gaps} gaps; ${t.noEstimate} with no estimate`;
  totalRow[GAP_COLUMNS.indexOf("estimate_pounds")] = pounds(t.estimatedPence);
  const total = ws.addRow(totalRow);
  total.font = { bold: true };
  total.commit();
  ws.commit();
  for (const view of EXPORT_VIEWS) addGroupSheet(wb, view, groupGaps(gaps, view.by, names));
  await wb.commit();
}

export function gapWorkbookStream(gaps: readonly CostedGap[], names: OrgNames): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  writeWorkbook(out, gaps, names).catch((e) => out.destroy(e as Error));
  return createReadableStreamFromReadable(out);
}

const scopeLabel = (scope: Scope) => (scope.all ? "all" : [...scope.icbCodes, ...scope.practiceCodes].slice(0, 3).join("-") || "none");

/** The export response for the filters, within `scope` (the user's report:export scope). */
export async function gapExportResponse(db: Db, scope: Scope, parsed: ParsedGapFilters, format: TabularFormat, today: string): Promise<Response> {
  const [gaps, { names }] = await Promise.all([loadRegisterGaps(db, scope, parsed, today), loadRegisterOptions(db, scope, parsed.filters)]);
  const { contentType, extension } = TABULAR_FORMATS[format];
  const body = format === "csv" ? toCsv(GAP_COLUMNS, gaps.map(csvCells)) : gapWorkbookStream(gaps, names);
  const fileName = `gaps-${scopeLabel(scope)}-${today}.${extension}`.replace(/[^\w.-]+/g, "-");
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "private, no-store" },
  });
}
