import type { LoaderFunctionArgs } from "@remix-run/node";
import { gapExportResponse } from "~/modules/gaps/export.server";
import { parseGapFilters } from "~/modules/gaps/register";
import { getDb } from "~/utils/db.server";
import { badRequest } from "~/utils/errors";
import { requirePermission } from "~/modules/auth/permissions.server";
import { exportFormatFrom } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

/**
 * `/gaps/export?format=csv|xlsx&<the register's filters>`: needs report:export, and holds only
 * the gaps in the ICBs and practices where the user holds it, whatever the filters say.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "report:export");
  const url = new URL(request.url);
  const format = exportFormatFrom(url);
  const parsed = parseGapFilters(url.searchParams);
  const firstError = Object.values(parsed.errors)[0];
  if (firstError) throw badRequest(firstError);
  return gapExportResponse(getDb(), scope, parsed, format, todayIso());
});
