import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDateTime, formatNumber } from "~/utils/format";
import { scrollRegion } from "~/components/scroll-region";
import { SummaryList } from "~/components/SummaryList";
import { requirePermission } from "~/modules/auth/permissions.server";
import { runPage } from "~/modules/device-sync/service.server";
import { DEVICE_LABELS } from "~/modules/devices/schema";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle(data ? `Run of ${formatDateTime(data.run.finished_at)}` : "Run", data?.connection.name, "Device management sync") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  return runPage(getDb(), user.memberships, Number(params.id), Number(params.runId));
});

const n = (v: number | undefined) => formatNumber(v ?? 0);
const show = (v: unknown) => (v === null || v === undefined || v === "" ? "blank" : v === true ? "yes" : v === false ? "no" : String(v));
const label = (f: string) => (DEVICE_LABELS as Record<string, string>)[f] ?? f;

export default function SyncRunPage() {
  const { connection: c, run } = useLoaderData<typeof loader>();
  const k = run.counts;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Device management sync", to: "/device-sync" },
          { label: c.name, to: `/device-sync/${c.id}` },
        ]}
      />
      <h1>Run of {formatDateTime(run.finished_at)}</h1>
      {run.status === "failed" ? (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1} aria-labelledby="run-failed">
          <h2 className="nhsuk-error-summary__title" id="run-failed">
            This run failed and changed nothing
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>{run.error}</p>
          </div>
        </div>
      ) : (
        <SummaryList
          rows={[
            ["Started by", run.trigger === "schedule" ? "The schedule" : (run.user_name ?? "Someone since removed")],
            [
              "Devices read from Intune",
              `${n(k.read)} (${n(k.pages)} pages${k.throttled ? `, throttled ${n(k.throttled)} times, waited ${n(k.waitedSeconds)} seconds` : ""})`,
            ],
            ["New in the register", n(k.created)],
            ["Changed", n(k.updated)],
            ["Unchanged", `${n(k.unchanged)} (${n(k.sourceUnchanged)} unchanged in Intune since the last run)`],
            ["Unmapped (no rule placed them)", n(k.unmapped)],
            ["Refused by the register's checks", n(k.rejected)],
            ["Missing from Intune", `${n(k.newlyMissing)} newly missing; ${n(k.flaggedMissing)} missing long enough to be flagged`],
          ]}
        />
      )}

      {run.changes.length ? (
        <div className="app-table-wrap" {...scrollRegion("What changed")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">What changed</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Practice</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {run.changes.map((ch, i) => (
                <tr key={i}>
                  <td>
                    {ch.device_name ?? "No name"}
                    <br />
                    <span className="nhsuk-body-s">Serial {ch.serial_number ?? "none"}</span>
                  </td>
                  <td>
                    <Link to={`/practices/${ch.practice_code}/devices`}>{ch.practice_code}</Link>
                  </td>
                  <td>
                    {ch.action === "create" ? (
                      "Added to the register"
                    ) : (
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {ch.fields.map((f) => (
                          <li key={f.field}>
                            {label(f.field)}: {show(f.before)} → {show(f.after)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : run.status === "done" ? (
        <p>Nothing in the register changed.</p>
      ) : null}

      {run.unmapped.length ? (
        <div className="app-table-wrap" {...scrollRegion("Unmapped devices")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">Unmapped devices</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Serial number</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {run.unmapped.map((u, i) => (
                <tr key={i}>
                  <td>{u.device_name ?? "No name"}</td>
                  <td>{u.serial_number ?? "None"}</td>
                  <td>{u.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {run.unmapped.length ? (
        <p>
          Add a rule for them on the <Link to={`/device-sync/${c.id}/edit`}>connection</Link>, then sync again.
        </p>
      ) : null}

      {run.issues.length ? (
        <div className="app-table-wrap" {...scrollRegion("Devices refused")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">Devices refused by the register's checks</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Practice</th>
                <th scope="col">Property</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {run.issues.map((p, i) => (
                <tr key={i}>
                  <td>
                    {p.device_name ?? "No name"}
                    <br />
                    <span className="nhsuk-body-s">Serial {p.serial_number ?? "none"}</span>
                  </td>
                  <td>{p.practice_code}</td>
                  <td>{p.column}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
