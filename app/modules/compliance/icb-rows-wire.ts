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

export const packIcbPracticeRows = (rows: readonly IcbPracticeRow[]): PackedIcbPracticeRow[] =>
  practiceWire.pack(rows.map((r) => ({ ...r, counts: r.counts && STATUSES.map((s) => r.counts![s]) })));

export const unpackIcbPracticeRows = (rows: readonly PackedIcbPracticeRow[]): IcbPracticeRow[] =>
  practiceWire
    .unpack(rows)
    .map((r) => ({ ...r, counts: r.counts && (Object.fromEntries(STATUSES.map((s, i) => [s, r.counts![i]])) as Record<Status, number>) }));

type SentHeatRow = Omit<IcbHeatRow, "cells"> & { cells: IcbHeatCell[number][] };
const heatWire = rowsWire<SentHeatRow>()(["pcn", "pcn_name", "practices", "score", "cells"]);
export type PackedIcbHeatRow = PackedFields<SentHeatRow, typeof heatWire.fields>;

export const packIcbHeatRows = (rows: readonly IcbHeatRow[]): PackedIcbHeatRow[] =>
  heatWire.pack(rows.map((r) => ({ ...r, cells: r.cells.flat() })));

export const unpackIcbHeatRows = (rows: readonly PackedIcbHeatRow[]): IcbHeatRow[] =>
  heatWire.unpack(rows).map((r) => ({
    ...r,
    cells: Array.from({ length: r.cells.length / 3 }, (_, i) => r.cells.slice(3 * i, 3 * i + 3) as IcbHeatCell),
  }));
