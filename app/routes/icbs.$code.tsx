import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber, titleCase } from "~/components/format";
import { getIcbPage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { handle, requirePermission } from "~/modules/auth/permissions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${titleCase(data?.icb.name) || "ICB"} – GP digital estate` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requirePermission(request, "org:read");
  return handle(() => getIcbPage(getDb(), scope, params.code));
}

export default function IcbPage() {
  const { icb, subIcbs } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
        ]}
      />
      <span className="nhsuk-caption-l">Integrated care board {icb.code}</span>
      <h1>{titleCase(icb.name) || icb.code}</h1>
      <p>
        Region: {icb.region_name ?? icb.region_code ?? "not known"} ·{" "}
        <Link to={`/practices?icb=${icb.code}`}>Search this ICB's practices</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/dashboard`}>Dashboard</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/compliance`}>Compliance</Link>
        {" · "}
        <Link to={`/gaps?icb=${icb.code}`}>Gaps</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/policy`}>Local policy</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/prices`}>Prices</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/budgets`}>Budgets</Link>
        {" · "}
        <Link to={`/funding-requests?icb=${icb.code}`}>Funding requests</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/sustainability`}>Paper and carbon</Link>
        {" · "}
        <Link to={`/icbs/${icb.code}/contracts`}>Supplier contracts</Link>
      </p>
      <h2>Sub-ICB locations</h2>
      <table className="nhsuk-table">
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Sub-ICB location</th>
            <th scope="col">Code</th>
            <th scope="col" className="app-numeric">
              Open PCNs
            </th>
            <th scope="col" className="app-numeric">
              Open practices
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {subIcbs.map((s) => (
            <tr key={s.code}>
              <td>
                <Link to={`/sub-icbs/${s.code}`}>{titleCase(s.name) || s.code}</Link>
              </td>
              <td>{s.code}</td>
              <td className="app-numeric">{formatNumber(s.pcns ?? 0)}</td>
              <td className="app-numeric">{formatNumber(s.practices ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
