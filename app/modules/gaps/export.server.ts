import ExcelJS from "exceljs";
import type { Db } from "#db/connect";
import { CATEGORIES, DOMAINS } from "~/modules/catalogue";
import { costHorizonLastYear, financialYearLabel } from "~/modules/pricing/financial-year";
import { loadPriceBook, ensureDefaultPrices } from "~/modules/pricing/repository.server";
import {
  csvStream,
  downloadHeaders,
  mapBatches,
  neutraliseFormula,
  TABULAR_FORMATS,
  xlsxStream,
  type Cell,
  type TabularFormat,
  type WorkbookWriter,
} from "~/utils/tabular-export.server";
import type { Scope } from "~/utils/permissions";
import { defineExport, exportBody, fewPractices } from "~/utils/export-thread.server";
import { scopeSeesNothing, toCostedGap, type CostedGap } from "./costed.server";
import { GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "./labels";
import { PRIORITY_LABELS } from "./priority";
import {
  describeElsewhere,
  describeMissing,
  GroupAccumulator,
  type GapFilters,
  type GapGroup,
  type GroupSummary,
  type OrgNames,
  type ParsedGapFilters,
} from "./register";
import { loadRegisterOptions, toGapQuery } from "./register.server";
import { costedGapsQuery, orderedGapIds } from "./repository.server";

/**
 * The gap register as CSV (one row per gap) or XLSX (the gaps with a totals row, and one sheet
 * per grouping, each with a total row equal to the sum of its rows). Costs are in pounds with
 * pence; a gap that cannot be priced has a blank estimate and says what is missing, never 0.
 */

export const GAP_COLUMNS = [
  "gap_id",
  "requirement_id",
  "requirement_title",
  "domain",
  "category",
  "responsibility",
  "practice_ods_code",
  "practice_name",
  "pcn_code",
  "pcn_name",
  "sub_icb_code",
  "icb_code",
  "list_size",
  "status",
  "reason",
  "estimate_pounds",
  "priced_part_pounds",
  "no_estimate_because",
  "local_estimate_used",
  "priority",
  "priority_score",
  "first_seen",
  "deadline",
  "deadline_financial_year",
  "closed_on",
  // The money model (docs/money.md): estimate_pounds is ex VAT; its VAT, the total inc VAT, its
  // capital and revenue parts, the part paid every year, and work costed under other gaps.
  "estimate_vat_pounds",
  "estimate_inc_vat_pounds",
  "capital_pounds",
  "revenue_pounds",
  "annual_pounds",
  "costed_under",
] as const;

/** Columns holding pounds (formatted as money in XLSX, two decimals in CSV). */
const MONEY_COLUMNS = [
  "estimate_pounds",
  "priced_part_pounds",
  "estimate_vat_pounds",
  "estimate_inc_vat_pounds",
  "capital_pounds",
  "revenue_pounds",
  "annual_pounds",
] as const;

const pounds = (pence: number) => Math.round(pence) / 100;

export function gapCells(g: CostedGap): Cell[] {
  return [
    g.id,
    g.requirementId,
    g.title,
    DOMAINS[g.domain],
    CATEGORIES[g.category],
    RESPONSIBILITY_LABELS[g.funder],
    g.practiceCode,
    g.practiceName,
    g.pcnCode,
    g.pcnName,
    g.subIcbCode,
    g.icbCode,
    g.listSize,
    GAP_STATUS_LABELS[g.status],
    g.reason,
    g.estimate.pence === null ? null : pounds(g.estimate.pence),
    pounds(g.estimate.knownPence),
    g.estimate.pence === null ? describeMissing(g.estimate.missing) : null,
    g.estimate.usesLocalEstimate,
    PRIORITY_LABELS[g.priority.level],
    g.priority.score,
    g.firstSeen,
    g.deadline,
    financialYearLabel(g.deadlineYear),
    g.closedOn,
    g.estimate.vatPence === null ? null : pounds(g.estimate.vatPence),
    g.estimate.pence === null || g.estimate.vatPence === null ? null : pounds(g.estimate.pence + g.estimate.vatPence),
    g.estimate.pence === null ? null : pounds(g.estimate.split.capitalPence),
    g.estimate.pence === null ? null : pounds(g.estimate.split.revenuePence),
    g.estimate.pence === null ? null : pounds(g.estimate.split.annualPence),
    g.estimate.elsewhere.length ? describeElsewhere(g.estimate.elsewhere) : null,
  ];
}

/** Money in CSV as plain pounds with two decimals ("950.00"), so no spreadsheet rounds it. */
export function csvCells(g: CostedGap): Cell[] {
  const cells = gapCells(g);
  const money = MONEY_COLUMNS.map((c) => GAP_COLUMNS.indexOf(c));
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
const text = (v: Cell) =>
  v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : typeof v === "string" ? neutraliseFormula(v) : v;

type Sheet = ExcelJS.Worksheet;
type Book = { addWorksheet(name: string, opts?: Partial<ExcelJS.AddWorksheetOptions>): Sheet };
const commit = (row: ExcelJS.Row) => (row as ExcelJS.Row & { commit?: () => void }).commit?.();

function addGroupSheet(wb: Book, view: (typeof EXPORT_VIEWS)[number], s: GroupSummary) {
  const ws = wb.addWorksheet(view.sheet, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.getColumn(1).width = 50;
  for (const c of [3, 4, 5, 6, 7]) ws.getColumn(c).width = 18;
  ws.getColumn(5).numFmt = MONEY_FORMAT;
  ws.getColumn(7).numFmt = MONEY_FORMAT;
  // Inc VAT last, so the columns before it keep their places for anyone reading them by position.
  const header = ws.addRow([
    view.heading,
    "Code",
    "Gaps",
    "Patients affected",
    "Estimated cost, ex VAT (gaps with an estimate)",
    "Gaps with no estimate",
    "Estimated cost, inc VAT",
  ]);
  header.font = { bold: true };
  commit(header);
  for (const r of s.rows)
    commit(
      ws.addRow([
        text(r.label),
        r.key === "none" ? "" : r.key,
        r.gaps,
        r.patients,
        pounds(r.estimatedPence),
        r.noEstimate,
        pounds(r.estimatedPence + r.vatPence),
      ]),
    );
  const total = ws.addRow([
    "Total",
    "",
    s.total.gaps,
    s.total.patients,
    pounds(s.total.estimatedPence),
    s.total.noEstimate,
    pounds(s.total.estimatedPence + s.total.vatPence),
  ]);
  total.font = { bold: true };
  commit(total);
  if (!s.patientsAdditive) {
    commit(ws.addRow([]));
    commit(ws.addRow(["A practice with gaps in more than one group counts its patients in each; the total counts each practice once."]));
  }
  if (s.costByYear?.length) {
    // What falls in each year: one-off costs in the deadline's year, annual ones in it and each later year to the horizon.
    commit(ws.addRow([]));
    const head = ws.addRow([
      "Costs falling in each financial year, annual costs recurring (ex VAT)",
      "",
      "",
      "One-off",
      "Annual",
      "Of which recurring from earlier years",
      "Falls in the year",
    ]);
    head.font = { bold: true };
    commit(head);
    for (const y of s.costByYear) {
      const row = ws.addRow([y.label, "", "", pounds(y.oneOffPence), pounds(y.annualPence), pounds(y.recurringPence), pounds(y.pence)]);
      for (const c of [4, 6]) row.getCell(c).numFmt = MONEY_FORMAT;
      commit(row);
    }
  }
  (ws as Sheet & { commit?: () => void }).commit?.();
}

/**
 * Writes the workbook row by row as the batches arrive (the streaming writer keeps no finished
 * rows in memory). The totals and the group sheets are added up from the very rows written, so
 * each total equals the sum of the rows in the file.
 */
async function writeWorkbook(
  wb: WorkbookWriter,
  breathe: () => Promise<void>,
  batches: AsyncIterable<CostedGap[]>,
  names: OrgNames,
  lastYear: number,
) {
  const ws = wb.addWorksheet("Gaps", { views: [{ state: "frozen", ySplit: 1 }] });
  GAP_COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.min(40, Math.max(10, c.length + 2));
  });
  for (const name of MONEY_COLUMNS) ws.getColumn(GAP_COLUMNS.indexOf(name) + 1).numFmt = MONEY_FORMAT;
  const header = ws.addRow([...GAP_COLUMNS]);
  header.font = { bold: true };
  header.commit();
  const all = new GroupAccumulator("none");
  let vatPence = 0;
  const views = EXPORT_VIEWS.map((view) => ({ view, acc: new GroupAccumulator(view.by, names, lastYear) }));
  for await (const batch of batches) {
    for (const g of batch) {
      ws.addRow(gapCells(g).map(text)).commit();
      all.add(g);
      vatPence += g.estimate.vatPence ?? 0;
      for (const v of views) v.acc.add(g);
    }
    await breathe();
  }
  const t = all.summary().total;
  const totalRow: (string | number)[] = GAP_COLUMNS.map(() => "");
  totalRow[0] = "Total";
  totalRow[GAP_COLUMNS.indexOf("requirement_title")] = `${t.gaps} gaps; ${t.noEstimate} with no estimate`;
  totalRow[GAP_COLUMNS.indexOf("estimate_pounds")] = pounds(t.estimatedPence);
  totalRow[GAP_COLUMNS.indexOf("estimate_vat_pounds")] = pounds(vatPence);
  totalRow[GAP_COLUMNS.indexOf("estimate_inc_vat_pounds")] = pounds(t.estimatedPence + vatPence);
  const total = ws.addRow(totalRow);
  total.font = { bold: true };
  total.commit();
  ws.commit();
  for (const { view, acc } of views) addGroupSheet(wb, view, acc.summary());
}

const scopeLabel = (scope: Scope) => (scope.all ? "all" : [...scope.icbCodes, ...scope.practiceCodes].slice(0, 3).join("-") || "none");

/** Gaps read from the database per batch of ids. */
export const EXPORT_BATCH = 2000;

/**
 * The register's gaps for the filters in its order, a batch at a time: the order is fixed once
 * (the ids, 4 bytes a gap), then each batch of 2,000 is read and costed on its own, so memory
 * stays flat whatever the scope and no transaction is held for the download. A gap that leaves
 * the filters meanwhile (closed, say) is left out.
 */
export async function* registerBatches(
  db: Db,
  scope: Scope,
  filters: GapFilters,
  today: string,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<CostedGap[]> {
  if (scopeSeesNothing(scope)) return;
  await ensureDefaultPrices(db);
  const query = toGapQuery(scope, filters);
  const ids = await orderedGapIds(db, query, filters.sort, today);
  if (ids.length === 0) return;
  const book = await loadPriceBook(db, "all", { defaultsEnsured: true });
  for (let i = 0; i < ids.length; i += batchSize) {
    const slice = Array.from(ids.subarray(i, i + batchSize));
    const rows = await costedGapsQuery(db, { ...query, ids: slice }).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    yield slice.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toCostedGap(r, book, today)] : [];
    });
  }
}

/** What the gap register's export is made from: plain values the route checked (they cross to a thread). */
export interface GapExportParams {
  scope: Scope;
  filters: GapFilters;
  format: TabularFormat;
  today: string;
  batchSize?: number;
}

/** The file itself, CSV or XLSX, streamed from batches read as the client takes it. */
async function gapExportBody(db: Db, p: GapExportParams): Promise<ReadableStream<Uint8Array>> {
  const batches = registerBatches(db, p.scope, p.filters, p.today, p.batchSize);
  if (p.format === "csv") return csvStream(GAP_COLUMNS, mapBatches(batches, csvCells));
  const { names } = await loadRegisterOptions(db, p.scope, p.filters);
  return xlsxStream((wb, breathe) => writeWorkbook(wb, breathe, batches, names, costHorizonLastYear(p.today)));
}

/** The gap register's export as an export thread runs it (utils/export-thread.server.ts). */
export const GAP_EXPORT = defineExport("gaps", gapExportBody);

/**
 * The export response for the filters, within `scope` (the user's report:export scope), streamed:
 * on PostgreSQL read and encoded in an export thread, off the pages' event loop.
 */
export async function gapExportResponse(
  db: Db,
  scope: Scope,
  parsed: ParsedGapFilters,
  format: TabularFormat,
  today: string,
  opts: { batchSize?: number } = {},
): Promise<Response> {
  const fileName = `gaps-${scopeLabel(scope)}-${today}.${TABULAR_FORMATS[format].extension}`.replace(/[^\w.-]+/g, "-");
  const small = fewPractices(scope) || parsed.filters.practice !== undefined;
  const params = { scope, filters: parsed.filters, format, today, batchSize: opts.batchSize };
  const body = await exportBody(db, GAP_EXPORT, params, { small });
  return new Response(body, { status: 200, headers: downloadHeaders(format, fileName) });
}
