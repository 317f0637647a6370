import type { LoaderFunctionArgs } from "@remix-run/node";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { dashboardCsv, dashboardSheets, dashboardXlsx } from "~/modules/dashboard/export.server";
import { getIcbDashboard } from "~/modules/dashboard/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { exportFormatFrom, TABULAR_FORMATS } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

// In-process, not on an export thread: built in memory from the dashboard's own figures (a few
// hundred cells, the same work as the page), nothing that grows with the rows of an ICB.
/**
 * `?format=xlsx`: every dashboard view, one sheet each, with totals; `?format=csv` (the
 * default): the summary and gaps by domain. Needs report:export for this ICB (403 without the
 * permission, 404 for an ICB outside the user's scope).
 */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "report:export");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const format = await exportFormatFrom(new URL(request.url));
  const today = todayIso();
  const sheets = dashboardSheets(await getIcbDashboard(getDb(), icb, scope, today));
  const body = format === "xlsx" ? await dashboardXlsx(sheets) : dashboardCsv(sheets);
  const { contentType, extension } = TABULAR_FORMATS[format];
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${icb.code}-dashboard-${today}.${extension}"`,
      "Cache-Control": "private, no-store",
    },
  });
});
