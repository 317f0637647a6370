import { DOMAINS, type Domain } from "~/modules/catalogue";
import { GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { PRIORITY_LABELS } from "~/modules/gaps/priority";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import { penceToPounds } from "~/modules/pricing/money";
import { sheetsToXlsx, toCsv, type Cell } from "~/utils/tabular-export.server";
import type { IcbDashboard } from "./service.server";

/**
 * The dashboard as spreadsheets: one sheet per view. Every view whose rows add up ends with a
 * "Total" row equal to the sum of the rows above it (test/integration/dashboard.test.ts reads
 * the file back and checks); the summary and the trend (scores on dates) do not add up, so
 * they carry none. Money in pounds (numbers, formatted £ in the XLSX); a missing estimate is a
 * count of gaps under "no estimate", never £0.
 */
export interface DashboardSheet {
  key: string;
  name: string;
  columns: string[];
  rows: Cell[][];
  /** Column indexes holding pounds. */
  money: number[];
  /** True when the last row is the total of the rows above it. */
  totals: boolean;
}

const pounds = (p: number | null) => (p === null ? null : penceToPounds(p));

export function dashboardSheets(d: IcbDashboard): DashboardSheet[] {
  const h = d.headline;
  const fy = d.pipeline[0];
  // Ex and inc VAT as the register's export (estimate_pounds, estimate_inc_vat_pounds).
  const gapCols = [
    "open_gaps",
    "high_priority",
    "estimated_cost_gbp",
    "estimated_cost_inc_vat_gbp",
    "gaps_no_estimate",
    "priced_part_of_no_estimate_gbp",
  ];
  const gapCells = (r: {
    gaps: number;
    highPriority: number;
    estimatedPence: number;
    vatPence: number;
    noEstimate: number;
    partialPence: number;
  }): Cell[] => [
    r.gaps,
    r.highPriority,
    pounds(r.estimatedPence),
    pounds(r.estimatedPence + r.vatPence),
    r.noEstimate,
    pounds(r.partialPence),
  ];
  const sumRow = (label: Cell[], rows: Cell[][], from: number): Cell[] => {
    const width = rows[0]?.length ?? from;
    const out: Cell[] = [...label];
    for (let i = from; i < width; i++) out.push(rows.reduce((s, r) => s + (typeof r[i] === "number" ? (r[i] as number) : 0), 0));
    return out.map((v) => (typeof v === "number" ? Math.round(v * 100) / 100 : v));
  };
  const withTotal = (rows: Cell[][], labelCells: number): Cell[][] => [
    ...rows,
    sumRow(["Total", ...Array(labelCells - 1).fill(null)], rows, labelCells),
  ];

  const domainRows = d.gaps.byDomain.map((r) => [r.label, ...gapCells(r)]);
  // What falls in each year (ex VAT), annual costs recurring, as the register's "By financial year" sheet.
  const yearRows = d.gaps.byYear.map((r) => [r.label, ...gapCells(r), pounds(r.inYearPence), pounds(r.recurringPence)]);
  // Inc VAT counts a request with no VAT worked out at its ex-VAT amount, as the request list does.
  const pipelineRows = d.pipeline.flatMap((y) =>
    y.stages.map((s): Cell[] => [y.label, s.label, s.requests, pounds(s.pence), pounds(s.vatPence), pounds(s.pence + s.vatPence), s.noVat]),
  );
  const riskRows = d.risk.rows.map((r): Cell[] => [
    r.pcn_code,
    r.pcn_name,
    r.practices,
    r.devicesInUse,
    r.unsupported,
    r.esu,
    r.osUnknown,
    r.practicesUnsupported,
    r.telephonyAnalogue,
    r.telephonyOnPremises,
    r.telephonyNotRecorded,
    r.analogueSites,
    r.analogueLines,
  ]);
  const forecastRows = d.forecast.horizons.flatMap((hz) =>
    hz.byRequirement.map((r): Cell[] => [
      `${hz.months} months (${hz.date})`,
      r.key,
      r.label,
      DOMAINS[r.domain as Domain] ?? r.domain,
      r.firstDate,
      r.lapses,
      pounds(r.estimatedPence),
      r.noEstimate,
    ]),
  );
  const topRows = d.topGaps.map((g, i): Cell[] => [
    i + 1,
    g.id,
    g.practiceCode,
    g.practiceName,
    g.pcnName,
    g.requirementId,
    g.title,
    DOMAINS[g.domain] ?? g.domain,
    PRIORITY_LABELS[g.priority.level],
    g.priority.score,
    RESPONSIBILITY_LABELS[g.funder],
    GAP_STATUS_LABELS[g.status],
    g.deadline,
    financialYearLabel(financialYearOf(g.deadline)),
    pounds(g.estimatePence),
    g.estimatePence === null ? null : pounds(g.estimatePence + (g.vatPence ?? 0)),
    g.estimatePence === null ? null : pounds(g.annualPence),
    g.estimatePence === null ? g.missing.join("; ") : null,
  ]);

  return [
    {
      key: "summary",
      name: "Summary",
      columns: ["measure", "value"],
      rows: [
        ["ICB", `${d.icb.name ?? ""} (${d.icb.code})`],
        ["Date", d.today],
        ["Open practices", h.practices],
        ["Practices with results", h.practicesChecked],
        ["Overall weighted score (%)", h.score],
        ["Open gaps", h.openGaps],
        ["Practices with open gaps", d.gaps.total.practices],
        ["High-priority open gaps", h.highPriority],
        ["Estimated cost of open gaps (GBP)", pounds(h.estimatedPence)],
        ["Estimated cost of open gaps inc VAT (GBP)", pounds(h.estimatedPence + h.vatPence)],
        ...d.gaps.byYear.map((y): Cell[] => [`Falls in ${y.label}, annual costs recurring (GBP)`, pounds(y.inYearPence)]),
        ["Open gaps with no estimate", h.noEstimate],
        ["Priced part of gaps with no estimate (GBP, not in the estimated cost)", pounds(h.partialPence)],
        [`Requested ${fy.label}, not rejected (GBP)`, pounds(h.requestedPence)],
        [`Requested ${fy.label}, not rejected, inc VAT (GBP)`, pounds(h.requestedPence + fy.requestedVat.vatPence)],
        [`Approved, funded or delivered ${fy.label} (GBP)`, pounds(h.committedPence)],
        [`Budget ${fy.label} (GBP)`, pounds(h.budgetPence)],
      ],
      money: [],
      totals: false,
    },
    {
      key: "trend",
      name: "Compliance trend",
      columns: ["date", "score_pct", "practices_with_results", "met", "partly_met", "not_met", "not_known", "not_applicable"],
      rows: d.trend.map((p) => [
        p.date,
        p.score,
        p.practices,
        p.counts.met,
        p.counts.partial,
        p.counts.not_met,
        p.counts.unknown,
        p.counts.not_applicable,
      ]),
      money: [],
      totals: false,
    },
    {
      key: "domain",
      name: "Gaps by domain",
      columns: ["domain", ...gapCols],
      rows: withTotal(domainRows, 1),
      money: [3, 4, 6],
      totals: true,
    },
    {
      key: "year",
      name: "Gaps by deadline year",
      columns: ["financial_year", ...gapCols, "falls_in_year_gbp", "of_which_recurring_gbp"],
      rows: withTotal(yearRows, 1),
      money: [3, 4, 6, 7, 8],
      totals: true,
    },
    {
      key: "top",
      name: "Top 20 gaps",
      columns: [
        "rank",
        "gap_id",
        "practice_code",
        "practice",
        "pcn",
        "requirement_id",
        "requirement",
        "domain",
        "priority",
        "priority_points",
        "who_pays",
        "status",
        "deadline",
        "deadline_financial_year",
        "estimate_gbp",
        "estimate_inc_vat_gbp",
        "annual_gbp",
        "no_estimate_missing",
      ],
      rows: topRows.length
        ? [
            ...topRows,
            [
              "Total",
              ...Array(13).fill(null),
              pounds(d.topGaps.reduce((s, g) => s + (g.estimatePence ?? 0), 0)),
              pounds(d.topGaps.reduce((s, g) => s + (g.estimatePence === null ? 0 : g.estimatePence + (g.vatPence ?? 0)), 0)),
              pounds(d.topGaps.reduce((s, g) => s + (g.estimatePence === null ? 0 : g.annualPence), 0)),
              `${d.topGaps.filter((g) => g.estimatePence === null).length} with no estimate`,
            ],
          ]
        : [],
      money: [14, 15, 16],
      totals: true,
    },
    {
      key: "pipeline",
      name: "Funding pipeline",
      columns: ["financial_year", "stage", "requests", "amount_gbp", "vat_gbp", "amount_inc_vat_gbp", "requests_without_vat_worked_out"],
      rows: withTotal(pipelineRows, 2),
      money: [3, 4, 5],
      totals: true,
    },
    {
      key: "budget",
      name: "Budget",
      columns: ["financial_year", "budget_gbp", "approved_funded_delivered_gbp", "budget_left_gbp", "requested_not_rejected_gbp"],
      rows: d.pipeline.map((y) => [
        y.label,
        pounds(y.budgetPence),
        pounds(y.committedPence),
        pounds(y.remainingPence),
        pounds(y.requested.pence),
      ]),
      money: [1, 2, 3, 4],
      totals: false,
    },
    {
      key: "risk",
      name: "Devices and telephony by PCN",
      columns: [
        "pcn_code",
        "pcn",
        "practices",
        "devices_in_use",
        "unsupported_os",
        "on_paid_esu",
        "os_not_known",
        "practices_with_unsupported",
        "telephony_analogue_or_isdn",
        "telephony_on_premises",
        "telephony_not_recorded",
        "sites_with_analogue_lines",
        "analogue_lines",
      ],
      rows: withTotal(riskRows, 2),
      money: [],
      totals: true,
    },
    {
      key: "forecast",
      name: "Forecast lapses",
      columns: [
        "horizon",
        "requirement_id",
        "requirement",
        "domain",
        "first_lapse",
        "practices_lapsing",
        "estimated_cost_gbp",
        "no_estimate",
      ],
      rows: d.forecast.horizons.flatMap((hz) => {
        const rows = forecastRows.filter((r) => r[0] === `${hz.months} months (${hz.date})`);
        return [
          ...rows,
          sumRow(
            [`${hz.months} months (${hz.date})`, "Total", null, null, null],
            rows.length ? rows : [[null, null, null, null, null, 0, 0, 0]],
            5,
          ),
        ];
      }),
      money: [6],
      totals: true,
    },
  ];
}

/** The workbook: one sheet per view (totals rows in bold). */
export const dashboardXlsx = (sheets: readonly DashboardSheet[]) => sheetsToXlsx(sheets);

/** The CSV: the summary figures, then gaps by domain with its total, in one long table. */
export function dashboardCsv(sheets: readonly DashboardSheet[]): string {
  const summary = sheets.find((s) => s.key === "summary")!;
  const domain = sheets.find((s) => s.key === "domain")!;
  const rows: Cell[][] = [
    ...summary.rows.map((r) => ["Summary", null, r[0], r[1]]),
    ...domain.rows.flatMap((r) => domain.columns.slice(1).map((c, i) => ["Gaps by domain", r[0], c, r[i + 1]])),
  ];
  return toCsv(["view", "item", "measure", "value"], rows);
}
