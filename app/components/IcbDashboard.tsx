import { Link } from "~/components/Link";
import { RequestTotalsTable } from "~/components/funding/RequestTotalsTable";
import { unpackRiskRows, type PageRiskRow } from "~/modules/dashboard/risk-rows";
import { unpackLapseRows } from "~/modules/dashboard/lapse-rows";
import type { ReactElement, ReactNode } from "react";
import { LineChart } from "~/components/charts";
import { HorizontalBars } from "~/components/charts/HorizontalBars";
import { formatDate, formatNumber, plural, titleCase } from "~/utils/format";
import { PriorityTag } from "~/components/Gaps";
import { ForecastByYearTable } from "~/components/ForecastByYear";
import { DOMAINS, requirementById, type Domain } from "~/modules/catalogue";
import { formatScore } from "~/modules/compliance/display";
import { GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { recurringText } from "~/modules/pricing/annual-limits";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import type { IcbDashboardPage } from "~/modules/dashboard/service.server";
import type { PriorityLevel } from "~/modules/gaps/priority";
import type { GapStatus } from "#db/types";
import type { Funder } from "~/modules/catalogue";
import { scrollRegion } from "~/components/scroll-region";

/**
 * The sections of the ICB dashboard, shared by the dashboard page and the printable report
 * pack. Each chart is drawn on the server and followed by a table of the same figures with
 * links into the detail pages; every table's total row is the sum of its rows.
 */
// Loader data arrives serialised; these are the shapes the components read.
type D = Pick<
  IcbDashboardPage,
  "headline" | "trend" | "gaps" | "pipeline" | "risk" | "forecast" | "localEstimateGaps" | "today" | "financialYear"
> & {
  icb: { code: string; name: string | null };
  /** The report pack's list (the dashboard page does not show it, so its loader leaves it out). */
  topGaps?: IcbDashboardPage["topGaps"];
};

/**
 * PCNs drawn in each bar chart of the risk section: the ones with most, largest first. A large
 * ICB has 60 or more PCNs (QOP 66), and two charts of every PCN were about 40 KB of a page that
 * also lists every PCN, with its links, in the table below the charts.
 */
export const RISK_CHART_PCNS = 15;

function mostFirst<T>(rows: readonly T[], compare: (a: T, b: T) => number) {
  return [...rows].sort(compare).slice(0, RISK_CHART_PCNS);
}

/*
 * The risk charts' orders and bars as module-level functions, not closures made on each render:
 * V8 drops the optimized code of closures made per request at every full collection
 * (docs/performance.md, session 16, optimized code dropped at every full collection).
 */
const notCloud = (r: PageRiskRow) => r.telephonyAnalogue + r.telephonyOnPremises;
const mostUnsupported = (a: PageRiskRow, b: PageRiskRow) => b.unsupported - a.unsupported;
const mostNotCloud = (a: PageRiskRow, b: PageRiskRow) => notCloud(b) - notCloud(a);
const unsupportedBar = (r: PageRiskRow) => ({
  label: titleCase(r.pcn_name),
  value: r.unsupported,
  text: `${formatNumber(r.unsupported)} of ${formatNumber(r.devicesInUse)}`,
});
const telephonyBar = (r: PageRiskRow) => ({
  label: titleCase(r.pcn_name),
  value: notCloud(r),
  text: `${formatNumber(r.telephonyAnalogue)} analogue, ${formatNumber(r.telephonyOnPremises)} on-premises`,
});

const pounds = (p: number) => formatPence(p, { whole: true });
const qs = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") s.set(k, String(v));
  return s.toString();
};
export const gapsHref = (icb: string, params: Record<string, string | number | undefined> = {}) => `/gaps?${qs({ icb, ...params })}`;
export const requestsHref = (icb: string, params: Record<string, string | number | undefined> = {}) =>
  `/funding-requests?${qs({ icb, ...params })}`;

function Section({ id, title, children, report }: { id: string; title: string; children: ReactNode; report?: boolean }) {
  return (
    <section id={id} aria-labelledby={`${id}-h`} className={`app-dashboard-section${report ? " app-report-section" : ""}`}>
      <h2 id={`${id}-h`}>{title}</h2>
      {children}
    </section>
  );
}

export function Headlines({ d }: { d: D }) {
  const h = d.headline;
  const code = d.icb.code;
  const fyLabel = d.pipeline[0]?.label ?? "";
  const items: { figure: string; label: string; detail?: string; href: string }[] = [
    {
      figure: formatNumber(h.practices),
      label: "open practices",
      detail: `${formatNumber(h.practicesChecked)} checked`,
      href: `/icbs/${code}/compliance`,
    },
    {
      figure: formatScore(h.score),
      label: "overall compliance score",
      detail: `weighted, ${formatDate(d.today)}`,
      href: `/icbs/${code}/compliance`,
    },
    { figure: formatNumber(h.openGaps), label: "open gaps", detail: `${formatNumber(h.highPriority)} high priority`, href: gapsHref(code) },
    {
      figure: pounds(h.estimatedPence),
      label: "estimated cost of open gaps (ex VAT)",
      detail:
        `${pounds(h.estimatedPence + h.vatPence)} inc VAT; ` +
        (h.noEstimate ? `plus ${plural(h.noEstimate, "gap")} with no estimate` : "every gap has an estimate"),
      href: gapsHref(code),
    },
    {
      figure: pounds(h.requestedPence),
      label: `requested for ${fyLabel}`,
      detail:
        h.budgetPence === null
          ? "no budget set for the year"
          : `against a budget of ${pounds(h.budgetPence)} (${pounds(h.committedPence)} approved or later)`,
      href: requestsHref(code, { year: d.financialYear }),
    },
  ];
  return (
    <ul className="app-headlines" aria-label="Headline figures">
      {items.map((i) => (
        <li className="app-headline" key={i.label}>
          <Link discover="none" to={i.href} className="app-headline__figure">
            {i.figure}
          </Link>
          <span className="app-headline__label">{i.label}</span>
          {i.detail ? <span className="app-headline__detail">{i.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}

const shortMonth = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });

/**
 * `keyed`: the dashboard page already shows this section's main chart among its key charts
 * (IcbDashboardSummary.tsx), so the folded section leaves it out rather than draw it twice.
 */
type SectionProps = { d: D; report?: boolean; keyed?: boolean };

export function TrendSection({ d, report, keyed }: SectionProps) {
  const last = d.trend.at(-1);
  return (
    <Section id="trend" title="Compliance over the last 12 months" report={report}>
      <p>
        The ICB's weighted score (met counts fully, partly met half, not met nothing; not known and not applicable are left out) at the end
        of each month and today, from the results in force on each date. Today: <strong>{formatScore(last?.score)}</strong>.{" "}
        <Link discover="none" to={`/icbs/${d.icb.code}/compliance`}>
          Compliance by PCN and practice
        </Link>
      </p>
      {keyed ? null : (
        <LineChart
          title="ICB compliance score at each month end"
          labelHeading="Date"
          missingText="No results"
          valueFormat={(v) => `${v.toLocaleString("en-GB", { maximumFractionDigits: 1 })}%`}
          series={[
            {
              name: "Weighted score",
              data: d.trend.map((p, i) => ({ label: i === d.trend.length - 1 ? "Today" : shortMonth(p.date), value: p.score })),
            },
          ]}
        />
      )}
      <details className="nhsuk-details" open={report || keyed}>
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Results behind each point</span>
        </summary>
        <div className="nhsuk-details__text app-table-wrap" {...scrollRegion("Results in force on each date")}>
          <table className="nhsuk-table app-numeric-cells">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Results in force on each date</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="app-numeric">
                  Score
                </th>
                <th scope="col" className="app-numeric">
                  Practices with results
                </th>
                <th scope="col" className="app-numeric">
                  Met
                </th>
                <th scope="col" className="app-numeric">
                  Partly met
                </th>
                <th scope="col" className="app-numeric">
                  Not met
                </th>
                <th scope="col" className="app-numeric">
                  Not known
                </th>
              </tr>
            </thead>
            <tbody>
              {d.trend.map((p) => (
                <tr key={p.date}>
                  <th scope="row">
                    <Link discover="none" to={`/icbs/${d.icb.code}/compliance?as_of=${p.date}`}>
                      {formatDate(p.date)}
                    </Link>
                  </th>
                  <td>{formatScore(p.score)}</td>
                  <td>{formatNumber(p.practices)}</td>
                  <td>{formatNumber(p.counts.met)}</td>
                  <td>{formatNumber(p.counts.partial)}</td>
                  <td>{formatNumber(p.counts.not_met)}</td>
                  <td>{formatNumber(p.counts.unknown)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </Section>
  );
}

type GapRow = {
  key: string;
  label: string;
  gaps: number;
  practices: number;
  highPriority: number;
  estimatedPence: number;
  vatPence: number;
  noEstimate: number;
  partialPence: number;
  /** By year only: what falls in the year, with annual costs recurring (docs/money.md). */
  inYearPence?: number;
};

function GapTable({
  caption,
  heading,
  rows,
  total,
  href,
}: {
  caption: string;
  heading: string;
  rows: GapRow[];
  total: Omit<GapRow, "key" | "label">;
  href: (r: GapRow) => string;
}) {
  const inYear = rows.some((r) => r.inYearPence !== undefined);
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table app-numeric-cells">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col" className="app-numeric">
              Open gaps
            </th>
            <th scope="col" className="app-numeric">
              High priority
            </th>
            <th scope="col" className="app-numeric">
              Estimated cost (ex VAT)
            </th>
            <th scope="col" className="app-numeric">
              Inc VAT
            </th>
            {inYear ? (
              <th scope="col" className="app-numeric">
                Falls in the year, annual costs recurring (ex VAT)
              </th>
            ) : null}
            <th scope="col" className="app-numeric">
              Gaps with no estimate
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                <Link discover="none" to={href(r)}>
                  {r.label}
                </Link>
              </th>
              <td>{formatNumber(r.gaps)}</td>
              <td>{formatNumber(r.highPriority)}</td>
              <td>{pounds(r.estimatedPence)}</td>
              <td>{pounds(r.estimatedPence + r.vatPence)}</td>
              {inYear ? <td>{pounds(r.inYearPence ?? 0)}</td> : null}
              <td>
                {formatNumber(r.noEstimate)}
                {r.partialPence > 0 ? <span className="app-headline__detail">priced part {pounds(r.partialPence)}</span> : null}
              </td>
            </tr>
          ))}
          <tr className="app-total-row">
            <th scope="row">Total</th>
            <td>{formatNumber(total.gaps)}</td>
            <td>{formatNumber(total.highPriority)}</td>
            <td>{pounds(total.estimatedPence)}</td>
            <td>{pounds(total.estimatedPence + total.vatPence)}</td>
            {inYear ? <td>{pounds(rows.reduce((t, r) => t + (r.inYearPence ?? 0), 0))}</td> : null}
            <td>
              {formatNumber(total.noEstimate)}
              {total.partialPence > 0 ? <span className="app-headline__detail">priced part {pounds(total.partialPence)}</span> : null}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

const costText = (r: { estimatedPence: number; noEstimate: number }) =>
  `${pounds(r.estimatedPence)}${r.noEstimate ? ` + ${r.noEstimate} no estimate` : ""}`;

export function GapsSection({ d, report, keyed }: SectionProps) {
  const code = d.icb.code;
  const g = d.gaps;
  return (
    <Section id="gaps" title="Open gaps and their estimated cost" report={report}>
      {g.total.gaps === 0 ? (
        <p>The ICB has no open gaps.</p>
      ) : (
        <>
          <p>
            {plural(g.total.gaps, "open gap")} at {plural(g.total.practices, "practice")}, estimated at{" "}
            <strong>{pounds(g.total.estimatedPence)}</strong> ex VAT ({pounds(g.total.estimatedPence + g.total.vatPence)} inc VAT)
            {g.total.noEstimate ? (
              <>
                , plus <strong>{formatNumber(g.total.noEstimate)}</strong> with no estimate (not counted as £0)
              </>
            ) : null}
            .{" "}
            <Link discover="none" to={gapsHref(code)}>
              The gap register for this ICB
            </Link>
          </p>
          <h3>By domain</h3>
          {keyed ? null : (
            <HorizontalBars
              title="Estimated cost of open gaps by domain"
              description={`Estimated cost of the ICB's open gaps in each domain; gaps with no estimate are counted beside the amount.`}
              format={pounds}
              bars={g.byDomain.map((r) => ({ label: r.label, value: r.estimatedPence, text: costText(r) }))}
            />
          )}
          <GapTable
            caption="Open gaps by domain"
            heading="Domain"
            rows={g.byDomain}
            total={g.total}
            href={(r) => gapsHref(code, { domain: r.key })}
          />
          <h3>By financial year of the deadline</h3>
          <HorizontalBars
            title="Estimated cost of open gaps by financial year of deadline"
            description="Estimated cost of the ICB's open gaps by the financial year their deadline falls in (earlier years are overdue)."
            format={pounds}
            bars={g.byYear.map((r) => ({ label: r.label, value: r.estimatedPence, text: costText(r) }))}
          />
          <GapTable
            caption="Open gaps by financial year of deadline"
            heading="Financial year"
            rows={g.byYear}
            total={g.total}
            href={(r) => gapsHref(code, { fy: r.key })}
          />
        </>
      )}
    </Section>
  );
}

export function PipelineSection({ d, report, keyed }: SectionProps) {
  const code = d.icb.code;
  return (
    <Section id="pipeline" title="Funding pipeline" report={report}>
      <p>
        Requests by the stage they have reached, for this financial year and next. Each request counts once, at its current stage; approved,
        funded and delivered requests are what count against the ICB's budget.{" "}
        <Link discover="none" to={requestsHref(code)}>
          Funding requests
        </Link>
      </p>
      {d.pipeline.map((y, i) => (
        <div key={y.year}>
          <h3>{y.label}</h3>
          {keyed && i === 0 ? null : (
            <HorizontalBars
              title={`Funding pipeline ${y.label}`}
              description={`Amounts of the ICB's funding requests for ${y.label} at each stage${y.budgetPence === null ? "; no budget is set for the year." : `, against a budget of ${pounds(y.budgetPence)} (the dashed line).`}`}
              format={pounds}
              marker={y.budgetPence === null ? undefined : { value: y.budgetPence, label: `Budget ${pounds(y.budgetPence)}` }}
              bars={[
                ...y.stages.map((s) => ({ label: s.label, value: s.pence, text: `${pounds(s.pence)} (${s.requests})` })),
                { label: "Approved, funded or delivered", value: y.committedPence, text: pounds(y.committedPence) },
              ]}
            />
          )}
          <RequestTotalsTable caption={`Funding requests ${y.label} by stage`} label={`Funding requests ${y.label} by stage`} first="Stage">
            {y.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">
                  <Link discover="none" to={requestsHref(code, { year: y.year, status: s.stage })}>
                    {s.label}
                  </Link>
                </th>
                <td className="app-numeric">{formatNumber(s.requests)}</td>
                <td className="app-numeric">{formatPence(s.pence)}</td>
                <td className="app-numeric">
                  <IncVat ex={s.pence} vat={s.vatPence} noVat={s.noVat} />
                </td>
              </tr>
            ))}
            <tr className="app-total-row">
              <th scope="row">Total requested (not rejected)</th>
              <td className="app-numeric">{formatNumber(y.requested.requests)}</td>
              <td className="app-numeric">{formatPence(y.requested.pence)}</td>
              <td className="app-numeric">
                <IncVat ex={y.requested.pence} vat={y.requestedVat.vatPence} noVat={y.requestedVat.noVat} />
              </td>
            </tr>
          </RequestTotalsTable>
          <dl className="nhsuk-summary-list">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Budget</dt>
              <dd className="nhsuk-summary-list__value">{y.budgetPence === null ? "Not set" : formatPence(y.budgetPence)}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Approved, funded or delivered</dt>
              <dd className="nhsuk-summary-list__value">{formatPence(y.committedPence)}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Budget left</dt>
              <dd className="nhsuk-summary-list__value">
                {y.remainingPence === null ? (
                  "No budget set"
                ) : y.remainingPence < 0 ? (
                  <strong>Over budget by {formatPence(-y.remainingPence)}</strong>
                ) : (
                  formatPence(y.remainingPence)
                )}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Not in the pipeline</dt>
              <dd className="nhsuk-summary-list__value">
                {plural(y.drafts.requests, "draft")} ({formatPence(y.drafts.pence)}), {formatNumber(y.rejected.requests)} rejected (
                {formatPence(y.rejected.pence)})
              </dd>
            </div>
          </dl>
        </div>
      ))}
    </Section>
  );
}

/** Inc VAT as the request list shows it: a request with no VAT worked out counts at its ex-VAT amount, and says so. */
function IncVat({ ex, vat, noVat }: { ex: number; vat: number; noVat: number }) {
  return (
    <>
      {formatPence(ex + vat)}
      {noVat ? <span className="app-headline__detail">{noVat} without VAT worked out, at ex VAT</span> : null}
    </>
  );
}

/** One row of the risk table: a PCN's, or the total (no PCN, "Total" in its header cell). */
function riskTableRow(
  r: Omit<PageRiskRow, "pcn_code" | "pcn_name"> & { pcn_code?: string | null; pcn_name?: string },
  code: string,
  isTotal: boolean,
) {
  return (
    <tr key={isTotal ? "total" : (r.pcn_code ?? "none")} className={isTotal ? "app-total-row" : undefined}>
      <th scope="row">
        {isTotal ? (
          "Total"
        ) : (
          <Link discover="none" to={r.pcn_code ? `/pcns/${r.pcn_code}` : `/icbs/${code}/compliance?pcn=none`}>
            {titleCase(r.pcn_name ?? "")}
          </Link>
        )}
      </th>
      <td>{formatNumber(r.practices)}</td>
      <td>{formatNumber(r.devicesInUse)}</td>
      <td>{formatNumber(r.unsupported)}</td>
      <td>{formatNumber(r.esu)}</td>
      <td>{formatNumber(r.osUnknown)}</td>
      <td>{formatNumber(r.practicesUnsupported)}</td>
      <td>{formatNumber(r.telephonyAnalogue)}</td>
      <td>{formatNumber(r.telephonyOnPremises)}</td>
      <td>{formatNumber(r.telephonyNotRecorded)}</td>
      <td>{formatNumber(r.analogueSites)}</td>
      <td>{formatNumber(r.analogueLines)}</td>
    </tr>
  );
}

export function RiskSection({ d, report }: { d: D; report?: boolean }) {
  const code = d.icb.code;
  const { total } = d.risk;
  const rows = unpackRiskRows(d.risk.rows);
  // The table's rows in a loop by a module-level function, not a map of spread copies with closures
  // made per request (docs/performance.md, session 17, load scaling). The same elements and keys.
  const tableRows: ReactElement[] = [];
  for (const r of rows) tableRows.push(riskTableRow(r, code, false));
  tableRows.push(riskTableRow(total, code, true));
  return (
    <Section id="risk" title="Unsupported operating systems and analogue telephony by PCN" report={report}>
      <p>
        In-use devices whose operating system is past its end of support today (devices on paid Extended Security Updates are counted
        apart), and practices whose current phone system is analogue or ISDN, or an on-premises exchange, with the analogue lines recorded
        at their open sites.{" "}
        <Link discover="none" to={`/icbs/${code}/compliance/DEV-02`}>
          Supported operating systems (DEV-02) by practice
        </Link>{" "}
        ·{" "}
        <Link discover="none" to={`/icbs/${code}/compliance/TEL-02`}>
          Cloud-based telephony (TEL-02)
        </Link>{" "}
        ·{" "}
        <Link discover="none" to={`/icbs/${code}/compliance/TEL-15`}>
          PSTN switch-off (TEL-15)
        </Link>
      </p>
      <HorizontalBars
        title={
          rows.length > RISK_CHART_PCNS
            ? `In-use devices on an unsupported operating system: the ${RISK_CHART_PCNS} PCNs with most`
            : "In-use devices on an unsupported operating system, by PCN"
        }
        description={`Unsupported in-use devices in ${rows.length > RISK_CHART_PCNS ? `the ${RISK_CHART_PCNS} PCNs with most (every PCN is in the table below)` : "each PCN"}; ${formatNumber(total.unsupported)} in all.`}
        bars={mostFirst(rows, mostUnsupported).map(unsupportedBar)}
      />
      <HorizontalBars
        title={
          rows.length > RISK_CHART_PCNS
            ? `Practices on analogue or on-premises telephony: the ${RISK_CHART_PCNS} PCNs with most`
            : "Practices on analogue or on-premises telephony, by PCN"
        }
        description={`Practices whose current phone system is analogue, ISDN or an on-premises exchange, in ${rows.length > RISK_CHART_PCNS ? `the ${RISK_CHART_PCNS} PCNs with most (every PCN is in the table below)` : "each PCN"}; ${formatNumber(total.telephonyAnalogue + total.telephonyOnPremises)} in all.`}
        bars={mostFirst(rows, mostNotCloud).map(telephonyBar)}
      />
      <div className="app-table-wrap" {...scrollRegion(`Unsupported devices and analogue telephony by PCN, ${formatDate(d.today)}`)}>
        <table className="nhsuk-table app-numeric-cells">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            Unsupported devices and analogue telephony by PCN, {formatDate(d.today)}
          </caption>
          <thead>
            <tr>
              <th scope="col">PCN</th>
              <th scope="col" className="app-numeric">
                Practices
              </th>
              <th scope="col" className="app-numeric">
                In-use devices
              </th>
              <th scope="col" className="app-numeric">
                Unsupported OS
              </th>
              <th scope="col" className="app-numeric">
                On paid ESU
              </th>
              <th scope="col" className="app-numeric">
                OS not known
              </th>
              <th scope="col" className="app-numeric">
                Practices with unsupported devices
              </th>
              <th scope="col" className="app-numeric">
                Analogue or ISDN telephony
              </th>
              <th scope="col" className="app-numeric">
                On-premises telephony
              </th>
              <th scope="col" className="app-numeric">
                No telephony recorded
              </th>
              <th scope="col" className="app-numeric">
                Sites with analogue lines
              </th>
              <th scope="col" className="app-numeric">
                Analogue lines
              </th>
            </tr>
          </thead>
          <tbody>{tableRows}</tbody>
        </table>
      </div>
    </Section>
  );
}

export function ForecastSection({ d, report, keyed }: SectionProps) {
  const code = d.icb.code;
  const f = d.forecast;
  return (
    <Section id="forecast" title="What lapses in the next 12 and 24 months" report={report}>
      <p>
        Every change for the worse the rules find on a known future date, as the estate stands: requirements met today that lapse, and
        requirements already partly met or not met that get worse (more devices out of support when a Windows version or an Extended
        Security Updates year ends, more devices past their age limit or warranty, contract ends, the PSTN switch-off). Each change is
        costed with the ICB's price list for the work it adds. Patching and anti-virus checks are left out: today's records cannot say
        whether a device will be patched next year. Each practice's own timeline is on its compliance page;{" "}
        <code>npm run -s forecast -- --icb {code}</code> lists every change.
      </p>
      <ForecastByYearTable caption="Changes for the worse by financial year (next 24 months)" rows={f.byYear} icb />
      {f.costliest.length ? (
        <div className="app-table-wrap" {...scrollRegion("The costliest changes ahead")}>
          <table className="nhsuk-table app-figures-last-1">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">The costliest changes ahead</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Practice</th>
                <th scope="col">Requirement</th>
                <th scope="col">What changes</th>
                <th scope="col" className="app-numeric">
                  Estimated cost
                </th>
              </tr>
            </thead>
            <tbody>
              {f.costliest.map((e) => (
                <tr key={`${e.date}-${e.practiceCode}-${e.requirementId}`}>
                  <td className="app-nowrap">{formatDate(e.date)}</td>
                  <td>
                    <Link discover="none" to={`/practices/${e.practiceCode}/compliance/forecast`}>
                      {e.practiceCode}
                    </Link>
                  </td>
                  <td>{e.requirementId}</td>
                  <td>
                    {e.change}
                    {e.drivers.length ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0 app-muted">{e.drivers.join("; ")}</div> : null}
                  </td>
                  <td>
                    {e.estimatePence === null ? `No estimate (${"missing" in e ? e.missing.join(", ") : ""})` : pounds(e.estimatePence)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {keyed ? null : (
        <HorizontalBars
          title="Estimated cost of what lapses by each date"
          description="Estimated cost of the requirements that stop being met within 12 and within 24 months; lapses that cannot be priced are counted beside the amount."
          format={pounds}
          bars={f.horizons.map((h) => ({
            label: `By ${formatDate(h.date)} (${h.months} months)`,
            value: h.total.estimatedPence,
            text: `${pounds(h.total.estimatedPence)}, ${plural(h.total.lapses, "lapse")}${h.total.noEstimate ? `, ${h.total.noEstimate} no estimate` : ""}`,
          }))}
        />
      )}
      {f.horizons.map((h) => (
        <div className="app-table-wrap" key={h.months} {...scrollRegion(`Lapsing by ${formatDate(h.date)}, by requirement`)}>
          <table className="nhsuk-table app-figures-last-3">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Lapsing by {formatDate(h.date)} ({h.months} months), by requirement
            </caption>
            <thead>
              <tr>
                <th scope="col">Requirement</th>
                <th scope="col">Domain</th>
                <th scope="col">First lapse</th>
                <th scope="col" className="app-numeric">
                  Practices lapsing
                </th>
                <th scope="col" className="app-numeric">
                  Estimated cost
                </th>
                <th scope="col" className="app-numeric">
                  No estimate
                </th>
              </tr>
            </thead>
            <tbody>
              {h.byRequirement.length === 0 ? (
                <tr>
                  <td colSpan={6}>Nothing gets worse by then.</td>
                </tr>
              ) : null}
              {unpackLapseRows(h.byRequirement).map((r) => (
                <tr key={r.key}>
                  <th scope="row">
                    <Link
                      discover="none"
                      to={`/icbs/${code}/compliance/${r.key}`}
                    >{`${r.key} ${requirementById(r.key)?.title ?? ""}`}</Link>
                  </th>
                  <td>{DOMAINS[requirementById(r.key)?.domain as Domain] ?? ""}</td>
                  <td className="app-nowrap">{formatDate(r.firstDate)}</td>
                  <td>{formatNumber(r.lapses)}</td>
                  <td>{pounds(r.estimatedPence)}</td>
                  <td>{formatNumber(r.noEstimate)}</td>
                </tr>
              ))}
              <tr className="app-total-row">
                <th scope="row" colSpan={3}>
                  Total <span className="app-headline__detail">{plural(h.total.practices, "different practice")}</span>
                </th>
                <td>{formatNumber(h.total.lapses)}</td>
                <td>{pounds(h.total.estimatedPence)}</td>
                <td>{formatNumber(h.total.noEstimate)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      ))}
      <p className="nhsuk-body-s app-muted">
        "Practices lapsing" counts each change for the worse (a practice's requirement may get worse on more than one date); the total
        counts different practices. Worked out for {formatDate(f.asOf)}
        {f.cached ? " (reused: nothing it depends on has changed since)" : ""}.
      </p>
    </Section>
  );
}

export function TopGapsSection({ d, report }: { d: D; report?: boolean }) {
  return (
    <Section id="top-gaps" title="The 20 highest-priority gaps" report={report}>
      <p>
        Ordered by priority (category, cyber risk, patients affected, deadline and extent), then by estimated cost.{" "}
        <Link discover="none" to={gapsHref(d.icb.code, { sort: "priority" })}>
          Every gap in priority order
        </Link>
      </p>
      {(d.topGaps ?? []).length === 0 ? (
        <p>The ICB has no open gaps.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Highest-priority open gaps")}>
          <table className="nhsuk-table app-figures-last-2">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Highest-priority open gaps</caption>
            <thead>
              <tr>
                <th scope="col">Practice</th>
                <th scope="col">Requirement</th>
                <th scope="col">Priority</th>
                <th scope="col">Who pays</th>
                <th scope="col">Status</th>
                <th scope="col">Deadline (financial year the estimate falls in)</th>
                <th scope="col" className="app-numeric">
                  Estimate (ex VAT)
                </th>
                <th scope="col" className="app-numeric">
                  Inc VAT
                </th>
              </tr>
            </thead>
            <tbody>
              {(d.topGaps ?? []).map((g) => (
                <tr key={g.id}>
                  <td>
                    {titleCase(g.practiceName)}
                    <div className="app-requirement-meta">
                      {g.practiceCode}
                      {g.pcnName ? ` · ${titleCase(g.pcnName)}` : ""}
                    </div>
                  </td>
                  <td>
                    <Link
                      discover="none"
                      to={`/gaps/${g.id}`}
                    >{`${g.requirementId} ${requirementById(g.requirementId)?.title ?? ""}`}</Link>
                  </td>
                  <td>
                    <PriorityTag level={g.priority.level as PriorityLevel} score={g.priority.score} />
                    <div className="app-requirement-meta">{g.priority.factors.join(", ")}</div>
                  </td>
                  <td>{RESPONSIBILITY_LABELS[g.funder as Funder]}</td>
                  <td>{GAP_STATUS_LABELS[g.status as GapStatus]}</td>
                  <td className="app-nowrap">{`${formatDate(g.deadline)} (${financialYearLabel(financialYearOf(g.deadline))})`}</td>
                  <td>
                    {g.estimatePence === null ? (
                      <>
                        <strong>No estimate</strong>
                        <div className="app-requirement-meta">Missing: {g.missing?.join(", ")}</div>
                      </>
                    ) : (
                      <>
                        {formatPence(g.estimatePence)}
                        {g.annualPence ? <div className="app-requirement-meta">{recurringText(g.annualPence, g.annualEnds)}</div> : null}
                      </>
                    )}
                  </td>
                  <td>{g.estimatePence === null ? "–" : formatPence(g.estimatePence + (g.vatPence ?? 0))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

export function MethodNotes({ d, report }: { d: D; report?: boolean }) {
  return (
    <Section id="method" title="How these figures are worked out" report={report}>
      <ul className="nhsuk-list nhsuk-list--bullet">
        <li>
          Scope: the {plural(d.headline.practices, "open practice")} of {titleCase(d.icb.name) || d.icb.code} ({d.icb.code}) on{" "}
          {formatDate(d.today)}.
        </li>
        <li>
          Compliance scores come from the results stored after each check of the registers: on each date, the latest result on or before it
          for every practice and requirement. Met counts fully, partly met half and not met nothing, weighted by requirement; not known and
          not applicable are left out of the score.
        </li>
        <li>
          A gap is a requirement not met or partly met. Its cost is the remediation units the rules name (devices to replace, lines to
          move…) times the unit costs in the ICB's price list in force today (national defaults where the ICB has set none).
        </li>
        <li>
          <strong>No estimate</strong>: {plural(d.headline.noEstimate, "open gap has", "open gaps have")} no full estimate (no unit cost for
          some of the work, or a per-patient price where the list size is not known). They are counted apart and never added as £0
          {d.headline.partialPence > 0
            ? `; the parts that could be priced come to ${pounds(d.headline.partialPence)}, not included in the estimated cost`
            : ""}
          .
        </li>
        <li>
          <strong>Local estimates</strong>: {plural(d.localEstimateGaps, "open gap's estimate uses", "open gaps' estimates use")} at least
          one unit cost marked as a local estimate rather than a published figure; the price list shows which, and its source.
        </li>
        <li>
          The funding pipeline counts each request once, at its current stage. Drafts and rejected requests are left out of the total.
          Approved, funded and delivered requests are compared with the budget the ICB set for the year.
        </li>
        <li>
          The forecast applies the same rules to future dates with today's records: it cannot know about devices replaced or contracts
          renewed in the meantime. Costs use the price list in force on each date.
        </li>
      </ul>
    </Section>
  );
}
