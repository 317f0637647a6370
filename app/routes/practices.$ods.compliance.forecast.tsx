import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { StatusTag } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { ContractEventsTable } from "~/components/Contracts";
import { ForecastByYearTable } from "~/components/ForecastByYear";
import { formatScore } from "~/modules/compliance/display";
import { formatPence } from "~/modules/pricing/money";
import { getPracticeForecastPage } from "~/modules/compliance/practice-view.server";
import type { Status } from "~/modules/catalogue/rule-types";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import complianceCss from "~/styles/compliance.css?url";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Forecast – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const forecast = await getPracticeForecastPage(getDb(), practice.ods_code, todayIso());
  return { practice, ...forecast };
});

export default function PracticeForecast() {
  const { practice, asOf, score, horizons, periods, byYear, contracts } = useLoaderData<typeof loader>();
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
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="What will lapse" />
      <p>
        The same checks run on every known future date with today's registers (each device's end of support or servicing, Extended Security
        Updates years, warranty ends and age limits, the telephony contract end, the PSTN switch-off, the smartcard client change), if
        nothing is replaced, renewed or upgraded: when each result changes, how far (more devices out of support), why, and what the extra
        work costs at the ICB's prices. Checks of recent activity (patching and anti-virus updates) are left out, because today's data
        cannot predict them. Nothing here is stored.
      </p>
      {byYear.length ? <ForecastByYearTable caption="Changes for the worse by financial year" rows={byYear} /> : null}
      <div className="app-table-wrap" {...scrollRegion("Score if nothing changes")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            Score if nothing changes (without the patching and anti-virus checks)
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Date</th>
              <th scope="col" className="app-numeric">
                Score
              </th>
              <th scope="col" className="app-numeric">
                Not met
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            <tr>
              <td>Today ({formatDate(asOf)})</td>
              <td className="app-numeric">{formatScore(score.score)}</td>
              <td className="app-numeric">{formatNumber(score.counts.not_met)}</td>
            </tr>
            {horizons.map((h) => (
              <tr key={h.date}>
                <td>{formatDate(h.date)}</td>
                <td className="app-numeric">{formatScore(h.score.score)}</td>
                <td className="app-numeric">{formatNumber(h.score.counts.not_met)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {periods.map((p) => (
        <section key={p.key}>
          <h2>
            {p.key === "12" ? `In the next 12 months (to ${formatDate(p.until)})` : `12 to 24 months ahead (to ${formatDate(p.until)})`}
          </h2>
          {p.rows.length === 0 ? (
            <p>No results change in this period.</p>
          ) : (
            <>
              <p>
                {formatNumber(p.rows.length)} {p.rows.length === 1 ? "change" : "changes"}, {formatNumber(p.lapsing)} of them for the worse.
              </p>
              <div className="app-table-wrap" {...scrollRegion("Changes of result, by date")}>
                <table className="nhsuk-table">
                  <caption className="nhsuk-table__caption nhsuk-table__caption--s">Changes of result, by date</caption>
                  <thead className="nhsuk-table__head">
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Requirement</th>
                      <th scope="col">From</th>
                      <th scope="col">To</th>
                      <th scope="col">What changes</th>
                      <th scope="col" className="app-numeric">
                        Cost of the extra work
                      </th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {p.rows.map((r) => (
                      <tr key={`${r.date}-${r.requirementId}-${r.change}`}>
                        <td>{formatDate(r.date)}</td>
                        <td>
                          <Link to={`${base}/${r.requirementId}`}>
                            {r.requirementId} {r.title}
                          </Link>
                          <div className="app-requirement-meta">{r.domain}</div>
                        </td>
                        <td>
                          <StatusTag status={r.from as Status} />
                        </td>
                        <td>
                          <StatusTag status={r.to as Status} />
                        </td>
                        <td>
                          <div>{r.change}</div>
                          {r.drivers.length ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{r.drivers.join("; ")}</div> : null}
                          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{r.reason}</div>
                        </td>
                        <td className="app-numeric">
                          {!r.worse
                            ? ""
                            : r.estimatePence === null
                              ? `No estimate (${r.missing.join(", ")})`
                              : formatPence(r.estimatePence)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ))}
      <h2>Supplier contracts in the next 24 months</h2>
      {contracts.length === 0 ? (
        <p>
          No recorded <Link to={`/practices/${practice.ods_code}/contracts`}>contract</Link> of this practice needs notice or ends in this
          period.
        </p>
      ) : (
        <>
          <p>
            Each <Link to={`/practices/${practice.ods_code}/contracts`}>contract</Link>&apos;s last day to give notice and its end, with
            what it costs a year. An end with no successor contract recorded is in bold, with the requirements it bears on.
          </p>
          <ContractEventsTable events={contracts} showHolder={false} />
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
