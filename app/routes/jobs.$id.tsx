import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { formatDateTime, RecheckResult } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber } from "~/utils/format";
import { importBackLink, ImportJobResult, importProgressText, type ImportJobLike } from "~/components/ImportJob";
import { JobStatusTag, jobProgressText, useRefreshWhile } from "~/components/Jobs";
import { getRun } from "~/modules/devices/import/service.server";
import { getJobPage } from "~/modules/jobs/view.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";
import { takeNotice } from "~/modules/auth/flash.server";
import { useKeptNotice } from "~/components/useKeptNotice";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.job.kind === "import" ? `Import of ${data.job.scopeLabel}` : `Re-check ${data ? `of ${data.job.scopeLabel}` : ""}`} – GP digital estate`,
  },
];

/**
 * One background job: a compliance re-check (scoped like the ICB it covers) or an import (seen
 * by the person who started it, or an admin). It shows how far the job has gone, and at the end
 * what it did. While it runs the page reloads itself: every 2 seconds with JavaScript, every 5
 * without (a meta refresh), and a refresh link is always there.
 */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const job = await getJobPage(getDb(), user, scope, params.id);
  const r = job.import?.result;
  // A device import's summary is its import run's page, shown here as it is there.
  const deviceRun = job.status === "done" && r?.importKind === "devices" ? await getRun(getDb(), r.runId, user, scope) : null;
  // Sent here by a second request to import the same file (a double click, another tab).
  const already = (await takeNotice(request, user, "job-already")) !== null;
  return { job, deviceRun, canListAll: scope.all, already };
});

export default function JobPage() {
  const { job, deviceRun, canListAll, ...data } = useLoaderData<typeof loader>();
  // Kept while the page refreshes itself to follow the job.
  const already = useKeptNotice(data.already || null);
  const active = job.status === "queued" || job.status === "running";
  useRefreshWhile(active);
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  const imp = job.import ? ({ ...job, import: job.import } as unknown as ImportJobLike) : null;
  const back = imp
    ? importBackLink(imp)
    : job.icbCode
      ? { label: "ICB compliance", to: `/icbs/${job.icbCode}/compliance` }
      : { label: "Re-checks", to: "/admin/re-checks" };
  const crumbs: Crumb[] = [
    { label: "Home", to: "/" },
    ...(canListAll && !imp ? [{ label: "Re-checks", to: "/admin/re-checks" }] : []),
    back,
  ];
  const what = imp ? "import" : "re-check";
  return (
    <>
      <Breadcrumbs items={crumbs} />
      {active ? (
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      ) : null}
      {imp && already ? <AlreadyNotice status={job.status} /> : null}
      <span className="nhsuk-caption-l">{imp ? `Import ${job.id}` : `Compliance re-check ${job.id}`}</span>
      <h1>{imp ? `Import of ${job.scopeLabel}` : `Re-check of ${job.scopeLabel}`}</h1>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Status</dt>
          <dd className="nhsuk-summary-list__value">
            <JobStatusTag status={job.status} />
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Progress</dt>
          <dd className="nhsuk-summary-list__value">
            {/* The live region sits inside the dd: a dd with a role is no longer a dd to assistive technology (axe definition-list). */}
            <div role="status" aria-live="polite">
              {imp ? importProgressText(job) : jobProgressText(job)}
              {job.total && (active || !imp) ? (
                <progress className="app-progress" max={job.total} value={job.done} aria-label={`${pct}% done`}>
                  {pct}%
                </progress>
              ) : null}
            </div>
          </dd>
        </div>
        {imp ? null : (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Checked for</dt>
            <dd className="nhsuk-summary-list__value">{formatDate(job.asOf)}</dd>
          </div>
        )}
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
      {active ? (
        <p className="nhsuk-body-s">
          It runs in the background: you can leave this page and come back to it. <Link to={`/jobs/${job.id}`}>Refresh</Link>
        </p>
      ) : null}
      {job.status === "failed" ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby="job-failed">
          <h2 className="nhsuk-error-summary__title" id="job-failed">
            This {what} did not finish
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>{job.error}</p>
          </div>
        </div>
      ) : job.error ? (
        <p className="nhsuk-body-s">{job.error}</p>
      ) : null}
      {job.status === "done" && job.result ? <RecheckResult r={job.result} /> : null}
      {imp && job.status === "done" ? <ImportJobResult job={imp} deviceRun={deviceRun} /> : null}
      {job.icbCode ? (
        <p>
          <Link to={`/icbs/${job.icbCode}/compliance`}>Back to the ICB's compliance</Link>
        </p>
      ) : null}
      {imp && job.status !== "done" ? (
        <p>
          <Link to={back.to}>Back to {back.label.toLowerCase()}</Link>
        </p>
      ) : null}
    </>
  );
}

/** Shown when a second request for the same file (a double click, another tab) was sent here instead. */
function AlreadyNotice({ status }: { status: string }) {
  return (
    <div className="nhsuk-warning-callout" role="alert">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {status === "done" ? "Already imported" : status === "failed" ? "Import did not finish" : "Already importing"}
        </span>
      </h2>
      <p>
        {status === "done"
          ? "This file has already been imported. It was not imported twice."
          : status === "failed"
            ? "This file's import did not finish, and nothing was saved. Check the file and import it again."
            : "This file is already being imported. It will not be imported twice: follow its progress here."}
      </p>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
