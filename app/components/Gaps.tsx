import type { FundingRequestStatus, GapStatus } from "#db/types";
import { gapStatusWord } from "~/modules/catalogue/status-words";
import { GAP_STATUS_TAG, PRIORITY_TAG } from "~/modules/gaps/labels";
import { PRIORITY_LABELS, type PriorityLevel } from "~/modules/gaps/priority";
import { formatPence } from "~/modules/pricing/money";
import { scrollRegion } from "./scroll-region";

/** An estimate in pounds, or "No estimate" with what is missing: never £0 for an unpriced gap. */
/**
 * A gap's estimate ex VAT, with the VAT-inclusive figure and any work costed under another gap
 * (money model: docs/money.md). Older callers pass no VAT and get the ex-VAT figure alone.
 */
export function EstimateText({
  pence,
  knownPence,
  missing,
  vatPence,
  elsewhere,
}: {
  pence: number | null;
  knownPence: number;
  missing: string;
  vatPence?: number | null;
  elsewhere?: string;
}) {
  if (pence !== null) {
    return (
      <>
        {formatPence(pence)}
        {vatPence !== undefined && vatPence !== null ? (
          <>
            {" "}
            ex VAT
            <br />
            <span className="nhsuk-body-s app-muted">{formatPence(pence + vatPence)} inc VAT</span>
          </>
        ) : null}
        {elsewhere ? (
          <>
            <br />
            <span className="nhsuk-body-s app-muted">Also needs: {elsewhere}</span>
          </>
        ) : null}
      </>
    );
  }
  return (
    <>
      <strong>No estimate</strong>
      <br />
      <span className="nhsuk-body-s app-muted">
        Missing: {missing || "unit costs"}
        {knownPence > 0 ? `. Priced part: ${formatPence(knownPence)}` : ""}
      </span>
    </>
  );
}

export function PriorityTag({ level, score }: { level: PriorityLevel; score?: number }) {
  return (
    <strong className={`nhsuk-tag ${PRIORITY_TAG[level]}`} title={score === undefined ? undefined : `${score} points`}>
      {PRIORITY_LABELS[level]}
    </strong>
  );
}

/** A gap's status in the funding vocabulary; with its requests' statuses, "Funded" once a request is funded. */
export function GapStatusTag({ status, requestStatuses }: { status: GapStatus; requestStatuses?: readonly FundingRequestStatus[] }) {
  return <strong className={`nhsuk-tag ${GAP_STATUS_TAG[status]}`}>{gapStatusWord(status, requestStatuses)}</strong>;
}

/** Group totals as table cells: gaps, patients, estimated cost, gaps with no estimate. */
export function TotalsCells({
  t,
}: {
  t: { gaps: number; patients: number; unknownListSizes: number; estimatedPence: number; vatPence: number; noEstimate: number };
}) {
  return (
    <>
      <td className="app-numeric">{t.gaps.toLocaleString("en-GB")}</td>
      <td className="app-numeric">
        {t.patients.toLocaleString("en-GB")}
        {t.unknownListSizes ? (
          <span className="nhsuk-body-s app-muted">
            {" "}
            (and {t.unknownListSizes} {t.unknownListSizes === 1 ? "practice" : "practices"} with list size not known)
          </span>
        ) : null}
      </td>
      <td className="app-numeric">{formatPence(t.estimatedPence)}</td>
      <td className="app-numeric">{formatPence(t.estimatedPence + t.vatPence)}</td>
      <td className="app-numeric">{t.noEstimate.toLocaleString("en-GB")}</td>
    </>
  );
}

/**
 * What falls in each financial year (ex VAT): one-off costs in the deadline's year, annual costs
 * (warranty extensions, ESU years, rentals, licences) in it and each later year to the horizon.
 */
export function CostByYearTable({
  years,
}: {
  years: readonly { year: number; label: string; oneOffPence: number; annualPence: number; recurringPence: number; pence: number }[];
}) {
  const caption = "Costs falling in each financial year, annual costs recurring (ex VAT)";
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Financial year</th>
            <th scope="col" className="app-numeric">
              One-off
            </th>
            <th scope="col" className="app-numeric">
              Annual
            </th>
            <th scope="col" className="app-numeric">
              Of which recurring from earlier years
            </th>
            <th scope="col" className="app-numeric">
              Falls in the year
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {years.map((y) => (
            <tr key={y.year}>
              <th scope="row">{y.label}</th>
              <td className="app-numeric">{formatPence(y.oneOffPence)}</td>
              <td className="app-numeric">{formatPence(y.annualPence)}</td>
              <td className="app-numeric">{formatPence(y.recurringPence)}</td>
              <td className="app-numeric">{formatPence(y.pence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
