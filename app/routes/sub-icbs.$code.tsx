import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ListSizeVintage } from "~/components/ListSizeVintage";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber, titleCase } from "~/components/format";
import { Pagination } from "~/components/Pagination";
import { getSubIcbPage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { handle, requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle(titleCase(data?.subIcb.name) || data?.subIcb.code || "Sub-ICB location") },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requirePermission(request, "org:read");
  return handle(() => getSubIcbPage(getDb(), scope, params.code, pageFromUrl(new URL(request.url))));
}

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
      <table className="nhsuk-table">
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">PCN</th>
            <th scope="col">Code</th>
            <th scope="col" className="app-numeric">
              Open practices
            </th>
            <th scope="col" className="app-numeric">
              Registered patients (month)
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {pcns.rows.map((p) => (
            <tr key={p.code}>
              <td>
                <Link to={`/pcns/${p.code}`}>{titleCase(p.name)}</Link>
              </td>
              <td>{p.code}</td>
              <td className="app-numeric">{formatNumber(p.practices ?? 0)}</td>
              <td className="app-numeric">
                {formatNumber(p.patients)}
                {p.patients !== null ? <ListSizeVintage date={p.oldest_list_size} newest={p.newest_list_size} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={pcns.page} pageCount={pcns.pageCount} total={pcns.total} noun="PCNs" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
