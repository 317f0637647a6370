import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber } from "~/components/format";
import { SummaryList } from "~/components/SummaryList";
import { getRun } from "~/modules/devices/import/service.server";
import { getDb } from "~/utils/db.server";
import { idParam } from "~/utils/params";
import { handle, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = () => [{ title: "Device import finished – GP digital estate" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "estate.icb:write");
  return handle(() => getRun(getDb(), idParam(params.runId, "import run"), user, scope));
}

export default function ImportRun() {
  const run = useLoaderData<typeof loader>();
  const c = run.counts;
  const when = `${formatDate(run.finishedAt.slice(0, 10))} ${run.finishedAt.slice(11, 16)} UTC`;
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }, { label: "Import devices", to: "/estate/import" }]} />
      <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
        <h1 className="nhsuk-panel__title">Devices imported</h1>
        <div className="nhsuk-panel__body">
          {formatNumber(c.created)} added, {formatNumber(c.updated)} updated
        </div>
      </div>
      <SummaryList
        rows={[
          ["File", run.fileName],
          ["Imported by", run.userName ?? run.actor ?? "System (command line)"],
          ["Finished", when],
          ["Rows read", formatNumber(c.rowsRead)],
          ["New devices added", formatNumber(c.created)],
          ["Devices updated", formatNumber(c.updated)],
          ["Unchanged", formatNumber(c.unchanged)],
          ["Rejected rows skipped", formatNumber(c.rejected)],
          ...(run.retired === null ? [] : ([["Devices retired (not in the practice's inventory file)", formatNumber(run.retired)]] as [string, string][])),
        ]}
      />
      {run.issues.length ? (
        <>
          <h2>Rows that were skipped</h2>
          <p>Fix these rows in your file and upload it again: rows already imported will show as unchanged.</p>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">Problems in skipped rows</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {run.issues.map((x, i) => (
                <tr key={i}>
                  <td>{x.row}</td>
                  <td>{x.column}</td>
                  <td>{x.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {run.issues.length >= 500 ? <p className="nhsuk-body-s">Showing the first 500 problems.</p> : null}
        </>
      ) : null}
      {run.practices.length ? (
        <>
          <h2>Practices changed</h2>
          {run.practiceCount > run.practices.length ? (
            <p>
              {formatNumber(run.practiceCount)} practices changed. The first {run.practices.length} are listed here.
            </p>
          ) : null}
          <ul className="nhsuk-list">
            {run.practices.map((p) => (
              <li key={p}>
                <Link to={`/practices/${p}/devices`}>Devices at {p}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/estate/import">Import another file</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
