import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDateTime, formatNumber } from "~/utils/format";
import { scrollRegion } from "~/components/scroll-region";
import { requirePermission } from "~/modules/auth/permissions.server";
import { listForUser } from "~/modules/device-sync/service.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Device management sync") }];

/** Connections are managed by whoever may change devices across an ICB (estate.icb:write): delivery partners, admins. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  return { connections: await listForUser(getDb(), user.memberships) };
});

export default function DeviceSyncPage() {
  const { connections } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Device management sync</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Brings practices' computers in from Microsoft Intune through Microsoft Graph: operating system and build, encryption, compliance
            and last check-in. Each connection is an app registration in your tenant; rules you set say which practice each device is at.
          </p>
          <Link className="nhsuk-button" to="/device-sync/new">
            Add a connection
          </Link>
        </div>
      </div>
      {connections.length === 0 ? (
        <p>There are no connections yet.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Connections")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Connections</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">ICB</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last run</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {connections.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/device-sync/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{c.icb_name}</td>
                  <td>{c.sync_every_hours ? `Every ${formatNumber(c.sync_every_hours)} hours` : "On demand"}</td>
                  <td>
                    {c.last_finished_at
                      ? `${formatDateTime(c.last_finished_at)}: ${c.last_status === "done" ? `${formatNumber(c.last_counts?.read ?? 0)} devices read` : "failed"}`
                      : "Not run yet"}
                  </td>
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
