import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { SummaryList } from "~/components/SummaryList";
import { getRequirementPage } from "~/modules/compliance/catalogue-view.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import complianceCss from "~/styles/compliance.css?url";
import { SourceList } from "~/components/SourceList";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.requirement.id} ${data.requirement.title}` : "Requirement"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  return getRequirementPage(getDb(), scope, params.id);
});

export default function RequirementPage() {
  const { requirement: r, icbs, practices } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Requirements", to: "/requirements" },
        ]}
      />
      <span className="nhsuk-caption-l">
        {r.id} · {r.domainLabel}
      </span>
      <h1>{r.title}</h1>
      <p className="nhsuk-body-l">{r.description}</p>
      {r.opReading ? (
        <p className="nhsuk-body-s app-muted">This is our reading of a requirement heading whose detailed wording was not published.</p>
      ) : null}
      <SummaryList
        rows={[
          ["Id", r.id],
          ["Domain", r.domainLabel],
          ["Category", r.category],
          ["Who funds it", r.funder],
          ["How it is evidenced", r.evidence],
          ["What the check looks at", r.automatic ? r.check : "Self-assessed by the practice and verified by the ICB"],
          ["Weight in the score", String(r.weight)],
          ["Applies from", r.appliesFrom ? formatDate(r.appliesFrom) : "Already in force"],
          ["Came from", r.introducedInName],
          ["Sources", <SourceList key="sources" sources={r.sources} />],
        ]}
      />
      <h2>Framework versions</h2>
      <p>
        Each ICB chooses which version is in force for its practices; this requirement is judged only where its version holds it.
        {r.versions.length < 2 ? ` It is only in the ${r.versions.map((v) => v.name).join(" and ")}.` : null}
      </p>
      <div className="app-table-wrap" {...scrollRegion("How each version words it")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">How each version words it</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Requirement</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {r.versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.name}</th>
                <td>
                  <strong>{v.title}</strong>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{v.description}</p>
                  {v.unconfirmed || v.note ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0 nhsuk-u-margin-top-2">
                      {v.unconfirmed ? (
                        <>
                          <strong className="nhsuk-tag nhsuk-tag--orange">UNCONFIRMED</strong>{" "}
                        </>
                      ) : null}
                      {v.note}
                    </p>
                  ) : null}
                </td>
                <td>
                  <SourceList sources={v.sources} compact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.automatic && (icbs.length > 0 || practices.length > 0) ? (
        <>
          <h2>Results</h2>
          <ul className="nhsuk-list">
            {icbs.map((i) => (
              <li key={i.code}>
                <Link to={`/icbs/${i.code}/compliance/${r.id}`}>Across {titleCase(i.name) || i.code}</Link>
              </li>
            ))}
            {practices.map((p) => (
              <li key={p.code}>
                <Link to={`/practices/${p.code}/compliance/${r.id}`}>At {titleCase(p.name) || p.code}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
