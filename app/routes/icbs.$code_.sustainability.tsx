import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { BarChart } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber, plural, titleCase } from "~/utils/format";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { formatKg, monthLong, monthShort } from "~/modules/paper/format";
import { getIcbSustainability, PRACTICE_PAGE_SIZE } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";
import { Pagination } from "~/components/Pagination";
import { pageFromUrl, pageOfList } from "~/utils/pagination";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Sustainability – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const { practices, ...figures } = await getIcbSustainability(getDb(), icb.code, todayIso(), url.searchParams.get("pcn"));
  // Ranked over the whole ICB (or PCN) by the service; only this page's practices are sent.
  const { rows, ...practicePage } = pageOfList(practices, pageFromUrl(url), PRACTICE_PAGE_SIZE);
  return { icb, ...figures, practices: rows, practicePage };
});

const missingTag = (why: string | null) => (
  <>
    <strong className="nhsuk-tag nhsuk-tag--grey">Missing</strong> <span className="nhsuk-body-s">{why}</span>
  </>
);
const rate = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 1 });

export default function IcbSustainability() {
  const d = useLoaderData<typeof loader>();
  const base = `/icbs/${d.icb.code}/sustainability`;
  const paged = d.practicePage.pageCount > 1;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(d.icb.name) || d.icb.code, to: `/icbs/${d.icb.code}` },
        ]}
      />
      <span className="nhsuk-caption-l">{titleCase(d.icb.name) || d.icb.code}</span>
      <h1>{d.pcn ? `Paper and carbon in ${titleCase(d.pcn.name)}` : "Paper and carbon across the ICB"}</h1>
      {d.pcn ? (
        <p>
          <Link to={base}>Back to the whole ICB</Link>
        </p>
      ) : null}
      <p>
        Carbon from paper, printing and post over the 12 months from {monthLong(d.from)} to {monthLong(d.to)}, per 1,000 registered
        patients, lowest first. A practice with any month missing, or no list size, is shown as missing rather than ranked. PCN figures
        cover their practices with all 12 months.
      </p>
      <p>
        {formatNumber(d.totals.complete)} of {plural(d.totals.practices, "practice")} {d.totals.complete === 1 ? "has" : "have"} all 12
        months.{" "}
        {d.totals.per1000 === null
          ? "No figure for the year yet."
          : `Those practices together over the year: ${formatKg(d.totals.kg)}, ${formatKg(d.totals.per1000)} per 1,000 patients.`}
      </p>
      {d.totals.listSizes.months.length || d.totals.listSizes.unknown ? (
        <p id="list-size-vintage" className={d.totals.listSizes.mixed ? "nhsuk-inset-text" : undefined}>
          {d.totals.listSizes.mixed
            ? "These figures mix list sizes counted at different times: "
            : "Patient numbers are the list sizes counted in "}
          {[
            ...d.totals.listSizes.months.map(monthLong),
            ...(d.totals.listSizes.unknown ? [`${formatNumber(d.totals.listSizes.unknown)} with no date`] : []),
          ].join(", ")}
          .{d.totals.listSizes.mixed ? " Rates per 1,000 patients compare best between practices counted in the same month." : ""}
        </p>
      ) : null}
      <p>
        Download the practice ranking: <a href={`${base}/export?format=csv${d.pcn ? `&pcn=${d.pcn.code}` : ""}`}>CSV</a> or{" "}
        <a href={`${base}/export?format=xlsx${d.pcn ? `&pcn=${d.pcn.code}` : ""}`}>Excel (XLSX)</a>.
      </p>

      <h2>Month by month</h2>
      <BarChart
        title="kg CO2e per 1,000 patients by month, practices reporting that month"
        labelHeading="Month"
        data={d.monthly.map((m) => ({ label: monthShort(m.month), value: m.per1000 }))}
        valueFormat={rate}
      >
        <p className="nhsuk-body-s">
          Practices reporting each month (of {formatNumber(d.totals.practices)}):{" "}
          {d.monthly.map((m) => `${monthShort(m.month)} ${formatNumber(m.reporting)}`).join(", ")}.
        </p>
      </BarChart>

      <h2>PCNs</h2>
      <BarChart
        title="kg CO2e per 1,000 patients by PCN"
        labelHeading="PCN"
        data={d.pcns.map((p) => ({ label: titleCase(p.name), value: p.per1000 }))}
        valueFormat={rate}
      />
      <div className="app-table-wrap" {...scrollRegion("PCNs ranked by kg CO2e per 1,000 patients")}>
        <table className="nhsuk-table" id="pcn-ranking">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">PCNs ranked by kg CO2e per 1,000 patients</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">PCN</th>
              <th scope="col" className="app-numeric">
                Practices with 12 months
              </th>
              <th scope="col" className="app-numeric">
                kg CO2e
              </th>
              <th scope="col" className="app-numeric">
                Per 1,000 patients
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.pcns.map((p) => (
              <tr key={p.code}>
                <td>
                  <Link to={`${base}?pcn=${p.code}`}>{titleCase(p.name)}</Link> ({p.code})
                </td>
                <td className="app-numeric">
                  {p.complete} of {p.practices}
                </td>
                <td className="app-numeric">{p.kg === null ? "–" : formatKg(p.kg, "")}</td>
                <td className="app-numeric">
                  {p.per1000 === null ? (
                    missingTag(p.missing)
                  ) : (
                    <>
                      {rate(p.per1000)}
                      {p.missing ? <span className="nhsuk-body-s"> ({p.missing})</span> : null}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Practices</h2>
      {paged ? (
        <p className="nhsuk-body-s">
          Ranked over {d.pcn ? "the whole PCN" : "the whole ICB"}, {formatNumber(d.practicePage.pageSize)} practices a page. The downloads
          hold every practice.
        </p>
      ) : null}
      <div className="app-table-wrap" {...scrollRegion("Practices ranked by kg CO2e per 1,000 patients")}>
        <table className="nhsuk-table" id="practice-ranking">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Practices ranked by kg CO2e per 1,000 patients</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col" className="app-numeric">
                Rank
              </th>
              <th scope="col">Practice</th>
              <th scope="col">PCN</th>
              <th scope="col" className="app-numeric">
                Patients
              </th>
              <th scope="col">Counted</th>
              <th scope="col" className="app-numeric">
                kg CO2e
              </th>
              <th scope="col" className="app-numeric">
                Per 1,000 patients
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.practices.map((p) => (
              <tr key={p.ods_code}>
                <td className="app-numeric">{p.rank ?? "–"}</td>
                <td>
                  <Link to={`/practices/${p.ods_code}/paper`}>{titleCase(p.name)}</Link> ({p.ods_code})
                </td>
                <td>{p.pcn_name ? titleCase(p.pcn_name) : "–"}</td>
                <td className="app-numeric">{formatNumber(p.list_size) || "Not known"}</td>
                <td>{p.list_size_month ? monthLong(p.list_size_month) : "–"}</td>
                <td className="app-numeric">{p.kg === null ? "–" : formatKg(p.kg, "")}</td>
                <td className="app-numeric">{p.per1000 === null ? missingTag(p.missing) : rate(p.per1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination
        page={d.practicePage.page}
        pageCount={d.practicePage.pageCount}
        total={d.practicePage.total}
        noun={d.practicePage.total === 1 ? "practice" : "practices"}
        label="Pagination of the practice ranking"
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
