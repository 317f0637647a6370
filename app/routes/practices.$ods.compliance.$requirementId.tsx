import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { EvidenceList, formatDateTime, StatusTag, UnitsList, UpcomingList } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { getPracticeRequirementPage } from "~/modules/compliance/practice-view.server";
import type { Status } from "~/modules/catalogue/rule-types";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import complianceCss from "~/styles/compliance.css?url";
import { SourceList } from "~/components/SourceList";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.requirement.id ?? "Requirement"} – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const page = await getPracticeRequirementPage(getDb(), practice.ods_code, params.requirementId, todayIso());
  return { practice, ...page };
});

export default function PracticeRequirement() {
  const { practice, requirement: r, current, history } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/compliance`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Compliance", to: base },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} />
      <span className="nhsuk-caption-m">
        {r.id} · {r.domainLabel}
      </span>
      <h1>{r.title}</h1>
      <p>{r.description}</p>
      {r.opReading ? (
        <p className="nhsuk-body-s app-muted">This is our reading of a requirement heading whose detailed wording was not published.</p>
      ) : null}
      <SummaryList
        rows={[
          ["Category", r.category],
          ["Who funds it", r.funder],
          ["How it is evidenced", r.evidence],
          ["What the check looks at", r.check],
          ["Weight in the score", String(r.weight)],
          ["Applies from", r.appliesFrom ? formatDate(r.appliesFrom) : "Already in force"],
          ["Sources", <SourceList key="sources" sources={r.sources} />],
        ]}
      />
      <p>
        <Link to={`/requirements/${r.id}`}>See this requirement in the catalogue</Link>
      </p>

      <h2>Result today</h2>
      {!r.automatic ? (
        <p>The registers cannot show this requirement; the practice attests it in its self-assessment.</p>
      ) : current ? (
        <>
          <p>
            <StatusTag status={current.status as Status} />
          </p>
          <p>{current.reason}</p>
          <UpcomingList upcoming={current.upcoming} />
          <EvidenceList ods={practice.ods_code} evidence={current.evidence} open={10} />
          <UnitsList units={current.units} />
          <p className="nhsuk-body-s app-muted">
            This result since {formatDate(current.since)} (computed {formatDateTime(current.evaluatedAt)}).{" "}
            <Link to={base}>Re-check from the compliance page</Link>.
          </p>
        </>
      ) : (
        <p>Not checked yet.</p>
      )}

      {r.automatic ? (
        <>
          <h2>History</h2>
          {history.length === 0 ? (
            <p>No results have been stored for this requirement at this practice.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Each change of result, newest first</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">From</th>
                  <th scope="col">Until</th>
                  <th scope="col">Result</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Computed</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{formatDate(h.from)}</td>
                    <td>{h.until ? formatDate(h.until) : "Now"}</td>
                    <td>
                      <StatusTag status={h.status as Status} />
                    </td>
                    <td>{h.reason}</td>
                    <td>
                      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{formatDateTime(h.evaluatedAt)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
