import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { getIcbPage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${titleCase(data?.icb.name) || "ICB"} – GP digital estate` }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  return getIcbPage(getDb(), scope, params.code);
});

export default function IcbPage() {
  const { icb, subIcbs, merged, predecessors } = useLoaderData<typeof loader>();
  const icbLink = (o: { code: string; name: string | null; canOpen: boolean }) => {
    const label = `${titleCase(o.name) || o.code} (${o.code})`;
    return o.canOpen ? <Link to={`/icbs/${o.code}`}>{label}</Link> : label;
  };
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
      {merged.length > 0 ? (
        <div className="nhsuk-warning-callout" id="icb-merged">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {merged.length > 1 ? "Split between successor ICBs" : "Merged"}
            </span>
          </h2>
          {merged.map((m) => (
            <p key={m.new_code}>
              {merged.length > 1 ? "Part succeeded by " : "Merged into "}
              {icbLink(m.new)} on {formatDate(m.effective_date)}
              {m.final_code !== m.new_code ? <> (now {icbLink(m.final)})</> : null}. This ICB's budgets and finished funding requests stay
              here as its history.
            </p>
          ))}
        </div>
      ) : null}
      {predecessors.length > 0 ? (
        <div className="nhsuk-inset-text" id="icb-predecessors">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            From {formatDate(predecessors[0].effective_date)} this ICB succeeds{" "}
            {predecessors.map((m, i) => (
              <span key={m.old_code}>
                {i > 0 ? ", " : ""}
                {icbLink(m.old)}
              </span>
            ))}
            . Their earlier budgets stay with them (see each one's budgets page).
          </p>
        </div>
      ) : null}
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
