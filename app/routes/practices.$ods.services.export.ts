import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportServices } from "~/modules/digital-services/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";
import { pageLoader } from "~/utils/route.server";

// In-process: one practice, one row per catalogue service (export threads are for ICB- and England-wide files).
/** `?format=csv|xlsx`: every catalogue service for the practice, Not known where nothing is recorded. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormatFrom(new URL(request.url));
  const { columns, rows } = await exportServices(getDb(), practice.ods_code);
  const today = todayInEngland();
  return tabularResponse(format, `${practice.ods_code}-digital-services-${today}`, "Digital services", columns, rows);
});
