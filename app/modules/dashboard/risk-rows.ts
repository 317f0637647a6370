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

export const unpackRiskRows = (rows: readonly PackedRiskRow[]): PageRiskRow[] =>
  rows.map(([pcn_code, pcn_name, ...figures]) => ({
    pcn_code,
    pcn_name,
    ...(Object.fromEntries(FIGURES.map((k, i) => [k, figures[i]])) as Record<(typeof FIGURES)[number], number>),
  }));
