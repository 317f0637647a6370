import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate } from "~/utils/format";
import { ActiveJobNotice, AlreadyRunning, JobStatusTag, jobProgressText, StartRecheckForm, useRefreshWhile } from "~/components/Jobs";
import { startRecheck } from "~/modules/jobs/recheck.server";
import { activeRecheck, listRechecks } from "~/modules/jobs/view.server";
import { getDb } from "~/utils/db.server";
import { badRequest } from "~/utils/errors";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Compliance re-checks – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  // Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
  const { scope } = await requirePermission(request, "user:manage");
  const [national, jobs] = await Promise.all([activeRecheck(getDb(), { all: true }), listRechecks(getDb(), scope)]);
  return { national, jobs };
});

/** Queues a re-check of every practice in England, then shows its page. */
export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "user:manage");
  const form = await request.formData();
  if (form.get("intent") !== "recheck") throw badRequest("Unknown action");
  const r = await startRecheck(getDb(), user, { all: true }, todayIso());
  if (r.queued) return redirect(`/jobs/${r.jobId}`);
  return { ok: false as const, existing: r.existing };
});

export default function Rechecks() {
  const { national, jobs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  useRefreshWhile(
    jobs.some((j) => j.status === "queued" || j.status === "running"),
    5000,
  );
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Compliance re-checks</h1>
      <p>
        A re-check runs every automatic requirement against each practice's registers for today and stores what changed. ICB digital leads
        start one for their ICB from its compliance page; a re-check of England runs here. Each runs in the background, one at a time per
        ICB or for England.
      </p>
      {actionData && !actionData.ok && actionData.existing ? (
        <AlreadyRunning what="every practice in England" existing={actionData.existing} />
      ) : null}
      {national ? (
        <ActiveJobNotice what="every practice in England" job={national} />
      ) : (
        <StartRecheckForm label="Re-check every practice in England" />
      )}
      <h2>Recent re-checks</h2>
      {jobs.length === 0 ? (
        <p>No re-check has been run from the pages yet.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion(`The last ${jobs.length} re-checks, newest first`)}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">The last {jobs.length} re-checks, newest first</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Started by</th>
                <th scope="col">Asked for</th>
                <th scope="col">For</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {jobs.map((j) => (
                <tr key={j.id}>
                  <td>
                    <Link to={`/jobs/${j.id}`}>{j.scopeLabel}</Link>
                  </td>
                  <td>
                    <JobStatusTag status={j.status} />
                  </td>
                  <td>{jobProgressText(j)}</td>
                  <td>{j.startedBy ?? "The system"}</td>
                  <td>{formatDateTime(j.createdAt)}</td>
                  <td>{formatDate(j.asOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
