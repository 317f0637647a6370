import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { exportTelephony } from "~/modules/telephony/service.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { getDb } from "~/utils/db.server";
import { handle } from "~/modules/auth/permissions.server";
import { exportFormatFrom, tabularResponse } from "~/utils/tabular-export.server";

/** `?format=csv|xlsx`: every telephony system of the practice, current first. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await handle(async () => exportFormatFrom(new URL(request.url)));
  const { columns, rows } = await exportTelephony(getDb(), practice.ods_code);
  const today = todayInEngland();
  return tabularResponse(format, `${practice.ods_code}-telephony-${today}`, "Telephony", columns, rows);
}
