import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { patientsWithVintage } from "~/utils/list-size";
import type { FundingRequestStatus } from "#db/types";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/components/format";
import { GapStatusTag, PriorityTag } from "~/components/Gaps";
import { SummaryList } from "~/components/SummaryList";
import { CATEGORIES, DOMAINS } from "~/modules/catalogue";
import { REQUEST_STATUSES } from "~/modules/funding/workflow";
import { GAP_EVENT_LABELS, GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { deadlineBasisText } from "~/modules/gaps/deadline";
import { getGapDetail } from "~/modules/funding/gap-detail.server";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { scopeFor } from "~/utils/permissions";
import { handle, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.gap.requirementId} at ${data.gap.practiceCode}` : "Gap"} – Gaps – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  // Funding requests on the page are narrowed to those this user could open themselves.
  const requestScope = scopeFor(user.memberships, "funding:request");
  return handle(() => getGapDetail(getDb(), scope, params.id, todayIso(), requestScope));
}

const BASIS: Record<string, string> = { each: "each", per_1000_patients: "per 1,000 patients" };

export default function GapPage() {
  const { gap, events, requests, canSeeRequests, canRequest } = useLoaderData<typeof loader>();
  const e = gap.estimate;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Gaps", to: "/gaps" },
          { label: titleCase(gap.practiceName), to: `/practices/${gap.practiceCode}/gaps` },
        ]}
      />
      <span className="nhsuk-caption-l">
        Gap at {titleCase(gap.practiceName)} ({gap.practiceCode})
      </span>
      <h1>
        {gap.requirementId} {gap.title}
      </h1>
      <SummaryList
        rows={[
          [
            "Requirement",
            <Link key="r" to={`/practices/${gap.practiceCode}/compliance/${gap.requirementId}`}>
              {gap.requirementId} {gap.title}
            </Link>,
          ],
          ["Domain and category", `${DOMAINS[gap.domain]} · ${CATEGORIES[gap.category]}`],
          [
            "Practice",
            <>
              <Link to={`/practices/${gap.practiceCode}`}>{titleCase(gap.practiceName)}</Link> ({gap.practiceCode})
              {gap.pcnName ? ` · ${titleCase(gap.pcnName)}` : ""}
            </>,
          ],
          ["Patients affected", patientsWithVintage(gap.listSize, gap.listSizeDate, todayIso())],
          ["Reason", gap.reason],
          ["Extent", gap.resultStatus === "not_met" ? "Not met" : "Partly met"],
          ["Responsibility", RESPONSIBILITY_LABELS[gap.funder]],
          ["Status", <GapStatusTag key="s" status={gap.status} requestStatuses={requests.map((r) => r.status as FundingRequestStatus)} />],
          ["First seen", formatDate(gap.firstSeen)],
          ["Closed", gap.closedOn ? formatDate(gap.closedOn) : "Still open"],
          ["Deadline", `${formatDate(gap.deadline)} (financial year ${financialYearLabel(gap.deadlineYear)})`],
          ["Deadline from", deadlineBasisText(gap.deadlineBasis, gap.category)],
        ]}
      />

      <h2>Estimated cost</h2>
      {e.pence !== null ? (
        <p className="nhsuk-heading-m">{formatPence(e.pence)}</p>
      ) : (
        <div className="nhsuk-warning-callout">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>No estimate
            </span>
          </h3>
          <p>
            This gap cannot be fully priced{e.knownPence > 0 ? `; the part that can be priced comes to ${formatPence(e.knownPence)}` : ""}.
            Missing:
          </p>
          <ul>
            {e.missing.map((m) => (
              <li key={`${m.kind}-${m.label}`}>
                {m.label}: {m.why}
              </li>
            ))}
          </ul>
        </div>
      )}
      {gap.closedOn ? (
        <p className="nhsuk-body-s">Priced with the price list in force on {formatDate(gap.closedOn)}, the day the gap closed.</p>
      ) : null}
      {e.lines.length ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Cost breakdown</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Unit</th>
              <th scope="col" className="app-numeric">
                Quantity
              </th>
              <th scope="col" className="app-numeric">
                Unit cost
              </th>
              <th scope="col">Basis</th>
              <th scope="col" className="app-numeric">
                Line cost
              </th>
              <th scope="col">Price source</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {e.lines.map((l) => (
              <tr key={l.kind}>
                <td>{l.label}</td>
                <td className="app-numeric">{formatNumber(l.quantity)}</td>
                <td className="app-numeric">{formatPence(l.unitCostPence)}</td>
                <td>
                  {BASIS[l.basis] ?? l.basis}
                  {l.basis === "per_1000_patients" && gap.listSize !== null
                    ? ` (${patientsWithVintage(gap.listSize, gap.listSizeDate, todayIso())})`
                    : ""}
                </td>
                <td className="app-numeric">{formatPence(l.pence)}</td>
                <td>{l.localEstimate ? <strong className="nhsuk-tag nhsuk-tag--yellow">Local estimate</strong> : "Sourced figure"}</td>
              </tr>
            ))}
            <tr>
              <th scope="row" colSpan={4}>
                {e.pence === null ? "Priced part" : "Total"}
              </th>
              <td className="app-numeric">
                <strong>{formatPence(e.knownPence)}</strong>
              </td>
              <td />
            </tr>
          </tbody>
        </table>
      ) : null}

      <h2>
        Priority: <PriorityTag level={gap.priority.level} />
      </h2>
      <p>Each factor adds points; 7 or more is high, 4 to 6 medium, 3 or fewer low.</p>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">Priority factors</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Factor</th>
            <th scope="col">Why</th>
            <th scope="col" className="app-numeric">
              Points
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {gap.priority.factors.map((f) => (
            <tr key={f.factor}>
              <td>{f.label}</td>
              <td>{f.detail}</td>
              <td className="app-numeric">{f.points}</td>
            </tr>
          ))}
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td className="app-numeric">
              <strong>{gap.priority.score}</strong>
            </td>
          </tr>
        </tbody>
      </table>

      {canSeeRequests ? <h2 id="funding-requests">Funding requests</h2> : null}
      {canRequest ? (
        <p>
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/funding-requests/new?gap=${gap.id}`}>
            Add to a funding request
          </Link>
          <span className="nhsuk-body-s app-muted nhsuk-u-margin-left-2">A new request, or a draft you can still change.</span>
        </p>
      ) : null}
      {!canSeeRequests ? null : requests.length === 0 ? (
        <p>This gap is not in any funding request you can open.</p>
      ) : (
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Financial year</th>
              <th scope="col">Status</th>
              <th scope="col" className="app-numeric">
                Request amount
              </th>
              <th scope="col" className="app-numeric">
                This gap's estimate when added
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {requests.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/funding-requests/${r.id}`}>{r.title}</Link>
                </td>
                <td>{financialYearLabel(r.financial_year)}</td>
                <td>{REQUEST_STATUSES[r.status as FundingRequestStatus] ?? r.status}</td>
                <td className="app-numeric">{formatPence(Number(r.amount_pence))}</td>
                <td className="app-numeric">{r.estimate_pence === null ? "No estimate" : formatPence(Number(r.estimate_pence))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>History</h2>
      {events.length === 0 ? (
        <p>No history recorded.</p>
      ) : (
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Date</th>
              <th scope="col">What happened</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {events.map((ev) => (
              <tr key={ev.id}>
                <td>
                  {formatDate(ev.on_date)}
                  <br />
                  <span className="nhsuk-body-s app-muted">recorded {formatDateTime(ev.occurred_at)}</span>
                </td>
                <td>
                  {GAP_EVENT_LABELS[ev.kind]}
                  {ev.kind === "status" && ev.to_status
                    ? `: ${GAP_STATUS_LABELS[ev.from_status as keyof typeof GAP_STATUS_LABELS] ?? ev.from_status ?? "—"} to ${GAP_STATUS_LABELS[ev.to_status as keyof typeof GAP_STATUS_LABELS] ?? ev.to_status}`
                    : ""}
                </td>
                <td>{ev.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
