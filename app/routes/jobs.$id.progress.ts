import type { LoaderFunctionArgs } from "@remix-run/node";
import { getJobPage } from "~/modules/jobs/view.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

/** A job's progress as JSON (a re-check's or an import's), for scripts and the benchmark to poll; scoped as the job's page. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const job = await getJobPage(getDb(), user, scope, params.id);
  return Response.json(
    {
      id: job.id,
      kind: job.kind,
      status: job.status,
      scope: job.scope,
      phase: job.phase,
      done: job.done,
      total: job.total,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      result: job.import ? job.import.result : job.result,
      error: job.error,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});
