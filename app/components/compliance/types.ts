import type { getIcbCompliancePage } from "~/modules/compliance/icb-view.server";

/** The ICB compliance page's data as its loader sends it (heat-map cells without their counts or links). */
type Page = Awaited<ReturnType<typeof getIcbCompliancePage>>;
type HeatRow = Page["heatmap"][number];
export type IcbHeatRow = Omit<HeatRow, "cells"> & { cells: Omit<HeatRow["cells"][number], "counts" | "href">[] };
export type IcbPage = Omit<Page, "heatmap"> & { heatmap: IcbHeatRow[] };
