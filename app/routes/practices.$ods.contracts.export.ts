import type { LoaderFunctionArgs } from "@remix-run/node";
import { contractExportResponse } from "~/modules/contracts/export.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { exportFormatFrom } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

// One practice's contracts: contractExportResponse runs it in-process (small), not on the export thread.
/** `?format=csv|xlsx`: every contract of the practice, streamed, for anyone who can read the practice. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const format = await exportFormatFrom(new URL(request.url));
  return contractExportResponse(getDb(), { practiceCode: practice.ods_code }, { status: "all" }, format, todayIso());
});
