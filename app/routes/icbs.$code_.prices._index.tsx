import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { canManagePolicy, findIcbInScope } from "~/modules/compliance/icb-view.server";
import { formatPence, incVat } from "~/modules/pricing/money";
import { getPriceList } from "~/modules/pricing/price-list.server";
import { BASES, FINANCE, RECURRENCE } from "~/modules/pricing/schema";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Price list – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const today = todayIso();
  const units = await getPriceList(getDb(), icb.code, today);
  return { icb, today, units, canManage: canManagePolicy(user.memberships, icb.code) };
});

export default function PriceListPage() {
  const { icb, today, units, canManage } = useLoaderData<typeof loader>();
  const own = units.filter((u) => u.price?.own).length;
  const missing = units.filter((u) => !u.price).length;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>Price list</h1>
      <p>
        The unit costs used to estimate what each gap costs to fix, in force on {formatDate(today)}. Where this ICB has not set its own
        price, the national default applies. Figures marked <strong className="nhsuk-tag nhsuk-tag--orange">Local estimate</strong> are
        assumptions, not published prices: replace them with your framework prices. This ICB sets {own} of {units.length} prices; {missing}{" "}
        unit
        {missing === 1 ? " has" : "s have"} no price.
      </p>
      {canManage ? (
        <p className="nhsuk-body-s">Choose a unit to see its history or set a new price.</p>
      ) : (
        <p className="nhsuk-body-s app-muted">Only the ICB's digital lead can change prices.</p>
      )}
      <div className="app-table-wrap" {...scrollRegion("Unit costs in force today")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-u-visually-hidden">Unit costs in force today</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Unit</th>
              <th scope="col" className="app-numeric">
                Ex VAT
              </th>
              <th scope="col" className="app-numeric">
                Inc VAT
              </th>
              <th scope="col">Counted</th>
              <th scope="col">Treatment</th>
              <th scope="col">Set by</th>
              <th scope="col">Effective from</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {units.map((u) => (
              <tr key={u.kind}>
                <th scope="row">
                  <Link to={`/icbs/${icb.code}/prices/${u.kind}`}>{u.label}</Link>
                </th>
                {u.price ? (
                  <>
                    <td className="app-numeric">{formatPence(u.price.unitCostPence)}</td>
                    <td className="app-numeric">
                      {formatPence(incVat(u.price.unitCostPence, u.price.vatRatePercent))}
                      <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">VAT {u.price.vatRatePercent}%</div>
                    </td>
                    <td>{u.price.basis === "each" ? u.countedAs : `${BASES[u.price.basis]} (${u.countedAs})`}</td>
                    <td>
                      {FINANCE[u.price.finance]}, {RECURRENCE[u.price.recurrence].toLowerCase()}
                    </td>
                    <td>{u.price.own ? <strong className="nhsuk-tag nhsuk-tag--blue">This ICB</strong> : "National default"}</td>
                    <td>
                      {formatDate(u.price.effectiveFrom)}
                      {u.upcoming ? (
                        <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
                          {formatPence(u.upcoming.unitCostPence)} from {formatDate(u.upcoming.effectiveFrom)}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                        {u.price.localEstimate ? (
                          <>
                            <strong className="nhsuk-tag nhsuk-tag--orange">Local estimate</strong>{" "}
                          </>
                        ) : null}
                        {u.price.source}
                      </div>
                    </td>
                  </>
                ) : (
                  <td colSpan={7}>
                    <strong>No price:</strong> gaps needing this show no estimate.
                    {u.upcoming
                      ? ` A price of ${formatPence(u.upcoming.unitCostPence)} takes effect on ${formatDate(u.upcoming.effectiveFrom)}.`
                      : ""}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
