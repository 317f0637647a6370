import type { LoaderFunctionArgs } from "@remix-run/node";
import { deviceExportResponse, exportFileName, exportFormat, todayInEngland } from "~/modules/devices/export.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { pageLoader } from "~/utils/route.server";

// One practice's devices: deviceExportResponse runs it in-process (small), not on the export thread.
/** `?format=csv|xlsx`: the practice's devices in the import format (DEVICE_COLUMNS). */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormat(new URL(request.url).searchParams.get("format"));
  return deviceExportResponse(getDb(), {
    filter: { practiceCode: practice.ods_code },
    format,
    fileName: exportFileName(practice.ods_code, format, todayInEngland()),
  });
});
