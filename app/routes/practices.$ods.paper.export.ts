import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getPaperPage, practiceExportRows } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

// In-process: one practice's recorded periods, a few dozen rows (export threads are for ICB- and England-wide files).
/** `?format=csv|xlsx`: each recorded period's paper and post (the import's columns), its carbon by part and the factor versions used. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormatFrom(new URL(request.url));
  const today = todayIso();
  const page = await getPaperPage(getDb(), practice, today);
  const { columns, rows } = practiceExportRows(page.activity, page.versions);
  return tabularResponse(format, `${practice.ods_code}-paper-carbon-${today}`, "Paper and carbon", columns, rows);
});
