import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ListSizeVintage } from "~/components/ListSizeVintage";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { getSubIcbPage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle(titleCase(data?.subIcb.name) || data?.subIcb.code || "Sub-ICB location") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  return getSubIcbPage(getDb(), scope, params.code, pageFromUrl(new URL(request.url)));
});

export default function SubIcbPage() {
  const { subIcb, pcns } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(subIcb.icb_name) || subIcb.icb_code || "ICB", to: `/icbs/${subIcb.icb_code}` },
        ]}
      />
      <span className="nhsuk-caption-l">Sub-ICB location {subIcb.code}</span>
      <h1>{titleCase(subIcb.name) || subIcb.code}</h1>
      <h2>Primary care networks</h2>
      <DataTable
        caption="PCNs in this sub-ICB location"
        captionHidden
        rows={pcns.rows}
        rowKey={(p) => p.code}
        columns={[
          { header: "PCN", cell: (p) => <Link to={`/pcns/${p.code}`}>{titleCase(p.name)}</Link> },
          { header: "Code", cell: (p) => p.code },
          { header: "Open practices", numeric: true, cell: (p) => formatNumber(p.practices ?? 0) },
          {
            header: "Registered patients (month)",
            numeric: true,
            cell: (p) => (
              <>
                {formatNumber(p.patients)}
                {p.patients !== null ? <ListSizeVintage date={p.oldest_list_size} newest={p.newest_list_size} /> : null}
              </>
            ),
          },
        ]}
      />
      <Pagination page={pcns.page} pageCount={pcns.pageCount} total={pcns.total} noun="PCNs" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
