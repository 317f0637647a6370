import { z } from "zod";
import { cycleDeadline, OUTCOME_LABELS, type DsptOutcome } from "~/modules/catalogue/dspt-status";

/**
 * Reading a DSPT organisation status file in the bulk snapshot layout NHSX read
 * (reference: /work/wt/shared/reference/feeds.md section 2; nhsx/au-azure-databricks
 * functions/dbrks_helper_functions.py, nhsx/open-cyber "DSPT Snapshots"):
 *
 *   Code, Organisation Name, Status, Date Of Publication (dd/mm/yyyy), Primary Sector
 *
 * Headers are matched by substring, case-insensitively, and Code is upper-cased, as NHSX did.
 * Whether a current bulk download exists is UNCONFIRMED (feeds.md): the layout is the one
 * documented by the snapshots.
 */

// The outcomes and the cycle deadline are the catalogue's (SEC-01 judges them); re-exported for the import.
export { cycleDeadline, OUTCOME_LABELS, type DsptOutcome };

/** The columns and the substring (lower case) each header is found by, in the order tried. */
export const COLUMNS = {
  code: ["code"],
  name: ["organisation name", "name"],
  status: ["status"],
  published: ["date of publication", "publication"],
  sector: ["primary sector", "sector"],
} as const;
export type ColumnKey = keyof typeof COLUMNS;

export type ColumnMap = Partial<Record<ColumnKey, number>>;

/**
 * Finds each column by a substring of its header. "Code" must not also take "Postcode" or an
 * "Organisation Code Type": an exact "code" header wins over one that merely contains it.
 */
export function mapHeaders(headers: string[]): { map: ColumnMap; missing: ColumnKey[] } {
  const lower = headers.map((h) => h.trim().toLowerCase());
  const map: ColumnMap = {};
  const taken = new Set<number>();
  for (const key of Object.keys(COLUMNS) as ColumnKey[]) {
    for (const needle of COLUMNS[key]) {
      let i = lower.findIndex((h, j) => !taken.has(j) && h === needle);
      if (i < 0) i = lower.findIndex((h, j) => !taken.has(j) && h.includes(needle) && !(key === "code" && h.includes("post")));
      if (i >= 0) {
        map[key] = i;
        taken.add(i);
        break;
      }
    }
  }
  const required: ColumnKey[] = ["code", "status", "published"];
  return { map, missing: required.filter((k) => map[k] === undefined) };
}

/** The status text: a cycle prefix ("22/23" or "2025-26"), then the outcome. The regex is NHSX's. */
export const STATUS_PATTERN = /^(\d{2}\/\d{2}|\d{4}-\d{2}) (.+)$/;

const OUTCOME_WORDS: [RegExp, DsptOutcome][] = [
  [/^standards met$/i, "met"],
  [/^standards exceeded$/i, "exceeded"],
  [/^approaching standards$/i, "approaching"],
  // Seen only as an NHSX label; its raw form in the published data is UNCONFIRMED (feeds.md).
  [/^standards not met$/i, "not_met"],
  [/^not published$/i, "not_published"],
];

export interface ParsedStatus {
  cycle: string | null;
  status: string;
  outcome: DsptOutcome;
}

/**
 * "22/23 Standards Met" → cycle "22/23", status "Standards Met". "Not Published" has no cycle
 * (its date is the last assessment's). Whether 2024-25 onwards are prefixed "24/25" or
 * "2024-25" is UNCONFIRMED (feeds.md): both forms of the regex are accepted and kept as given.
 */
export function parseStatus(raw: string): ParsedStatus | null {
  const text = raw.replace(/\s+/g, " ").trim();
  const m = STATUS_PATTERN.exec(text);
  const cycle = m ? m[1] : null;
  const rest = m ? m[2].trim() : text;
  const hit = OUTCOME_WORDS.find(([re]) => re.test(rest));
  if (!hit) return null;
  // A prefixed "Not Published" or an unprefixed "Standards Met" cannot be placed in a cycle.
  if ((hit[1] === "not_published") !== (cycle === null)) return null;
  return { cycle, status: OUTCOME_LABELS[hit[1]], outcome: hit[1] };
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function isoIfValid(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * The publication date: dd/mm/yyyy as the snapshots give it (d/m/yyyy too), YYYY-MM-DD (how
 * the spreadsheet reader gives an Excel date cell), or "02 May 2023" as the toolkit's pages
 * show it. Day first always: this is UK data.
 */
export function parseDsptDate(raw: string): string | null {
  const t = raw.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) return isoIfValid(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(t);
  if (m) return isoIfValid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2}) ([A-Za-z]{3,9}) (\d{4})$/.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1;
    if (month > 0) return isoIfValid(Number(m[3]), month, Number(m[1]));
  }
  return null;
}

/** ODS organisation codes: letters and digits, 3 to 10 of them (GP practices are 6: A12345). */
const odsCode = z.string().regex(/^[A-Z0-9]{3,10}$/, "Enter an ODS code of letters and digits, like A81001");

export interface DsptRow {
  row: number;
  practiceCode: string;
  name: string | null;
  cycle: string | null;
  status: string;
  outcome: DsptOutcome;
  publishedOn: string | null;
  sector: string | null;
}

export interface RowIssue {
  row: number;
  column: string;
  message: string;
}

/** Primary Sector values other than GP (NHS Trust, Social Care…) are not practices: counted and skipped. */
export const isGpSector = (sector: string | null) => sector === null || sector === "" || /^gp\b|general practice/i.test(sector.trim());

/**
 * Checks every row: a valid ODS code, a status the toolkit publishes, a valid date. The date
 * may be blank only for "Not Published" (its date is the last assessment's, and a practice that
 * never published has none).
 */
export function validateRows(table: { headers: string[]; rows: { row: number; cells: string[] }[] }): {
  rows: DsptRow[];
  issues: RowIssue[];
  missing: ColumnKey[];
} {
  const { map, missing } = mapHeaders(table.headers);
  if (missing.length) return { rows: [], issues: [], missing };
  const cell = (cells: string[], key: ColumnKey) => (map[key] === undefined ? "" : (cells[map[key]!] ?? "").trim());
  const rows: DsptRow[] = [];
  const issues: RowIssue[] = [];
  for (const { row, cells } of table.rows) {
    const rowIssues: RowIssue[] = [];
    const code = odsCode.safeParse(cell(cells, "code").toUpperCase().replace(/\s+/g, ""));
    if (!code.success)
      rowIssues.push({
        row,
        column: "Code",
        message: cell(cells, "code") ? code.error.issues[0].message : "Enter the organisation's ODS code",
      });
    const rawStatus = cell(cells, "status");
    const status = parseStatus(rawStatus);
    if (!status) {
      rowIssues.push({
        row,
        column: "Status",
        message: rawStatus
          ? `"${rawStatus.slice(0, 60)}" is not a DSPT status: expected a cycle and an outcome such as "22/23 Standards Met", "2025-26 Approaching Standards", or "Not Published"`
          : "Enter the DSPT status",
      });
    }
    const rawDate = cell(cells, "published");
    const publishedOn = rawDate ? parseDsptDate(rawDate) : null;
    if (rawDate && !publishedOn)
      rowIssues.push({
        row,
        column: "Date Of Publication",
        message: `"${rawDate.slice(0, 30)}" is not a date: use dd/mm/yyyy, like 02/05/2023`,
      });
    else if (!rawDate && status && status.outcome !== "not_published")
      rowIssues.push({ row, column: "Date Of Publication", message: "Enter the date the status was published, as dd/mm/yyyy" });
    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    rows.push({
      row,
      practiceCode: code.data!,
      name: cell(cells, "name") || null,
      cycle: status!.cycle,
      status: status!.status,
      outcome: status!.outcome,
      publishedOn,
      sector: map.sector === undefined ? null : cell(cells, "sector"),
    });
  }
  return { rows, issues, missing };
}
