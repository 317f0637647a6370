import { Link } from "~/components/Link";
import type { FundingRequestStatus } from "#db/types";
import { formatDateTime } from "~/components/Compliance";
import { DataTable, NUMERIC_CELL } from "~/components/DataTable";
import { formatDate, formatNumber } from "~/utils/format";
import { Tag } from "~/components/Tag";
import type { getGapDetail } from "~/modules/funding/gap-detail.server";
import { REQUEST_STATUSES } from "~/modules/funding/workflow";
import { GAP_EVENT_LABELS, GAP_STATUS_LABELS } from "~/modules/gaps/labels";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { patientsWithVintage } from "~/utils/list-size";
import { todayIso } from "~/utils/today";

type Detail = Awaited<ReturnType<typeof getGapDetail>>;

const BASIS: Record<string, string> = { each: "each", per_1000_patients: "per 1,000 patients" };
const statusWord = (s: string | null) => (s === null ? null : (GAP_STATUS_LABELS[s as keyof typeof GAP_STATUS_LABELS] ?? s));

/** The gap's estimate line by line (unit, quantity, price and its source), with the total or the priced part. */
export function CostBreakdownTable({
  estimate: e,
  listSize,
  listSizeDate,
}: {
  estimate: Detail["gap"]["estimate"];
  listSize: number | null;
  listSizeDate: Detail["gap"]["listSizeDate"];
}) {
  if (!e.lines.length) return null;
  return (
    <DataTable
      caption="Cost breakdown"
      columns={[
        { header: "Unit" },
        { header: "Quantity", numeric: true },
        { header: "Unit cost", numeric: true },
        { header: "Basis" },
        { header: "Line cost", numeric: true },
        { header: "Price source" },
      ]}
    >
      {e.lines.map((l) => (
        <tr key={l.kind}>
          <td>{l.label}</td>
          <td className={NUMERIC_CELL}>{formatNumber(l.quantity)}</td>
          <td className={NUMERIC_CELL}>{formatPence(l.unitCostPence)}</td>
          <td>
            {BASIS[l.basis] ?? l.basis}
            {l.basis === "per_1000_patients" && listSize !== null ? ` (${patientsWithVintage(listSize, listSizeDate, todayIso())})` : ""}
          </td>
          <td className={NUMERIC_CELL}>{formatPence(l.pence)}</td>
          <td>{l.localEstimate ? <Tag colour="yellow">Local estimate</Tag> : "Sourced figure"}</td>
        </tr>
      ))}
      <tr>
        <th scope="row" colSpan={4}>
          {e.pence === null ? "Priced part" : "Total"}
        </th>
        <td className={NUMERIC_CELL}>
          <strong>{formatPence(e.knownPence)}</strong>
        </td>
        <td />
      </tr>
    </DataTable>
  );
}

/** The points each priority factor adds, and their total. */
export function PriorityFactorsTable({ priority }: { priority: Detail["gap"]["priority"] }) {
  return (
    <DataTable
      caption="Priority factors"
      captionClassName="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden"
      columns={[{ header: "Factor" }, { header: "Why" }, { header: "Points", numeric: true }]}
    >
      {priority.factors.map((f) => (
        <tr key={f.factor}>
          <td>{f.label}</td>
          <td>{f.detail}</td>
          <td className={NUMERIC_CELL}>{f.points}</td>
        </tr>
      ))}
      <tr>
        <th scope="row" colSpan={2}>
          Total
        </th>
        <td className={NUMERIC_CELL}>
          <strong>{priority.score}</strong>
        </td>
      </tr>
    </DataTable>
  );
}

/** The funding requests (that this user may open) the gap is in. */
export function GapRequestsTable({ requests }: { requests: Detail["requests"] }) {
  return (
    <DataTable
      caption="Funding requests this gap is in"
      captionHidden
      rows={requests}
      rowKey={(r) => r.id}
      columns={[
        { header: "Request", cell: (r) => <Link to={`/funding-requests/${r.id}`}>{r.title}</Link> },
        { header: "Financial year", cell: (r) => financialYearLabel(r.financial_year) },
        { header: "Status", cell: (r) => REQUEST_STATUSES[r.status as FundingRequestStatus] ?? r.status },
        { header: "Request amount", numeric: true, cell: (r) => formatPence(Number(r.amount_pence)) },
        {
          header: "This gap's estimate when added",
          numeric: true,
          cell: (r) => (r.estimate_pence === null ? "No estimate" : formatPence(Number(r.estimate_pence))),
        },
      ]}
    />
  );
}

/** What happened to the gap, by the date it happened and when it was recorded. */
export function GapHistoryTable({ events }: { events: Detail["events"] }) {
  return (
    <DataTable
      caption="What happened to this gap"
      captionHidden
      rows={events}
      rowKey={(ev) => ev.id}
      columns={[
        {
          header: "Date",
          cell: (ev) => (
            <>
              {formatDate(ev.on_date)}
              <br />
              <span className="nhsuk-body-s app-muted">recorded {formatDateTime(ev.occurred_at)}</span>
            </>
          ),
        },
        {
          header: "What happened",
          cell: (ev) => (
            <>
              {GAP_EVENT_LABELS[ev.kind]}
              {ev.kind === "status" && ev.to_status ? `: ${statusWord(ev.from_status) ?? "—"} to ${statusWord(ev.to_status)}` : ""}
            </>
          ),
        },
        { header: "Detail", cell: (ev) => ev.detail },
      ]}
    />
  );
}
