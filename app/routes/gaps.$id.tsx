import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { patientsWithVintage } from "~/utils/list-size";
import type { FundingRequestStatus } from "#db/types";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { CostBreakdownTable, GapHistoryTable, GapRequestsTable, PriorityFactorsTable } from "~/components/gaps/GapDetail";
import { GapStatusTag, PriorityTag } from "~/components/Gaps";
import { SummaryList } from "~/components/SummaryList";
import { CATEGORIES, DOMAINS } from "~/modules/catalogue";
import { RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { deadlineBasisText } from "~/modules/gaps/deadline";
import { getGapDetail } from "~/modules/funding/gap-detail.server";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { scopeFor } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.gap.requirementId} at ${data.gap.practiceCode}` : "Gap"} – Gaps – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  // Funding requests on the page are narrowed to those this user could open themselves.
  const requestScope = scopeFor(user.memberships, "funding:request");
  return getGapDetail(getDb(), scope, params.id, todayIso(), requestScope);
});

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
      <CostBreakdownTable estimate={e} listSize={gap.listSize} listSizeDate={gap.listSizeDate} />

      <h2>
        Priority: <PriorityTag level={gap.priority.level} />
      </h2>
      <p>Each factor adds points; 7 or more is high, 4 to 6 medium, 3 or fewer low.</p>
      <PriorityFactorsTable priority={gap.priority} />

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
        <GapRequestsTable requests={requests} />
      )}

      <h2>History</h2>
      {events.length === 0 ? <p>No history recorded.</p> : <GapHistoryTable events={events} />}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
