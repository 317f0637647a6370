import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { EstimateText, GapStatusTag, PriorityTag } from "~/components/Gaps";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { describeElsewhere, describeMissing } from "~/modules/gaps/register";
import { getPracticeGaps } from "~/modules/gaps/register.server";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Gaps – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, scope } = await requirePracticeAccess(request, params.ods);
  const { sections, totals } = await getPracticeGaps(getDb(), scope, practice.ods_code, todayIso());
  return { practice, sections, totals };
});

function Subtotal({ t }: { t: { gaps: number; estimatedPence: number; noEstimate: number } }) {
  return (
    <>
      {formatPence(t.estimatedPence)}
      {t.noEstimate ? (
        <span className="nhsuk-body-s app-muted">
          {" "}
          (plus {t.noEstimate} {t.noEstimate === 1 ? "gap" : "gaps"} with no estimate)
        </span>
      ) : null}
    </>
  );
}

export default function PracticeGaps() {
  const { practice, sections, totals } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Gaps" />
      <p>
        The requirements this practice does not fully meet today, split by who pays to close them. A gap closes by itself when the
        practice's records show the requirement is met.{" "}
        {totals.gaps === 0
          ? "There are no open gaps."
          : `${formatNumber(totals.gaps)} open ${totals.gaps === 1 ? "gap" : "gaps"}, estimated at `}
        {totals.gaps ? <Subtotal t={totals} /> : null}
        {totals.gaps ? "." : ""}
      </p>
      {sections.map((s) => (
        <section key={s.funder} aria-labelledby={`section-${s.funder}`}>
          <h2 id={`section-${s.funder}`}>{s.heading}</h2>
          <p>{s.intro}</p>
          {s.gaps.length === 0 ? (
            <p>No open gaps.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">{s.heading}</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Requirement</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Status</th>
                  <th scope="col">Deadline</th>
                  <th scope="col" className="app-numeric">
                    Estimate
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {s.gaps.map((g) => (
                  <tr key={g.id}>
                    <td>
                      <Link to={`/gaps/${g.id}`}>
                        {g.requirementId} {g.title}
                      </Link>
                    </td>
                    <td>{g.reason}</td>
                    <td>
                      <PriorityTag level={g.priority.level} score={g.priority.score} />
                    </td>
                    <td>
                      <GapStatusTag status={g.status} />
                    </td>
                    <td>{formatDate(g.deadline)}</td>
                    <td className="app-numeric">
                      <EstimateText
                        pence={g.estimate.pence}
                        knownPence={g.estimate.knownPence}
                        missing={describeMissing(g.estimate.missing)}
                        vatPence={g.estimate.vatPence}
                        elsewhere={describeElsewhere(g.estimate.elsewhere)}
                      />
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" colSpan={5}>
                    Subtotal ({formatNumber(s.totals.gaps)} {s.totals.gaps === 1 ? "gap" : "gaps"})
                  </th>
                  <td className="app-numeric">
                    <strong>
                      <Subtotal t={s.totals} />
                    </strong>
                  </td>
                </tr>
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
