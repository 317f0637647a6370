import { isStaleVintage, LIST_SIZE_STALE_MONTHS, vintageMonth, vintageRange } from "~/utils/list-size";
import { todayIso } from "~/utils/today";

/**
 * The month a patient count was extracted, on its own line under the figure; a month older than
 * LIST_SIZE_STALE_MONTHS is marked. With `newest`, the range over a sum of practices.
 */
export function ListSizeVintage({ date, newest, asOf = todayIso() }: { date: string | null; newest?: string | null; asOf?: string }) {
  if (!date && !newest) {
    return <span className="nhsuk-body-s nhsuk-u-secondary-text-color app-vintage"> (month not known)</span>;
  }
  const label = newest === undefined ? vintageMonth(date) : vintageRange(date, newest);
  const stale = isStaleVintage(date ?? newest, asOf);
  return (
    <span className="nhsuk-u-display-block nhsuk-u-font-size-14 app-vintage">
      {label}
      {stale ? (
        <strong className="nhsuk-tag nhsuk-tag--yellow nhsuk-u-margin-left-1">older than {LIST_SIZE_STALE_MONTHS} months</strong>
      ) : null}
    </span>
  );
}
