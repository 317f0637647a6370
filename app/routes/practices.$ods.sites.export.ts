import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { exportSites } from "~/modules/sites/service.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";
import { pageLoader } from "~/utils/route.server";

// In-process: one practice's few sites (export threads are for ICB- and England-wide files).
/** `?format=csv|xlsx`: every site of the practice with its connectivity and premises facts. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormatFrom(new URL(request.url));
  const { columns, rows } = await exportSites(getDb(), practice.ods_code);
  const today = todayInEngland();
  return tabularResponse(format, `${practice.ods_code}-sites-${today}`, "Sites", columns, rows);
});
