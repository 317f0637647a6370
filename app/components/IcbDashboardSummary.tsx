import type { ReactNode } from "react";
import { LineChart } from "~/components/charts";
import { HorizontalBars } from "~/components/charts/HorizontalBars";
import { formatNumber, plural } from "~/utils/format";
import { formatScore } from "~/modules/compliance/display";
import { formatPence } from "~/modules/pricing/money";
import type { IcbDashboardPage } from "~/modules/dashboard/service.server";

/**
 * The dashboard page's first two screens (issue 17): four key charts in a grid under the headline
 * figures, each with a sentence, its figures folded beneath it and a link to the detail section,
 * which the page keeps folded below. The report pack prints the full sections instead.
 */
type D = Pick<IcbDashboardPage, "trend" | "gaps" | "pipeline" | "forecast">;

const pounds = (p: number) => formatPence(p, { whole: true });
const shortMonth = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });

function Card({ id, title, lead, detail, children }: { id: string; title: string; lead: ReactNode; detail: string; children: ReactNode }) {
  return (
    <section className="app-key-chart" aria-labelledby={`${id}-key-h`}>
      <h2 id={`${id}-key-h`} className="nhsuk-heading-s">
        {title}
      </h2>
      <p className="nhsuk-body-s">
        {lead} <a href={`#${id}`}>{detail}</a>
      </p>
      {children}
    </section>
  );
}

export function KeyCharts({ d }: { d: D }) {
  const today = d.trend.at(-1);
  const year = d.pipeline[0];
  return (
    <div className="app-key-charts">
      <Card
        id="trend"
        title="Compliance over 12 months"
        lead={<>Weighted score today: {formatScore(today?.score)}.</>}
        detail="Results behind each point"
      >
        <LineChart
          title="ICB compliance score at each month end"
          labelHeading="Date"
          missingText="No results"
          fontSize={13}
          foldFigures
          valueFormat={(v) => `${v.toLocaleString("en-GB", { maximumFractionDigits: 1 })}%`}
          series={[
            {
              name: "Weighted score",
              data: d.trend.map((p, i) => ({ label: i === d.trend.length - 1 ? "Today" : shortMonth(p.date), value: p.score })),
            },
          ]}
        />
      </Card>
      <Card
        id="gaps"
        title="Open gaps by domain"
        lead={<>{`${plural(d.gaps.total.gaps, "open gap")}, ${pounds(d.gaps.total.estimatedPence)} ex VAT.`}</>}
        detail="Gaps by domain and year"
      >
        <HorizontalBars
          size="compact"
          title="Estimated cost of open gaps by domain"
          description="Estimated cost of the ICB's open gaps in each domain; gaps with no estimate are counted beside the amount."
          format={pounds}
          figures={{ labelHeading: "Domain", valueHeading: "Estimated cost (ex VAT)" }}
          bars={d.gaps.byDomain.map((r) => ({
            label: r.label,
            value: r.estimatedPence,
            text: `${pounds(r.estimatedPence)}${r.noEstimate ? ` + ${r.noEstimate} no estimate` : ""}`,
          }))}
        />
      </Card>
      {year ? (
        <Card
          id="pipeline"
          title={`Funding ${year.label}`}
          lead={
            year.budgetPence === null
              ? `${pounds(year.committedPence)} approved or later; no budget set.`
              : `${pounds(year.committedPence)} approved or later of a ${pounds(year.budgetPence)} budget.`
          }
          detail="Both years' pipelines"
        >
          <HorizontalBars
            size="compact"
            title={`Funding pipeline ${year.label}`}
            description={`Amounts of the ICB's funding requests for ${year.label} at each stage${year.budgetPence === null ? "; no budget is set for the year." : `, against a budget of ${pounds(year.budgetPence)} (the dashed line).`}`}
            format={pounds}
            figures={{ labelHeading: "Stage", valueHeading: "Amount (requests)" }}
            marker={year.budgetPence === null ? undefined : { value: year.budgetPence, label: `Budget ${pounds(year.budgetPence)}` }}
            bars={[
              ...year.stages.map((s) => ({ label: s.label, value: s.pence, text: `${pounds(s.pence)} (${s.requests})` })),
              { label: "Approved or later", value: year.committedPence, text: pounds(year.committedPence) },
            ]}
          />
        </Card>
      ) : null}
      <Card
        id="forecast"
        title="What lapses ahead"
        lead={`Changes for the worse within ${d.forecast.horizons.map((h) => `${h.months}`).join(" and ")} months, as the estate stands.`}
        detail="Forecast by year and requirement"
      >
        <HorizontalBars
          size="compact"
          title="Estimated cost of what lapses by each date"
          description="Estimated cost of the requirements that stop being met within 12 and within 24 months; lapses that cannot be priced are counted beside the amount."
          format={pounds}
          figures={{ labelHeading: "Within", valueHeading: "Estimated cost, lapses" }}
          bars={d.forecast.horizons.map((h) => ({
            label: `Within ${h.months} months`,
            value: h.total.estimatedPence,
            text: `${pounds(h.total.estimatedPence)}, ${plural(h.total.lapses, "lapse")}${h.total.noEstimate ? `, ${formatNumber(h.total.noEstimate)} no estimate` : ""}`,
          }))}
        />
      </Card>
    </div>
  );
}

/**
 * A detail section of the dashboard page, folded: one click opens it. A key chart's link to the
 * section's id inside opens it too (browsers unfold a details element for a fragment inside it).
 */
export function Folded({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="nhsuk-details app-dashboard-detail">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{summary}</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}
