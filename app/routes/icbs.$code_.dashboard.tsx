import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { ForecastSection, GapsSection, Headlines, PipelineSection, RiskSection, TrendSection } from "~/components/IcbDashboard";
import { Folded, KeyCharts } from "~/components/IcbDashboardSummary";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { getIcbDashboard, pageFigures } from "~/modules/dashboard/service.server";
import complianceCss from "~/styles/compliance.css?url";
import dashboardCss from "~/styles/dashboard.css?url";
import { getDb } from "~/utils/db.server";
import { scopeCoversIcb, scopeFor } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: complianceCss },
  { rel: "stylesheet", href: dashboardCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Dashboard – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

/** The commissioner's view of one ICB: anyone who may read the ICB (404 outside their scope). */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  // The 20 highest-priority gaps are the report pack's; this page links to the gap register.
  const { topGaps: _topGaps, ...dashboard } = pageFigures(await getIcbDashboard(getDb(), icb, scope, todayIso()));
  return { ...dashboard, canExport: scopeCoversIcb(scopeFor(user.memberships, "report:export"), icb.code) };
});

export default function IcbDashboardPage() {
  const d = useLoaderData<typeof loader>();
  const code = d.icb.code;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(d.icb.name) || code, to: `/icbs/${code}` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(d.icb.name)} ({code})
      </span>
      <h1>Commissioner dashboard</h1>
      <p>
        Figures for {formatDate(d.today)}: the headline figures and four key charts, with the detail of each folded below.
        {d.canExport ? (
          <>
            {" "}
            <Link to={`/icbs/${code}/report`}>Report pack (printable board paper)</Link> ·{" "}
            <a href={`/icbs/${code}/dashboard/export?format=xlsx`}>Download as XLSX</a> (one sheet per view) ·{" "}
            <a href={`/icbs/${code}/dashboard/export?format=csv`}>Download headline and gaps by domain as CSV</a>
          </>
        ) : null}
      </p>
      <Headlines d={d} />
      <KeyCharts d={d} />
      <h2 className="nhsuk-heading-m">The detail</h2>
      <Folded summary="Compliance over the last 12 months: the results behind each point">
        <TrendSection d={d} keyed />
      </Folded>
      <Folded summary="Open gaps and their estimated cost, by domain and by financial year">
        <GapsSection d={d} keyed />
      </Folded>
      <Folded summary="Funding pipeline, this financial year and next">
        <PipelineSection d={d} keyed />
      </Folded>
      <Folded summary="Unsupported operating systems and analogue telephony by PCN">
        <RiskSection d={d} />
      </Folded>
      <Folded summary="What lapses in the next 12 and 24 months">
        <ForecastSection d={d} keyed />
      </Folded>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
