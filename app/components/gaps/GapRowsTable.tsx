import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { formatDate, titleCase } from "~/utils/format";
import { EstimateText, GapStatusTag, PriorityTag } from "~/components/Gaps";
import { RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { GAP_SORTS, type ParsedGapFilters } from "~/modules/gaps/register";
import type { getGapRegister } from "~/modules/gaps/register.server";

type Row = Awaited<ReturnType<typeof getGapRegister>>["page"]["rows"][number];

/** A gap's checkbox for a new funding request (only a gap not already in an open request is selectable). */
function SelectCell({ g }: { g: Row }) {
  if (!g.selectable) return null;
  return (
    <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
      <div className="nhsuk-checkboxes__item">
        <input className="nhsuk-checkboxes__input" id={`gap-${g.id}`} name="gap" type="checkbox" value={g.id} />
        <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`gap-${g.id}`}>
          <span className="nhsuk-u-visually-hidden">
            Select {g.requirementId} at {g.practiceCode}
          </span>
        </label>
      </div>
    </div>
  );
}

/** One page of the gap register; with `selectable`, a checkbox a row for the funding request form around it. */
export function GapRowsTable({ rows, sort, selectable }: { rows: Row[]; sort: ParsedGapFilters["filters"]["sort"]; selectable: boolean }) {
  const caption = `Gaps, sorted by ${GAP_SORTS[sort].toLowerCase()}`;
  return (
    <DataTable
      caption={caption}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden"
      scroll
      rows={rows}
      rowKey={(g) => g.id}
      columns={[
        selectable && { header: <span className="nhsuk-u-visually-hidden">Select</span>, cell: (g) => <SelectCell g={g} /> },
        {
          header: "Requirement",
          cell: (g) => (
            <Link to={`/gaps/${g.id}`}>
              {g.requirementId} {g.title}
            </Link>
          ),
        },
        {
          header: "Practice",
          cell: (g) => (
            <>
              <Link to={`/practices/${g.practiceCode}/gaps`}>{titleCase(g.practiceName)}</Link> ({g.practiceCode})
            </>
          ),
        },
        { header: "Reason", cell: (g) => g.reason },
        { header: "Responsibility", cell: (g) => RESPONSIBILITY_LABELS[g.funder] },
        {
          header: "Estimate",
          numeric: true,
          cell: (g) => (
            <EstimateText
              pence={g.estimatePence}
              knownPence={g.knownPence}
              missing={g.missing}
              vatPence={g.vatPence}
              elsewhere={g.elsewhere}
            />
          ),
        },
        { header: "Priority", cell: (g) => <PriorityTag level={g.priority} score={g.priorityScore} /> },
        { header: "Status", cell: (g) => <GapStatusTag status={g.status} /> },
        { header: "First seen", cell: (g) => formatDate(g.firstSeen) },
        { header: "Deadline", cell: (g) => formatDate(g.deadline) },
      ]}
    />
  );
}
