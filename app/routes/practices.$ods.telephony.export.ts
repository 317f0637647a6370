import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { exportTelephony } from "~/modules/telephony/service.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";
import { pageLoader } from "~/utils/route.server";

// In-process: one practice's few telephony systems (export threads are for ICB- and England-wide files).
/** `?format=csv|xlsx`: every telephony system of the practice, current first. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormatFrom(new URL(request.url));
  const { columns, rows } = await exportTelephony(getDb(), practice.ods_code);
  const today = todayInEngland();
  return tabularResponse(format, `${practice.ods_code}-telephony-${today}`, "Telephony", columns, rows);
});
