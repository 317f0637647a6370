import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { BarChart } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { formatCount, formatKg, monthShort } from "~/modules/paper/format";
import { getPaperPage } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { pageTitle } from "~/utils/page-title";
import { PaperMonths } from "~/components/paper/PaperMonths";
import { LloydGeorgeRecords, PaperFactors } from "~/components/paper/PaperRecords";
import { PaperSavings } from "~/components/paper/PaperSavings";
import { PaperYears } from "~/components/paper/PaperYears";
import { kg1 } from "~/components/paper/types";
import { Tag } from "~/components/Tag";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Paper and carbon", titleCase(data?.practice.name) || "Practice") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditPracticeEstate, user } = await requirePracticeAccess(request, params.ods);
  const url = new URL(request.url);
  const page = await getPaperPage(getDb(), practice, todayIso(), url.searchParams.get("baseline"));
  return {
    practice,
    canEdit: canEditPracticeEstate,
    isAdmin: user.memberships.some((m) => m.role === "admin"),
    ...page,
  };
});

export default function PaperPage() {
  const d = useLoaderData<typeof loader>();
  const { practice, canEdit } = d;
  const base = `/practices/${practice.ods_code}/paper`;
  const recent = d.monthly.slice(-24);
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Paper and carbon" />
      <p>
        Paper records, printing and post, and the carbon they cause. The NHS aims for net zero by 2040 for the emissions it controls
        directly (here, printer electricity) and by 2045 for the supply chain it can influence (paper, post and messaging: the NHS Carbon
        Footprint Plus). Practice managers keep these figures up to date; a month with figures missing is shown as missing, never as zero.
      </p>

      <h2>The last 12 months</h2>
      <SummaryList
        rows={[
          [
            "Carbon from paper, printing and post",
            d.rolling.kg === null ? (
              <>
                <Tag colour="grey">Missing</Tag> {12 - d.rolling.recorded} of the last 12 months have no complete figures (
                {d.rolling.missingMonths.map(monthShort).join(", ")})
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
      <PaperMonths d={d} base={base} canEdit={canEdit} />
      <p>
        Download every recorded period with its inputs, its carbon and the factor versions used:{" "}
        <a href={`${base}/export?format=csv`}>CSV</a> or <a href={`${base}/export?format=xlsx`}>Excel (XLSX)</a>.
      </p>

      <PaperYears d={d} />
      <PaperSavings savings={d.savings} />
      <LloydGeorgeRecords d={d} ods={practice.ods_code} base={base} canEdit={canEdit} />
      <PaperFactors factors={d.factors} isAdmin={d.isAdmin} />

      <h2>History</h2>
      <History events={d.history} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
