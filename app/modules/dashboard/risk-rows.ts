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
// Loops and module-level functions rather than closures made on each call: V8 drops the
// optimized code of closures made per request at every full collection (docs/performance.md,
// session 16, optimized code dropped at every full collection; session 17 for packRiskRows).
export function packRiskRows(rows: readonly PcnRiskRow[]): PackedRiskRow[] {
  const out: PackedRiskRow[] = [];
  for (const r of rows) out.push(packRiskRow(r));
  return out;
}

function packRiskRow(r: PcnRiskRow): PackedRiskRow {
  const row: PackedRiskRow = [r.pcn_code, r.pcn_name];
  for (let i = 0; i < FIGURES.length; i++) row.push(r[FIGURES[i]]);
  return row;
}

export function unpackRiskRows(rows: readonly PackedRiskRow[]): PageRiskRow[] {
  const out: PageRiskRow[] = [];
  for (const row of rows) out.push(unpackRiskRow(row));
  return out;
}

// One object literal (one shape from the start) rather than 11 keyed stores onto a two-property object.
function unpackRiskRow(row: PackedRiskRow): PageRiskRow {
  return {
    pcn_code: row[0],
    pcn_name: row[1],
    practices: row[2],
    devicesInUse: row[3],
    unsupported: row[4],
    esu: row[5],
    osUnknown: row[6],
    practicesUnsupported: row[7],
    telephonyAnalogue: row[8],
    telephonyOnPremises: row[9],
    telephonyNotRecorded: row[10],
    analogueSites: row[11],
    analogueLines: row[12],
  } as PageRiskRow;
}
