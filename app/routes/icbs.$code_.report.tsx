import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import {
  ForecastSection,
  GapsSection,
  Headlines,
  MethodNotes,
  PipelineSection,
  RiskSection,
  TopGapsSection,
  TrendSection,
} from "~/components/IcbDashboard";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { getIcbDashboard, pageFigures } from "~/modules/dashboard/service.server";
import { unpackRiskRows } from "~/modules/dashboard/risk-rows";
import dashboardCss from "~/styles/dashboard.css?url";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { cssString } from "~/utils/css-string";
import { useNonce } from "~/utils/nonce";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Report pack ${data ? formatDate(data.today) : ""} – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

/**
 * The board paper: the dashboard's figures, the 20 highest-priority gaps and the method notes,
 * laid out for printing (dashboard.css print rules). It is an export, so it needs report:export
 * (403 without it) for this ICB (404 outside the user's scope).
 */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "report:export");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const dashboard = pageFigures(await getIcbDashboard(getDb(), icb, scope, todayIso()));
  return { ...dashboard, preparedBy: user.name };
});

/**
 * The running footer on every printed page: the ICB and date on the left (this paper's own text,
 * so a per-request style carrying the CSP nonce), the page number on the right (dashboard.css).
 */
function PrintFooter({ text }: { text: string }) {
  const nonce = useNonce();
  // As raw text: React would HTML-escape the quotes, which a <style> element does not unescape.
  // cssString escapes "<" and ">", so the text cannot close the element.
  return (
    <style nonce={nonce} dangerouslySetInnerHTML={{ __html: `@media print { @page { @bottom-left { content: ${cssString(text)}; } } }` }} />
  );
}

function PrintButton() {
  return (
    <button type="button" className="nhsuk-button nhsuk-button--secondary app-no-print" onClick={() => window.print()}>
      Print or save as PDF
    </button>
  );
}

export default function IcbReportPack() {
  const d = useLoaderData<typeof loader>();
  const code = d.icb.code;
  const name = titleCase(d.icb.name) || code;
  // "No PCN" gathers practices outside any PCN: it is not a PCN, so it is not counted as one.
  const pcnCount = d.risk.rows.filter(([pcnCode]) => pcnCode).length;
  const unassigned = unpackRiskRows(d.risk.rows).find((r) => !r.pcn_code);
  return (
    <>
      <PrintFooter text={`${name} · Board paper · ${formatDate(d.today)}`} />
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: name, to: `/icbs/${code}` },
          { label: "Dashboard", to: `/icbs/${code}/dashboard` },
        ]}
      />
      <PrintButton />
      <article>
        <header className="app-report-section app-report-section--first">
          <span className="nhsuk-caption-l">Board paper</span>
          <h1>GP digital estate: compliance, gaps and funding in {name}</h1>
          <dl className="nhsuk-summary-list app-report-meta">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Date</dt>
              <dd className="nhsuk-summary-list__value">{formatDate(d.today)}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Scope</dt>
              <dd className="nhsuk-summary-list__value">
                {name} ({code}): {formatNumber(d.headline.practices)} open practices in {formatNumber(pcnCount)} PCNs
                {unassigned ? `, and ${formatNumber(unassigned.practices)} not in a PCN` : ""}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Prepared by</dt>
              <dd className="nhsuk-summary-list__value">{d.preparedBy}, from the GP digital estate service</dd>
            </div>
          </dl>
          <h2>Headline figures</h2>
          <Headlines d={d} />
          <p className="app-no-print">
            <Link to={`/icbs/${code}/dashboard`}>Back to the dashboard</Link> ·{" "}
            <a href={`/icbs/${code}/dashboard/export?format=xlsx`}>Download the figures as XLSX</a>
          </p>
        </header>
        <TrendSection d={d} report />
        <GapsSection d={d} report />
        <TopGapsSection d={d} report />
        <PipelineSection d={d} report />
        <RiskSection d={d} report />
        <ForecastSection d={d} report />
        <MethodNotes d={d} report />
      </article>
      <PrintButton />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
