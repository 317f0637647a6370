import type { LoaderFunctionArgs } from "@remix-run/node";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { contractFiltersFromUrl } from "~/modules/contracts/schema";
import { contractExportResponse } from "~/modules/contracts/export.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

/**
 * `?format=csv|xlsx&<the register's filters>`: the ICB's contracts, streamed, for those with the ICB in view.
 * The scope check stays here; on PostgreSQL the file is read and encoded in an export thread.
 */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const format = await exportFormatFrom(url);
  return contractExportResponse(getDb(), { icbCode: icb.code }, contractFiltersFromUrl(url), format, todayIso());
});
