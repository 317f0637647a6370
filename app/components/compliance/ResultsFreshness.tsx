import { formatDateTime } from "~/components/Compliance";
import { formatDate, formatNumber } from "~/utils/format";
import { STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";
import { RecheckButton } from "./RecheckButton";

/**
 * Whether a practice's stored results can be trusted: not checked yet, or out of date against
 * today's registers (with what would change), or matching them; with the re-check button for
 * those who may run it.
 */
export function ResultsFreshness({
  evaluated,
  isToday,
  asOf,
  canRecheck,
  outOfDate,
  lastEvaluatedAt,
}: {
  evaluated: boolean;
  isToday: boolean;
  asOf: string;
  canRecheck: boolean;
  outOfDate: readonly { id: string; title: string; status: Status }[] | null | undefined;
  lastEvaluatedAt: Parameters<typeof formatDateTime>[0];
}) {
  return (
    <>
      {!evaluated ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <h2 className="nhsuk-heading-m">Not checked yet</h2>
          <p>
            {isToday
              ? "This practice's registers have not been checked against the operating model yet."
              : `No results were stored for this practice on or before ${formatDate(asOf)}.`}
          </p>
          {isToday ? (
            canRecheck ? (
              <RecheckButton />
            ) : (
              <p>Its GP IT delivery partner, practice manager or ICB digital lead can run the check.</p>
            )
          ) : null}
        </div>
      ) : null}

      {evaluated && outOfDate && outOfDate.length > 0 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Results out of date
            </span>
          </h2>
          <p>
            The registers, local policy or today's date now give a different result for {formatNumber(outOfDate.length)}{" "}
            {outOfDate.length === 1 ? "requirement" : "requirements"} than the results below, last computed{" "}
            {formatDateTime(lastEvaluatedAt)}:
          </p>
          <ul>
            {outOfDate.slice(0, 10).map((c) => (
              <li key={c.id}>
                {c.id} {c.title}: would now be {STATUS_LABELS[c.status].toLowerCase()}
              </li>
            ))}
            {outOfDate.length > 10 ? <li>and {formatNumber(outOfDate.length - 10)} more</li> : null}
          </ul>
          {canRecheck ? <RecheckButton /> : <p>Its GP IT delivery partner or practice manager can re-check it.</p>}
        </div>
      ) : null}
      {evaluated && outOfDate && outOfDate.length === 0 ? (
        <p className="nhsuk-body-s app-muted">These results match the practice's registers today.</p>
      ) : null}
    </>
  );
}
