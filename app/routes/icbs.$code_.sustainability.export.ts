import type { LoaderFunctionArgs } from "@remix-run/node";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { getIcbSustainability, icbExportRows } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

// In-process, not on an export thread: one row per practice of one ICB (at most a few hundred),
// ranked in memory from the same figures the page shows, so it costs what the page costs.
/** `?format=csv|xlsx`: the ICB's practices ranked by kg CO2e per 1,000 patients (missing data left blank, with why). */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const format = await exportFormatFrom(new URL(request.url));
  const today = todayIso();
  const pcn = new URL(request.url).searchParams.get("pcn");
  const data = await getIcbSustainability(getDb(), icb.code, today, pcn);
  const { columns, rows } = icbExportRows(data);
  return tabularResponse(format, `${data.pcn?.code ?? icb.code}-paper-carbon-${today}`, "Paper and carbon", columns, rows);
});
