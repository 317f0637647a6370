import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { scrollRegion } from "~/components/scroll-region";
import { SummaryList } from "~/components/SummaryList";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ODS_FIELDS, type OdsField } from "~/modules/device-sync/map";
import { connectionPage, requireConnection } from "~/modules/device-sync/service.server";
import { activeSyncOf, startSync } from "~/modules/jobs/graph-sync.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageFromUrl } from "~/utils/pagination";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectWithNotice, takeNotice } from "~/modules/auth/flash.server";
import { useKeptNotice } from "~/components/useKeptNotice";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle(data?.connection.name, "Device management sync") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const id = Number(params.id);
  const page = pageFromUrl(new URL(request.url));
  const data = await connectionPage(getDb(), user.memberships, id, page);
  const asked = (await takeNotice(request, user, "sync-asked"))?.outcome ?? null;
  return { ...data, page, active: await activeSyncOf(getDb(), id), asked };
});

/** "Sync now": queues a run of a connection the user manages (one queued or running at a time). */
export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const conn = await requireConnection(getDb(), user.memberships, Number(params.id));
  const r = await startSync(getDb(), user.id, conn.id, "manual");
  return redirectWithNotice(request, `/device-sync/${conn.id}`, "sync-asked", { outcome: r.queued ? "queued" : "already" });
});

const n = (v: number | undefined) => formatNumber(v ?? 0);

export default function ConnectionPage() {
  const { connection: c, runs, total, missing, page, pageCount, active, ...data } = useLoaderData<typeof loader>();
  // What "Sync now" did, kept while this page is open ("Refresh this page" is a new visit without it).
  const asked = useKeptNotice(data.asked);
  const pending = usePending();
  const prefixes = c.rules.filter((r) => r.kind === "prefix");
  const groups = c.rules.filter((r) => r.kind === "group");
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Device management sync", to: "/device-sync" },
        ]}
      />
      <h1>{c.name}</h1>
      {active ? (
        <div className="nhsuk-inset-text" role="status">
          <p>
            {asked === "already" ? "A sync of this connection was already waiting or running, so no second one was started. " : ""}A sync is{" "}
            {active.status === "running" ? "running" : "waiting to start"}. <Link to={`/device-sync/${c.id}`}>Refresh this page</Link> to
            see its result.
          </p>
        </div>
      ) : asked ? (
        <div className="nhsuk-inset-text" role="status">
          <p>The sync has finished: its result is the first run below.</p>
        </div>
      ) : null}
      <SummaryList
        rows={[
          ["ICB", c.icb_name],
          ["Directory (tenant) ID", c.tenant_id],
          ["Application (client) ID", c.client_id],
          ["Client secret", c.has_secret ? "Stored, encrypted" : "Not stored: the connection cannot sync"],
          ["Addresses", `${c.authority_url} (sign-in), ${c.graph_url} (Graph)`],
          [
            "Schedule",
            c.sync_every_hours
              ? `Every ${c.sync_every_hours} hours${c.next_sync_at ? `, next after ${formatDateTime(c.next_sync_at)}` : ""}`
              : "On demand only",
          ],
          ["Missing devices flagged after", `${c.missing_after_days} days`],
          [
            "Rules",
            <>
              {prefixes.length || groups.length || c.ods_field ? (
                <ul className="nhsuk-list">
                  {prefixes.map((r) => (
                    <li key={`p${r.value}`}>
                      Name starts <code>{r.value}</code>: {r.practice_name} ({r.practice_code})
                    </li>
                  ))}
                  {groups.map((r) => (
                    <li key={`g${r.value}`}>
                      In Entra group <code>{r.value}</code>: {r.practice_name} ({r.practice_code})
                    </li>
                  ))}
                  {c.ods_field ? <li>An ODS code in {ODS_FIELDS[c.ods_field as OdsField] ?? c.ods_field}</li> : null}
                </ul>
              ) : (
                "None: every device will be unmapped"
              )}
            </>,
          ],
        ]}
      />
      <p>
        <Link to={`/device-sync/${c.id}/edit`}>
          Change the connection<span className="nhsuk-u-visually-hidden"> {c.name}</span>
        </Link>
      </p>
      <Form method="post">
        <button className="nhsuk-button" type="submit" disabled={!c.has_secret || !!active || pending}>
          Sync now
        </button>
      </Form>

      <h2>Missing from Intune</h2>
      {missing.length === 0 ? (
        <p>No device has been missing from Intune for {c.missing_after_days} days or more.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Devices missing from Intune")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Devices missing from Intune for {c.missing_after_days} days or more (kept in the register)
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Serial number</th>
                <th scope="col">Practice</th>
                <th scope="col">Missing from Intune since</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {missing.map((m) => (
                <tr key={m.graph_id}>
                  <td>{m.device_name ?? "No name"}</td>
                  <td>{m.serial_number ?? "None"}</td>
                  <td>
                    {m.practice_code ? (
                      <Link to={`/practices/${m.practice_code}/devices`}>{m.practice_name ?? m.practice_code}</Link>
                    ) : (
                      "Unmapped"
                    )}
                  </td>
                  <td>{formatDate(m.missing_since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Runs</h2>
      {total === 0 ? (
        <p>This connection has not run yet.</p>
      ) : (
        <>
          <div className="app-table-wrap" {...scrollRegion("Runs")}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Runs, newest first</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Finished</th>
                  <th scope="col">Started by</th>
                  <th scope="col">Read</th>
                  <th scope="col">New</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Unchanged</th>
                  <th scope="col">Unmapped</th>
                  <th scope="col">Refused</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/device-sync/${c.id}/runs/${r.id}`}>{formatDateTime(r.finished_at)}</Link>
                      {r.status === "failed" ? (
                        <>
                          {" "}
                          <strong className="nhsuk-tag nhsuk-tag--red">Failed</strong>
                        </>
                      ) : null}
                    </td>
                    <td>{r.trigger === "schedule" ? "Schedule" : (r.user_name ?? "Someone since removed")}</td>
                    {r.status === "failed" ? (
                      <td colSpan={6}>{r.error}</td>
                    ) : (
                      <>
                        <td>{n(r.counts.read)}</td>
                        <td>{n(r.counts.created)}</td>
                        <td>{n(r.counts.updated)}</td>
                        <td>{n(r.counts.unchanged)}</td>
                        <td>{n(r.counts.unmapped)}</td>
                        <td>{n(r.counts.rejected)}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageCount={pageCount} total={total} noun="runs" />
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
