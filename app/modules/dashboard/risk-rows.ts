import type { PcnRiskRow } from "./estate-risk";

/** A PCN's row of the risk table as the page shows it (without cloud telephony, which it does not). */
export type PageRiskRow = Omit<PcnRiskRow, "telephonyCloud">;

/** The figures of a row in the order they are packed. */
const FIGURES = [
  "practices",
  "devicesInUse",
  "unsupported",
  "esu",
  "osUnknown",
  "practicesUnsupported",
  "telephonyAnalogue",
  "telephonyOnPremises",
  "telephonyNotRecorded",
  "analogueSites",
  "analogueLines",
] as const satisfies readonly (keyof PageRiskRow)[];

/** [pcn_code, pcn_name, ...FIGURES]. */
export type PackedRiskRow = [pcnCode: string | null, pcnName: string, ...figures: number[]];

/**
 * The dashboard's and report pack's risk rows, one a PCN (QOP has 66), as arrays rather than
 * objects: Remix writes loader data into the page as turbo-stream inside a JavaScript string, where
 * each of a row's 13 properties cost some 13 bytes of reference whatever its value, 11 KB of the
 * largest ICB's pages (issue 12, page weight). `unpackRiskRows` gives the page the objects again.
 */
export const packRiskRows = (rows: readonly PcnRiskRow[]): PackedRiskRow[] =>
  rows.map((r) => [r.pcn_code, r.pcn_name, ...FIGURES.map((k) => r[k])]);

// A loop and a module-level function rather than closures made on each call: V8 drops the
// optimized code of closures made per request at every full collection (docs/performance.md,
// session 16, optimized code dropped at every full collection).
export function unpackRiskRows(rows: readonly PackedRiskRow[]): PageRiskRow[] {
  const out: PageRiskRow[] = [];
  for (const row of rows) out.push(unpackRiskRow(row));
  return out;
}

function unpackRiskRow(row: PackedRiskRow): PageRiskRow {
  const r: Record<string, unknown> = { pcn_code: row[0], pcn_name: row[1] };
  for (let i = 0; i < FIGURES.length; i++) r[FIGURES[i]] = row[i + 2];
  return r as PageRiskRow;
}
