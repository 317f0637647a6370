import type { LoaderFunctionArgs } from "@remix-run/node";
import { pipelineExport, sheetFromUrl } from "~/modules/funding/export.server";
import { filtersFromUrl } from "~/modules/funding/schema";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { exportFormatFrom } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

/** The funding pipeline in the user's report:export scope, as XLSX (three sheets) or one CSV sheet. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "report:export");
  const url = new URL(request.url);
  const format = await exportFormatFrom(url);
  const sheet = await sheetFromUrl(url);
  return pipelineExport(getDb(), scope, filtersFromUrl(url), format, sheet, todayIso());
});
