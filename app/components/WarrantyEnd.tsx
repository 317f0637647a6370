import { formatDate } from "~/utils/format";

/**
 * A device's warranty end for a list's cell: the date (or "Not known") and a red "Expired" tag
 * once it has passed. Shared by the practice's device list and the device list across a scope, so
 * both say it the same way.
 */
export function WarrantyEnd({ end, expired }: { end: string | null; expired: boolean | null }) {
  return (
    <>
      {end ? formatDate(end) : <span className="app-muted">Not known</span>}
      {expired ? (
        <>
          {" "}
          <strong className="nhsuk-tag nhsuk-tag--red">Expired</strong>
        </>
      ) : null}
    </>
  );
}
