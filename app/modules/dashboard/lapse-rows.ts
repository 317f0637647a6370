import type { ForecastGroup } from "./forecast";

/** A requirement's line of a forecast horizon as the page shows it (its label and domain come from the catalogue there). */
export type LapseRow = Pick<ForecastGroup, "key" | "lapses" | "estimatedPence" | "noEstimate" | "firstDate">;

export type PackedLapseRow = [key: string, lapses: number, estimatedPence: number, noEstimate: number, firstDate: string | null];

/**
 * The forecast's lines by requirement, one a requirement lapsing within each horizon (some 9 to
 * 12 a horizon, two horizons), as arrays rather than objects: Remix writes loader data into the
 * page as turbo-stream inside a JavaScript string, where each property costs some 13 bytes of
 * reference whatever its value (issue 12, page weight; as risk-rows.ts for the risk table).
 * `unpackLapseRows` gives the page the objects again.
 */
// Loops, not rows.map with closures made per call: V8 drops a per-call closure's optimized code at
// every full collection (docs/performance.md, session 16 and 17, load scaling).
export function packLapseRows(rows: readonly LapseRow[]): PackedLapseRow[] {
  const out: PackedLapseRow[] = [];
  for (const r of rows) out.push([r.key, r.lapses, r.estimatedPence, r.noEstimate, r.firstDate]);
  return out;
}

export function unpackLapseRows(rows: readonly PackedLapseRow[]): LapseRow[] {
  const out: LapseRow[] = [];
  for (const [key, lapses, estimatedPence, noEstimate, firstDate] of rows) out.push({ key, lapses, estimatedPence, noEstimate, firstDate });
  return out;
}
