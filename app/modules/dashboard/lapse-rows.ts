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
export const packLapseRows = (rows: readonly LapseRow[]): PackedLapseRow[] =>
  rows.map((r) => [r.key, r.lapses, r.estimatedPence, r.noEstimate, r.firstDate]);

export const unpackLapseRows = (rows: readonly PackedLapseRow[]): LapseRow[] =>
  rows.map(([key, lapses, estimatedPence, noEstimate, firstDate]) => ({ key, lapses, estimatedPence, noEstimate, firstDate }));
