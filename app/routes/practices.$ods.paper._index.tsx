import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { BarChart, LineChart } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/components/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { formatCount, formatKg, formatPounds, monthLong, monthShort } from "~/modules/paper/format";
import { LG_LABELS } from "~/modules/paper/schema";
import { getPaperPage } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { handle } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageTitle } from "~/utils/page-title";
import { DoneBanner } from "~/components/DoneBanner";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Paper and carbon", titleCase(data?.practice.name) || "Practice") },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { practice, canEditPracticeEstate, user } = await requirePracticeAccess(request, params.ods);
  const url = new URL(request.url);
  const page = await handle(() => getPaperPage(getDb(), practice, todayIso(), url.searchParams.get("baseline")));
  return {
    practice,
    canEdit: canEditPracticeEstate,
    isAdmin: user.memberships.some((m) => m.role === "admin"),
    saved: url.searchParams.get("saved"),
    ...page,
  };
}

const yesNo = (v: boolean | null | undefined) => (v === true ? "Yes" : v === false ? "No" : "Not known");
const kg1 = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 1 });

export default function PaperPage() {
  const d = useLoaderData<typeof loader>();
  const { practice, canEdit } = d;
  const base = `/practices/${practice.ods_code}/paper`;
  const recent = d.monthly.slice(-24);
  const lg = d.lloydGeorge;
  // A whole-practice record spanning several months is changed from its first month.
  const coveringStart = (month: string) =>
    d.activity
      .find((a) => a.site_code === null && a.period_start.slice(0, 7) <= month && a.period_end.slice(0, 7) >= month)
      ?.period_start.slice(0, 7) ?? month;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <DoneBanner messages={{ "lloyd-george": "Lloyd George record counts saved." }} />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Paper and carbon" />
      <p>
        Paper records, printing and post, and the carbon they cause. The NHS aims for net zero by 2040 for the emissions it controls
        directly (here, printer electricity) and by 2045 for the supply chain it can influence (paper, post and messaging: the NHS Carbon
        Footprint Plus). Practice managers keep these figures up to date; a month with figures missing is shown as missing, never as zero.
      </p>
      {d.saved ? (
        <div className="nhsuk-inset-text" role="status">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>Saved the figures for {monthLong(d.saved)}.</p>
        </div>
      ) : null}

      <h2>The last 12 months</h2>
      <SummaryList
        rows={[
          [
            "Carbon from paper, printing and post",
            d.rolling.kg === null ? (
              <>
                <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> {12 - d.rolling.recorded} of the last 12 months have no
                complete figures ({d.rolling.missingMonths.map(monthShort).join(", ")})
              </>
            ) : (
              <span id="rolling-kg">{formatKg(d.rolling.kg)}</span>
            ),
          ],
          ["Per 1,000 registered patients", d.per1000 === null ? "Missing" : formatKg(d.per1000)],
          [
            "Registered patients",
            d.listSize === null
              ? formatCount(d.listSize)
              : `${formatCount(d.listSize)}${d.listSizeDate ? ` (counted ${formatDate(d.listSizeDate)})` : " (date not known)"}`,
          ],
        ]}
      />
      {canEdit ? (
        <div className="nhsuk-button-group">
          <Link className="nhsuk-button" to={`${base}/activity`}>
            Record a month
          </Link>
          <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/import`}>
            Import from a spreadsheet
          </Link>
        </div>
      ) : null}

      <h2>Emissions by month</h2>
      <BarChart
        title="Carbon from paper, printing and post by month (kg CO2e)"
        labelHeading="Month"
        data={recent.map((m) => ({ label: monthShort(m.month), value: m.kg }))}
        valueFormat={kg1}
      />
      <h3>The figures behind each month</h3>
      <div className="app-table-wrap" {...scrollRegion("Paper and post recorded, and the carbon worked out from them")}>
        <table className="nhsuk-table" id="paper-months">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            Paper and post recorded, and the carbon worked out from them
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="app-numeric">
                Sheets printed
              </th>
              <th scope="col" className="app-numeric">
                Recycled
              </th>
              <th scope="col" className="app-numeric">
                Letters posted
              </th>
              <th scope="col" className="app-numeric">
                Digital messages
              </th>
              <th scope="col" className="app-numeric">
                Paper and printing
              </th>
              <th scope="col" className="app-numeric">
                Post
              </th>
              <th scope="col" className="app-numeric">
                Total kg CO2e
              </th>
              {canEdit ? (
                <th scope="col">
                  <span className="nhsuk-u-visually-hidden">Action</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {[...recent].reverse().map((m) => (
              <tr key={m.month} id={`month-${m.month}`}>
                <th scope="row">{monthLong(m.month)}</th>
                {m.status === "missing" && m.missing[0] === "nothing recorded" ? (
                  <td colSpan={7}>
                    <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> nothing recorded
                  </td>
                ) : (
                  <>
                    <td className="app-numeric">{formatCount(m.inputs.sheets)}</td>
                    <td className="app-numeric">
                      {m.inputs.sheets ? `${Math.round((m.inputs.recycledSheets / m.inputs.sheets) * 100)}%` : "–"}
                    </td>
                    <td className="app-numeric">{formatCount(m.inputs.letters)}</td>
                    <td className="app-numeric">{formatCount(m.inputs.digital)}</td>
                    <td className="app-numeric">{m.parts ? kg1(m.parts.paper + m.parts.printing) : "–"}</td>
                    <td className="app-numeric">{m.parts ? kg1(m.parts.post + m.parts.digital) : "–"}</td>
                    <td className="app-numeric">
                      {m.kg === null ? (
                        <>
                          <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong>{" "}
                          <span className="nhsuk-body-s">{m.missing.join(", ")}</span>
                        </>
                      ) : (
                        kg1(m.kg)
                      )}
                    </td>
                  </>
                )}
                {canEdit ? (
                  <td>
                    <Link to={`${base}/activity?month=${coveringStart(m.month)}`}>
                      {m.status === "missing" && m.missing[0] === "nothing recorded" ? "Record" : "Change"}
                      <span className="nhsuk-u-visually-hidden"> {monthLong(m.month)}</span>
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.activity.some((a) => a.site_code) ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            Figures recorded for a single site (included in the months above)
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Site</th>
              <th scope="col" className="app-numeric">
                Sheets printed
              </th>
              <th scope="col" className="app-numeric">
                Letters posted
              </th>
              {canEdit ? (
                <th scope="col">
                  <span className="nhsuk-u-visually-hidden">Action</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.activity
              .filter((a) => a.site_code)
              .reverse()
              .map((a) => (
                <tr key={a.id}>
                  <td>
                    {monthLong(a.period_start.slice(0, 7))}
                    {a.period_end.slice(0, 7) !== a.period_start.slice(0, 7) ? ` to ${monthLong(a.period_end.slice(0, 7))}` : ""}
                  </td>
                  <td>{a.site_code}</td>
                  <td className="app-numeric">{formatCount(a.sheets_printed)}</td>
                  <td className="app-numeric">{formatCount(a.letters_posted)}</td>
                  {canEdit ? (
                    <td>
                      <Link to={`${base}/activity?month=${a.period_start.slice(0, 7)}&site=${a.site_code}`}>
                        Change
                        <span className="nhsuk-u-visually-hidden">
                          {" "}
                          {monthLong(a.period_start.slice(0, 7))} at site {a.site_code}
                        </span>
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
      <p>
        Download every recorded period with its inputs, its carbon and the factor versions used:{" "}
        <a href={`${base}/export?format=csv`}>CSV</a> or <a href={`${base}/export?format=xlsx`}>Excel (XLSX)</a>.
      </p>

      <h2>Emissions by year</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          Calendar years (the current year up to {monthLong(d.lastMonth)})
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Year</th>
            <th scope="col" className="app-numeric">
              Months recorded
            </th>
            <th scope="col" className="app-numeric">
              kg CO2e
            </th>
            <th scope="col" className="app-numeric">
              Scaled to a full year
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {d.years.map((y) => (
            <tr key={y.year}>
              <th scope="row">{y.year}</th>
              <td className="app-numeric">
                {y.recorded} of {y.months}
              </td>
              <td className="app-numeric">
                {y.kg === null ? (
                  <>
                    <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong>{" "}
                    <span className="nhsuk-body-s">
                      {y.months - y.recorded} {y.months - y.recorded === 1 ? "month" : "months"} without figures
                    </span>
                  </>
                ) : (
                  formatKg(y.kg, "")
                )}
              </td>
              <td className="app-numeric">
                {y.annualised === null
                  ? "–"
                  : y.months < 12
                    ? `${formatKg(y.annualised, "")} (from ${y.months} months)`
                    : formatKg(y.annualised, "")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Net zero trajectory</h2>
      {d.trajectory ? (
        <>
          <p>
            A straight line from {d.trajectory.baselineYear} ({formatKg(d.trajectory.baselineKg)}
            {d.years.find((y) => y.year === d.trajectory!.baselineYear)?.months !== 12 ? ", scaled to a full year" : ""}) to zero in{" "}
            {d.trajectory.netZeroYear}: printing energy ({formatKg(d.trajectory.baselineDirectKg)}) falls to zero by{" "}
            {d.trajectory.netZeroDirectYear}, paper, post and messages by {d.trajectory.netZeroPlusYear}.
          </p>
          {d.baselineOptions.length > 1 ? (
            <Form method="get" className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="baseline">
                Baseline year
              </label>
              <select className="nhsuk-select" id="baseline" name="baseline" defaultValue={d.trajectory.baselineYear}>
                {d.baselineOptions.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>{" "}
              <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
                Show
              </button>
            </Form>
          ) : null}
          <LineChart
            title="Yearly carbon against the net zero line (kg CO2e)"
            labelHeading="Year"
            valueFormat={kg1}
            missingText="Not yet"
            series={[
              { name: "Recorded (scaled to a year)", data: d.trajectory.rows.map((r) => ({ label: String(r.year), value: r.actual })) },
              {
                name: `Straight line to zero by ${d.trajectory.netZeroYear}`,
                dashed: true,
                data: d.trajectory.rows.map((r) => ({ label: String(r.year), value: r.target })),
              },
            ]}
          />
        </>
      ) : (
        <p>
          <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> No year has figures for every month yet, so there is no baseline to
          draw the line from.
        </p>
      )}

      <h2>What the practice could save each year</h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <div className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">Digitising the remaining Lloyd George records</h3>
              {d.savings.lloydGeorge.status === "ok" ? (
                <p className="nhsuk-card__description">
                  {formatCount(d.savings.lloydGeorge.records)} records still on paper only. Scanning and destroying every envelope frees
                  about {d.savings.lloydGeorge.floorM2.toLocaleString("en-GB", { maximumFractionDigits: 1 })} m² of floor
                  {d.savings.lloydGeorge.floorFromSites
                    ? " (the records storage recorded for the sites)"
                    : " (estimated from the number of envelopes)"}
                  : about <strong>{formatKg(d.savings.lloydGeorge.kgPerYear)}</strong> and{" "}
                  <strong>{formatPounds(d.savings.lloydGeorge.pencePerYear, true)}</strong> a year.
                </p>
              ) : (
                <p className="nhsuk-card__description">
                  <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> Needs: {d.savings.lloydGeorge.missing.join(", ")}.
                </p>
              )}
            </div>
          </div>
        </div>
        <div className="nhsuk-grid-column-one-half">
          <div className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">Moving letters to digital messages</h3>
              {d.savings.letters.status === "ok" ? (
                <p className="nhsuk-card__description" id="letter-savings">
                  About {formatCount(d.savings.letters.lettersPerYear)} letters and {formatCount(d.savings.letters.digitalPerYear)} digital
                  messages a year
                  {d.savings.letters.annualisedFrom < 12 ? ` (scaled from ${d.savings.letters.annualisedFrom} months)` : ""}.{" "}
                  {d.savings.letters.lettersMoved > 0 ? (
                    <>
                      Sending {Math.round(d.savings.letters.targetShare * 100)}% digitally (the local target) means{" "}
                      {formatCount(d.savings.letters.lettersMoved)} fewer letters: about{" "}
                      <strong>{formatKg(d.savings.letters.kgPerYear)}</strong> and{" "}
                      <strong>{formatPounds(d.savings.letters.pencePerYear, true)}</strong> a year.
                    </>
                  ) : (
                    <>
                      The practice already sends at least {Math.round(d.savings.letters.targetShare * 100)}% digitally (the local target).
                    </>
                  )}{" "}
                  Moving every remaining letter would save at most {formatKg(d.savings.letters.allLettersKg)} and{" "}
                  {formatPounds(d.savings.letters.allLettersPence, true)} a year.
                </p>
              ) : (
                <p className="nhsuk-card__description">
                  <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> Needs: {d.savings.letters.missing.join(", ")}.
                </p>
              )}
            </div>
          </div>
        </div>
      </div>

      <h2>Lloyd George records</h2>
      {lg ? (
        <SummaryList
          rows={[
            [LG_LABELS.envelopes_on_site, formatCount(lg.envelopes_on_site)],
            [LG_LABELS.envelopes_elsewhere, formatCount(lg.envelopes_elsewhere)],
            [LG_LABELS.digitised, formatCount(lg.digitised)],
            [LG_LABELS.destroyed, formatCount(lg.destroyed)],
            ["Records in all", formatCount(d.counts.total)],
            ["Still on paper only", formatCount(d.counts.notDigitised)],
            ["Scanned, envelope not yet destroyed", formatCount(d.counts.awaitingDestruction)],
            [LG_LABELS.new_envelopes_since_2021, formatCount(lg.new_envelopes_since_2021)],
            [
              "Digitisation contract",
              lg.supplier || lg.contract_start || lg.contract_end
                ? `${lg.supplier ?? "Supplier not known"}, ${lg.contract_start ? formatDate(lg.contract_start) : "start not known"} to ${lg.contract_end ? formatDate(lg.contract_end) : "end not known"}`
                : "None recorded",
            ],
            [LG_LABELS.supplier_approved, yesNo(lg.supplier_approved)],
            [LG_LABELS.destruction_approved_on, lg.destruction_approved_on ? formatDate(lg.destruction_approved_on) : "Not recorded"],
            ["Notes", lg.notes],
          ]}
        />
      ) : (
        <p>No Lloyd George record counts have been recorded for this practice yet.</p>
      )}
      {canEdit ? (
        <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/lloyd-george`}>
          {lg ? "Change the Lloyd George records" : "Record the Lloyd George records"}
        </Link>
      ) : null}
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Floor area used for paper records, by site</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Site</th>
            <th scope="col" className="app-numeric">
              Records storage (m²)
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {d.sites.map((s) => (
            <tr key={s.code}>
              <td>
                <Link to={`/practices/${practice.ods_code}/sites/${s.code}`}>{titleCase(s.name)}</Link> ({s.code})
                {s.close_date ? " – closed" : ""}
              </td>
              <td className="app-numeric">{s.records_storage_m2 === null ? "Not known" : s.records_storage_m2.toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Factors in force today</h2>
      <p>
        Each period is worked out with the factor versions in force on its first day, so a new version changes only periods from its
        effective date.
        {d.isAdmin ? (
          <>
            {" "}
            <Link to="/admin/emission-factors">Manage emission factors</Link>
          </>
        ) : null}
      </p>
      <div className="app-table-wrap" {...scrollRegion("Emission factors")}>
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Factor</th>
              <th scope="col" className="app-numeric">
                Value
              </th>
              <th scope="col">Since</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.factors.map((f) => (
              <tr key={f.id}>
                <td>{f.label}</td>
                <td className="app-numeric">
                  {f.value.toLocaleString("en-GB")} {f.unit}
                </td>
                <td>{formatDate(f.effective_from)}</td>
                <td className="nhsuk-body-s">
                  {f.is_assumption ? <strong className="nhsuk-tag nhsuk-tag--yellow">Assumption</strong> : null} {f.source}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>History</h2>
      <History events={d.history} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
