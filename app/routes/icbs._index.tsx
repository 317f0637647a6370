import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ListSizeVintage } from "~/components/ListSizeVintage";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { listIcbs } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Integrated care boards") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const page = await listIcbs(getDb(), scope, pageFromUrl(new URL(request.url)));
  return { ...page, national: scope.all };
});

export default function Icbs() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Integrated care boards</h1>
      {page.national ? (
        <p>
          <Link to="/england">All of England</Link>: every ICB's compliance, gaps and estate risk side by side.
        </p>
      ) : null}
      {page.total === 0 ? (
        <p>
          You do not have access to any ICB. Your practices are listed under <Link to="/practices">Practices</Link>.
        </p>
      ) : (
        <DataTable
          caption="ICBs you can see"
          scroll
          captionClassName="nhsuk-table__caption nhsuk-u-visually-hidden"
          rows={page.rows}
          rowKey={(icb) => icb.code}
          columns={[
            { header: "ICB", cell: (icb) => <Link to={`/icbs/${icb.code}`}>{titleCase(icb.name) || icb.code}</Link> },
            { header: "Code", cell: (icb) => icb.code },
            { header: "Region", cell: (icb) => icb.region_name },
            { header: "Open practices", numeric: true, cell: (icb) => formatNumber(icb.practices ?? 0) },
            {
              header: "Registered patients (month)",
              numeric: true,
              cell: (icb) => (
                <>
                  {formatNumber(icb.patients)}
                  {icb.patients !== null ? <ListSizeVintage date={icb.oldest_list_size} newest={icb.newest_list_size} /> : null}
                </>
              ),
            },
          ]}
        />
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="ICBs" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
