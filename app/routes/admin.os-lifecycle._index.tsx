import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate } from "~/components/format";
import { listLifecycle } from "~/modules/os-lifecycle/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { scrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Operating system support dates – GP digital estate" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
  await requirePermission(request, "user:manage");
  return { rows: await listLifecycle(getDb()) };
}

export default function OsLifecycleList() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Operating system support dates</h1>
      <p>Devices are checked against these dates to decide whether their operating system is still supported.</p>
      <Link className="nhsuk-button" to="/admin/os-lifecycle/new">
        Add a version
      </Link>
      <div className="app-table-wrap" {...scrollRegion("Operating system versions")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Operating system versions</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Family</th>
              <th scope="col">Edition</th>
              <th scope="col">Version</th>
              <th scope="col">Build</th>
              <th scope="col">End of support</th>
              <th scope="col">Paid ESU years end</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.family}</td>
                <td>{r.edition}</td>
                <td>
                  <Link to={`/admin/os-lifecycle/${r.id}`}>
                    {r.version}
                    <span className="nhsuk-u-visually-hidden">
                      {" "}
                      ({r.family} {r.edition})
                    </span>
                  </Link>
                </td>
                <td>{r.build}</td>
                <td>{formatDate(r.end_of_support)}</td>
                <td>{r.esu_year_ends.length ? r.esu_year_ends.map((d) => formatDate(d)).join(", ") : ""}</td>
                <td className="nhsuk-body-s">
                  {r.source}
                  {r.reference_version ? "" : " (edited here)"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
