import type { LoaderFunctionArgs } from "@remix-run/node";
import { deviceExportResponse, exportFileName, exportFormat, scopeLabel, todayInEngland } from "~/modules/devices/export.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

/** `?format=csv|xlsx`: every device at every practice the user may see, in the import format. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const format = await exportFormat(new URL(request.url).searchParams.get("format"));
  return deviceExportResponse(getDb(), {
    filter: { scope },
    format,
    fileName: exportFileName(scopeLabel(scope), format, todayInEngland()),
  });
});
