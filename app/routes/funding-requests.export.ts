import type { LoaderFunctionArgs } from "@remix-run/node";
import { pipelineExport, sheetFromUrl } from "~/modules/funding/export.server";
import { filtersFromUrl } from "~/modules/funding/schema";
import { getDb } from "~/utils/db.server";
import { handle, requirePermission } from "~/modules/auth/permissions.server";
import { exportFormatFrom } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";

/** The funding pipeline in the user's report:export scope, as XLSX (three sheets) or one CSV sheet. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requirePermission(request, "report:export");
  const url = new URL(request.url);
  const format = await handle(async () => exportFormatFrom(url));
  const sheet = await handle(async () => sheetFromUrl(url));
  return pipelineExport(getDb(), scope, filtersFromUrl(url), format, sheet, todayIso());
}
