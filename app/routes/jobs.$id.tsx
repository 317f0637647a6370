import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { formatDateTime, RecheckResult } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber } from "~/components/format";
import { JobStatusTag, jobProgressText, useRefreshWhile } from "~/components/Jobs";
import { getJobPage } from "~/modules/jobs/view.server";
import { getDb } from "~/utils/db.server";
import { handle, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Re-check ${data ? `of ${data.job.scopeLabel}` : ""} – GP digital estate` }];

/** One re-check job: who started it, how far it has gone, and what it found. Scoped like the ICB it covers. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requirePermission(request, "org:read");
  const job = await handle(() => getJobPage(getDb(), scope, params.id));
  return { job, canListAll: scope.all };
}

export default function JobPage() {
  const { job, canListAll } = useLoaderData<typeof loader>();
  const active = job.status === "queued" || job.status === "running";
  useRefreshWhile(active);
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  const back = job.icbCode ? { label: "ICB compliance", to: `/icbs/${job.icbCode}/compliance` } : { label: "Re-checks", to: "/admin/re-checks" };
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }, ...(canListAll ? [{ label: "Re-checks", to: "/admin/re-checks" }] : []), back]} />
      {active ? (
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      ) : null}
      <span className="nhsuk-caption-l">Compliance re-check {job.id}</span>
      <h1>Re-check of {job.scopeLabel}</h1>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Status</dt>
          <dd className="nhsuk-summary-list__value">
            <JobStatusTag status={job.status} />
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Progress</dt>
          <dd className="nhsuk-summary-list__value" role="status" aria-live="polite">
            {jobProgressText(job)}
            {job.total ? (
              <progress className="app-progress" max={job.total} value={job.done} aria-label={`${pct}% done`}>
                {pct}%
              </progress>
            ) : null}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Checked for</dt>
          <dd className="nhsuk-summary-list__value">{formatDate(job.asOf)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Started by</dt>
          <dd className="nhsuk-summary-list__value">{job.startedBy ?? "The system"}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Asked for</dt>
          <dd className="nhsuk-summary-list__value">{formatDateTime(job.createdAt)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Started</dt>
          <dd className="nhsuk-summary-list__value">{job.startedAt ? formatDateTime(job.startedAt) : "Not yet"}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Finished</dt>
          <dd className="nhsuk-summary-list__value">{job.finishedAt ? formatDateTime(job.finishedAt) : "Not yet"}</dd>
        </div>
        {job.attempts > 1 ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Attempts</dt>
            <dd className="nhsuk-summary-list__value">{formatNumber(job.attempts)}</dd>
          </div>
        ) : null}
      </dl>
      {job.status === "failed" ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby="job-failed">
          <h2 className="nhsuk-error-summary__title" id="job-failed">
            This re-check did not finish
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>{job.error}</p>
          </div>
        </div>
      ) : job.error ? (
        <p className="nhsuk-body-s">{job.error}</p>
      ) : null}
      {job.status === "done" && job.result ? <RecheckResult r={job.result} /> : null}
      {job.icbCode ? (
        <p>
          <Link to={`/icbs/${job.icbCode}/compliance`}>Back to the ICB's compliance</Link>
        </p>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
