import { Link } from "~/components/Link";
import { titleCase } from "~/utils/format";
import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";
import type { FundingRequestStatus, GapStatus } from "#db/types";
import { REQUEST_STATUSES } from "~/modules/funding/workflow";
import { gapStatusWord } from "~/modules/catalogue/status-words";
import { GAP_STATUS_TAG, RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { formatPence } from "~/modules/pricing/money";
import { scrollRegion } from "~/components/scroll-region";

const REQUEST_TAG: Record<FundingRequestStatus, string> = {
  draft: "nhsuk-tag--grey",
  submitted: "nhsuk-tag--blue",
  approved: "nhsuk-tag--green",
  rejected: "nhsuk-tag--red",
  funded: "nhsuk-tag--aqua-green",
  delivered: "nhsuk-tag--purple",
};

export function RequestStatusTag({ status }: { status: FundingRequestStatus }) {
  return <strong className={`nhsuk-tag ${REQUEST_TAG[status]}`}>{REQUEST_STATUSES[status]}</strong>;
}

/** A gap's status in the funding vocabulary; with its requests' statuses, "Funded" once a request is funded. */
export function GapStatusTag({ status, requestStatuses }: { status: GapStatus; requestStatuses?: readonly FundingRequestStatus[] }) {
  return <strong className={`nhsuk-tag ${GAP_STATUS_TAG[status]}`}>{gapStatusWord(status, requestStatuses)}</strong>;
}

/** An amount, or "No estimate" (never £0) when it could not be worked out. */
export function Money({ pence, none = "No estimate" }: { pence: number | null | undefined; none?: ReactNode }) {
  if (pence === null || pence === undefined) return <span className="app-muted">{none}</span>;
  return <>{formatPence(pence)}</>;
}

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "type"> & {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
};

/** A single NHS.UK checkbox that works with react-hook-form's register(). */
export const CheckboxField = forwardRef<HTMLInputElement, CheckboxProps>(function CheckboxField(
  { name, label, hint, error, defaultValue, ...rest },
  ref,
) {
  const d: unknown = defaultValue;
  const checked = d === true || d === "true" || d === "on";
  return (
    <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
      {error ? (
        <span className="nhsuk-error-message" id={`field-${name}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <div className="nhsuk-checkboxes">
        <div className="nhsuk-checkboxes__item">
          <input
            className="nhsuk-checkboxes__input"
            id={`field-${name}`}
            name={name}
            type="checkbox"
            value="on"
            defaultChecked={checked}
            ref={ref}
            {...rest}
          />
          <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`field-${name}`}>
            {label}
          </label>
          {hint ? <div className="nhsuk-hint nhsuk-checkboxes__hint">{hint}</div> : null}
        </div>
      </div>
    </div>
  );
});

export interface GapLine {
  id: number;
  practiceCode: string;
  practiceName: string;
  requirementId: string;
  title: string;
  funder: string;
  status: GapStatus;
  closedOn: string | null;
  estimate: { pence: number | null; knownPence: number; missing: { label: string; why: string }[]; usesLocalEstimate: boolean };
}

/** The gaps a request covers: each links to its gap page, with status, responsibility and estimate. */
export function GapLinesTable({
  gaps,
  caption,
  extra,
  requestStatus,
}: {
  gaps: GapLine[];
  caption: string;
  extra?: (g: GapLine) => ReactNode;
  requestStatus?: FundingRequestStatus;
}) {
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Gap</th>
            <th scope="col">Practice</th>
            <th scope="col">Requirement</th>
            <th scope="col">Responsibility</th>
            <th scope="col">Status</th>
            <th scope="col" className="app-numeric">
              Estimate
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {gaps.map((g) => (
            <tr key={g.id}>
              <td>
                <Link to={`/gaps/${g.id}`}>#{g.id}</Link>
              </td>
              <td>
                {titleCase(g.practiceName)} ({g.practiceCode})
              </td>
              <td>
                {g.requirementId}: {g.title}
                {extra ? extra(g) : null}
              </td>
              <td>{RESPONSIBILITY_LABELS[g.funder as keyof typeof RESPONSIBILITY_LABELS] ?? g.funder}</td>
              <td>
                <GapStatusTag status={g.status} requestStatuses={requestStatus ? [requestStatus] : undefined} />
                {g.closedOn ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">Closed {g.closedOn}</div> : null}
              </td>
              <td className="app-numeric">
                <Money pence={g.estimate.pence} />
                {g.estimate.pence === null && g.estimate.missing.length ? (
                  <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
                    {g.estimate.missing.map((m) => `${m.label}: ${m.why}`).join("; ")}
                    {g.estimate.knownPence ? ` (priced part ${formatPence(g.estimate.knownPence)})` : ""}
                  </div>
                ) : g.estimate.usesLocalEstimate ? (
                  <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">Uses a local estimate</div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
