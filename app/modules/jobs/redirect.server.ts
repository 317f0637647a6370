import { redirect } from "@remix-run/node";
import { redirectWithNotice } from "~/modules/auth/flash.server";
import type { StartImport } from "./import.server";

/**
 * After asking for an import: its job's page, or, when the same file was already being imported
 * (a double click, another tab), that job's page with a notice saying so.
 */
export function redirectToImportJob(request: Request, started: StartImport) {
  if (started.queued) return redirect(`/jobs/${started.jobId}`);
  return redirectWithNotice(request, `/jobs/${started.existing.jobId}`, "job-already", {});
}
