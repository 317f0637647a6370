import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate } from "~/utils/format";
import { listLifecycle } from "~/modules/os-lifecycle/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Operating system support dates – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  // Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
  await requirePermission(request, "user:manage");
  return { rows: await listLifecycle(getDb()) };
});

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
      <DataTable
        caption="Operating system versions"
        scroll
        rows={rows}
        rowKey={(r) => r.id}
        columns={[
          { header: "Family", cell: (r) => r.family },
          { header: "Edition", cell: (r) => r.edition },
          {
            header: "Version",
            cell: (r) => (
              <Link to={`/admin/os-lifecycle/${r.id}`}>
                {r.version}
                <span className="nhsuk-u-visually-hidden">
                  {" "}
                  ({r.family} {r.edition})
                </span>
              </Link>
            ),
          },
          { header: "Build", cell: (r) => r.build },
          { header: "End of support", cell: (r) => formatDate(r.end_of_support) },
          {
            header: "Paid ESU years end",
            cell: (r) => (r.esu_year_ends.length ? r.esu_year_ends.map((d) => formatDate(d)).join(", ") : ""),
          },
          {
            header: "Source",
            className: "nhsuk-body-s",
            cell: (r) => (
              <>
                {r.source}
                {r.reference_version ? "" : " (edited here)"}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
