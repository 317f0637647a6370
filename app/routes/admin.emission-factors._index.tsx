import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate } from "~/utils/format";
import { listFactors } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";
import { takeNotice } from "~/modules/auth/flash.server";
import { useKeptNotice } from "~/components/useKeptNotice";

export const meta: MetaFunction = () => [{ title: "Emission and cost factors – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  // Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
  const { user } = await requirePermission(request, "user:manage");
  const added = await takeNotice(request, user, "factor-added");
  return { factors: await listFactors(getDb()), today: todayIso(), added: added?.id ?? null };
});

export default function EmissionFactors() {
  const { factors, today, ...data } = useLoaderData<typeof loader>();
  const added = useKeptNotice(data.added);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Emission and cost factors</h1>
      <p>
        Carbon and savings from paper, printing and post are worked out with these factors. A value is never changed in place: add a new
        version with the date it applies from. Periods before that date keep the version they were worked out with.
      </p>
      {added ? (
        <div className="nhsuk-inset-text" role="status">
          <p>New version added.</p>
        </div>
      ) : null}
      <Link className="nhsuk-button" to="/admin/emission-factors/new">
        Add a version
      </Link>
      {factors.map((f) => (
        <div className="app-table-wrap" key={f.key} id={`factor-${f.key}`} {...scrollRegion(f.label)}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              {f.label} <span className="app-muted nhsuk-body-s">({f.unit})</span>
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Applies from</th>
                <th scope="col" className="app-numeric">
                  Value
                </th>
                <th scope="col">Source year</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {f.versions.map((v, i) => {
                const current = v.effective_from <= today && !f.versions.slice(0, i).some((w) => w.effective_from <= today);
                return (
                  <tr key={v.id}>
                    <td>
                      {formatDate(v.effective_from)}{" "}
                      {current ? (
                        <strong className="nhsuk-tag nhsuk-tag--green">In force</strong>
                      ) : v.effective_from > today ? (
                        <strong className="nhsuk-tag nhsuk-tag--blue">Future</strong>
                      ) : null}
                    </td>
                    <td className="app-numeric">{v.value.toLocaleString("en-GB")}</td>
                    <td>{v.year ?? "–"}</td>
                    <td className="nhsuk-body-s">
                      {v.is_assumption ? <strong className="nhsuk-tag nhsuk-tag--yellow">Assumption</strong> : null} {v.source}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p>
            <Link to={`/admin/emission-factors/new?key=${f.key}`}>
              Add a version<span className="nhsuk-u-visually-hidden"> of {f.label}</span>
            </Link>
          </p>
        </div>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
