import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { getHomePage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { ROLES } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Home") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const home = await getHomePage(getDb(), scope, user.memberships);
  return { name: user.name, ...home };
});

export default function Home() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Hello, {data.name}</h1>
      <p className="nhsuk-lede-text">Track each GP practice's IT estate against NHS England's GP digital services operating model.</p>
      <h2>Your access</h2>
      <ul className="nhsuk-list nhsuk-list--bullet">
        {data.roles.map((r, i) => (
          <li key={i}>
            {ROLES[r.role].label}
            {r.icb ? (
              <>
                {" for "}
                <Link to={`/icbs/${r.icb.code}`}>{r.icb.name ?? r.icb.code}</Link>
              </>
            ) : null}
            {r.practice ? (
              <>
                {" for "}
                <Link to={`/practices/${r.practice.code}`}>
                  {r.practice.name ?? r.practice.code} ({r.practice.code})
                </Link>
              </>
            ) : null}
            {r.role === "admin" ? " (all organisations in England)" : null}
          </li>
        ))}
      </ul>
      {data.counts ? (
        <>
          <h2>Organisations in England</h2>
          <dl className="nhsuk-summary-list">
            {data.counts.map(([label, value]) => (
              <div className="nhsuk-summary-list__row" key={label}>
                <dt className="nhsuk-summary-list__key">{label}</dt>
                <dd className="nhsuk-summary-list__value">{value.toLocaleString("en-GB")}</dd>
              </div>
            ))}
          </dl>
          <p className="nhsuk-body-s">Welsh practices and organisations that are not GP practices are kept out of these counts.</p>
        </>
      ) : null}
      <h2>Find a practice</h2>
      <p>
        <Link to="/practices">Search practices by name, ODS code or postcode</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
