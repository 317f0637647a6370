import type { getIcbCompliancePage } from "~/modules/compliance/icb-view.server";

type Page = Awaited<ReturnType<typeof getIcbCompliancePage>>;
type HeatRow = Page["heatmap"][number];

/**
 * A heat-map cell as the page sends it: [practices shown in it, their weighted score, results not
 * known], in the order of the page's `domains` (the map's columns). Three numbers rather than an
 * object naming its domain each: 8 cells for each of up to 66 PCNs were two thirds of the page's
 * data (issue 12).
 */
export type IcbHeatCell = [practices: number, score: number | null, unknown: number];

/** The ICB compliance page's heat-map row: no link (the page draws it, listHref) and compact cells. */
export type IcbHeatRow = Omit<HeatRow, "cells" | "href"> & { cells: IcbHeatCell[] };
/** The ICB compliance page's data as its loader sends it. */
export type IcbPage = Omit<Page, "heatmap"> & { heatmap: IcbHeatRow[] };

/** A service heat-map row as the page sends it. */
export const compactHeatRow = ({ href: _href, cells, ...row }: HeatRow): IcbHeatRow => ({
  ...row,
  cells: cells.map((c): IcbHeatCell => [c.practices, c.score, c.unknown]),
});
