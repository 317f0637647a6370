import type { LoaderFunctionArgs } from "@remix-run/node";
import { getJobPage } from "~/modules/jobs/view.server";
import { getDb } from "~/utils/db.server";
import { handle, requirePermission } from "~/utils/permissions.server";

/** A re-check job's progress as JSON, for scripts and the benchmark to poll; scoped as the job's page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requirePermission(request, "org:read");
  const job = await handle(() => getJobPage(getDb(), scope, params.id));
  return Response.json(
    { id: job.id, status: job.status, scope: job.scope, done: job.done, total: job.total, startedAt: job.startedAt, finishedAt: job.finishedAt, result: job.result, error: job.error },
    { headers: { "Cache-Control": "no-store" } },
  );
}
