import type { IcbHeatCell, IcbHeatRow } from "~/components/compliance/types";
import { STATUSES, type Status } from "~/modules/catalogue/rule-types";
import { rowsWire, type PackedFields } from "~/utils/rows-wire";
import type { IcbPracticeRow } from "./icb-view.server";

/*
 * The ICB compliance page's heat map (a row a PCN: 66 for the largest ICB) and page of practices
 * (25) as its loader sends them: arrays rather than objects (utils/rows-wire.ts), and within them
 * a practice's counts as numbers in the order of STATUSES and a PCN's cells as one list of
 * numbers, three a domain. As objects (and each cell an array of its own) they came to 11 KB of
 * the 29 KB of data in QOP's page on the national dataset (issue 12, page weight).
 */

type SentPracticeRow = Omit<IcbPracticeRow, "counts"> & { counts: number[] | null };
const practiceWire = rowsWire<SentPracticeRow>()([
  "ods_code",
  "name",
  "pcn_code",
  "pcn_name",
  "list_size",
  "list_size_date",
  "checked",
  "score",
  "counts",
]);
export type PackedIcbPracticeRow = PackedFields<SentPracticeRow, typeof practiceWire.fields>;

// Loops and module-level functions rather than closures made on each call: V8 drops the
// optimized code of closures made per request at every full collection (docs/performance.md,
// session 16, optimized code dropped at every full collection).
export function packIcbPracticeRows(rows: readonly IcbPracticeRow[]): PackedIcbPracticeRow[] {
  const sent: SentPracticeRow[] = [];
  for (const r of rows) sent.push({ ...r, counts: r.counts && countsList(r.counts) });
  return practiceWire.pack(sent);
}

function countsList(counts: Record<Status, number>): number[] {
  const list: number[] = [];
  for (const s of STATUSES) list.push(counts[s]);
  return list;
}

export function unpackIcbPracticeRows(rows: readonly PackedIcbPracticeRow[]): IcbPracticeRow[] {
  const out: IcbPracticeRow[] = [];
  for (const r of practiceWire.unpack(rows)) out.push({ ...r, counts: r.counts && countsRecord(r.counts) });
  return out;
}

function countsRecord(list: readonly number[]): Record<Status, number> {
  const counts: Partial<Record<Status, number>> = {};
  for (let i = 0; i < STATUSES.length; i++) counts[STATUSES[i]] = list[i];
  return counts as Record<Status, number>;
}

type SentHeatRow = Omit<IcbHeatRow, "cells"> & { cells: IcbHeatCell[number][] };
const heatWire = rowsWire<SentHeatRow>()(["pcn", "pcn_name", "practices", "score", "cells"]);
export type PackedIcbHeatRow = PackedFields<SentHeatRow, typeof heatWire.fields>;

export function packIcbHeatRows(rows: readonly IcbHeatRow[]): PackedIcbHeatRow[] {
  const sent: SentHeatRow[] = [];
  for (const r of rows) sent.push({ ...r, cells: r.cells.flat() });
  return heatWire.pack(sent);
}

export function unpackIcbHeatRows(rows: readonly PackedIcbHeatRow[]): IcbHeatRow[] {
  const out: IcbHeatRow[] = [];
  for (const r of heatWire.unpack(rows)) {
    const cells: IcbHeatCell[] = [];
    for (let i = 0; i < r.cells.length / 3; i++) cells.push(r.cells.slice(3 * i, 3 * i + 3) as IcbHeatCell);
    out.push({ ...r, cells });
  }
  return out;
}
