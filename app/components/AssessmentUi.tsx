import { Link } from "~/components/Link";
import type { FieldValues, UseFormRegister } from "react-hook-form";
import type { AssessmentStatus, AttestedAnswer, DisputeStatus, ReviewStatus } from "#db/types";
import { formatDate } from "~/utils/format";
import { todayIso } from "~/utils/today";
import { STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";
import {
  ANSWER_OPTIONS,
  ANSWERS,
  ASSESSMENT_STATUSES,
  DISPUTE_STATUSES,
  EVIDENCE_NOTE_MAX,
  REVIEW_STATUSES,
  type DomainState,
} from "~/modules/assessment/schema";
import { RadiosField, TextareaField, TextField } from "./fields";

const tag = (cls: string, text: string) => <strong className={`nhsuk-tag ${cls}`}>{text}</strong>;

const ASSESSMENT_TAG: Record<AssessmentStatus, string> = {
  not_started: "nhsuk-tag--grey",
  in_progress: "nhsuk-tag--blue",
  submitted: "nhsuk-tag--purple",
  returned: "nhsuk-tag--orange",
  verified: "nhsuk-tag--green",
};
export const AssessmentStatusTag = ({ status }: { status: AssessmentStatus }) => tag(ASSESSMENT_TAG[status], ASSESSMENT_STATUSES[status]);

const ANSWER_TAG: Record<AttestedAnswer, string> = {
  met: "nhsuk-tag--green",
  partial: "nhsuk-tag--yellow",
  not_met: "nhsuk-tag--red",
  not_applicable: "nhsuk-tag--white",
};
export const AnswerTag = ({ answer }: { answer: AttestedAnswer | null }) =>
  answer ? tag(ANSWER_TAG[answer], ANSWERS[answer]) : tag("nhsuk-tag--grey", "Not answered");

const REVIEW_TAG: Record<ReviewStatus, string> = {
  pending: "nhsuk-tag--purple",
  verified: "nhsuk-tag--green",
  returned: "nhsuk-tag--orange",
};
export const ReviewTag = ({ status }: { status: ReviewStatus }) => tag(REVIEW_TAG[status], REVIEW_STATUSES[status]);

const RESULT_TAG: Record<Status, string> = {
  met: "nhsuk-tag--green",
  partial: "nhsuk-tag--yellow",
  not_met: "nhsuk-tag--red",
  unknown: "nhsuk-tag--grey",
  not_applicable: "nhsuk-tag--white",
};
export const ResultTag = ({ status }: { status: Status }) => tag(RESULT_TAG[status], STATUS_LABELS[status]);

const DISPUTE_TAG: Record<DisputeStatus, string> = { open: "nhsuk-tag--purple", accepted: "nhsuk-tag--green", rejected: "nhsuk-tag--grey" };
export const DisputeTag = ({ status }: { status: DisputeStatus }) => tag(DISPUTE_TAG[status], DISPUTE_STATUSES[status]);

export const OverdueTag = () => tag("nhsuk-tag--red", "Overdue");

/** An instant as the day it was in England: `2026-06-30T23:30:00Z` → `1 July 2026`. */
export const formatInstant = (v: string | Date | null | undefined) => (v ? formatDate(todayIso(new Date(v))) : "");

const DOMAIN_STATE: Record<DomainState, { text: string; cls: string }> = {
  not_started: { text: "Not started", cls: "nhsuk-tag--grey" },
  in_progress: { text: "In progress", cls: "nhsuk-tag--blue" },
  completed: { text: "Completed", cls: "nhsuk-tag--no-colour nhsuk-tag--no-border nhsuk-u-font-weight-normal" },
  submitted: { text: "Waiting for review", cls: "nhsuk-tag--purple" },
  returned: { text: "Needs changes", cls: "nhsuk-tag--orange" },
  verified: { text: "Verified", cls: "nhsuk-tag--green" },
};

/** The NHS.UK task list: one row per section, linked while it can be opened, with where it stands. */
export function TaskList({
  items,
  idPrefix,
}: {
  idPrefix: string;
  items: { key: string; label: string; href: string | null; hint?: string; state: DomainState }[];
}) {
  return (
    <ul className="nhsuk-task-list">
      {items.map((i, n) => {
        const status = DOMAIN_STATE[i.state];
        const hintId = `${idPrefix}-${n + 1}-hint`;
        const statusId = `${idPrefix}-${n + 1}-status`;
        return (
          <li key={i.key} className={`nhsuk-task-list__item${i.href ? " nhsuk-task-list__item--with-link" : ""}`}>
            <div className="nhsuk-task-list__name-and-hint">
              {i.href ? (
                <Link
                  className="nhsuk-task-list__link nhsuk-link"
                  to={i.href}
                  aria-describedby={[i.hint ? hintId : "", statusId].filter(Boolean).join(" ")}
                >
                  {i.label}
                </Link>
              ) : (
                <div>{i.label}</div>
              )}
              {i.hint ? (
                <div className="nhsuk-task-list__hint" id={hintId}>
                  {i.hint}
                </div>
              ) : null}
            </div>
            <div className="nhsuk-task-list__status" id={statusId}>
              <strong className={`nhsuk-tag ${status.cls}`}>{status.text}</strong>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** An evidence link opened away from the app; only https links are ever stored. */
export function EvidenceLink({ href }: { href: string | null }) {
  if (!href) return null;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="app-break-anywhere">
      {href}
      <span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

type AnswerFieldName = "version" | "answer" | "evidence_note" | "evidence_link";

/**
 * The form for one self-assessed requirement (the practice's questions and the ICB's and
 * delivery partner's duties alike): the version it was read at, the answer and its evidence.
 * `field` registers a field of this requirement; `error` gives its message.
 */
export function AnswerFields({
  field,
  error,
  label,
  linkHint,
}: {
  field: (name: AnswerFieldName) => ReturnType<UseFormRegister<FieldValues>>;
  error: (name: AnswerFieldName) => string | undefined;
  label: string;
  linkHint: string;
}) {
  return (
    <>
      <input type="hidden" {...field("version")} />
      <RadiosField {...field("answer")} label={label} options={ANSWER_OPTIONS} inline={false} error={error("answer")} />
      <TextareaField
        {...field("evidence_note")}
        label="Evidence note (optional)"
        hint={`What shows this, where it is kept, and when it was last reviewed. Up to ${EVIDENCE_NOTE_MAX.toLocaleString("en-GB")} characters.`}
        error={error("evidence_note")}
      />
      <TextField
        {...field("evidence_link")}
        label="Link to the evidence (optional)"
        hint={linkHint}
        inputMode="url"
        spellCheck={false}
        error={error("evidence_link")}
      />
    </>
  );
}

/** A saved answer read-only: the answer with its review, who gave it (when shown), and the evidence. */
export function AnswerSummary({
  answer,
  answeredBy,
}: {
  answer: { answer: AttestedAnswer | null; reviewStatus: ReviewStatus; evidence_note: string | null; evidence_link: string | null } | null;
  answeredBy?: string | null;
}) {
  return (
    <dl className="nhsuk-summary-list">
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Answer</dt>
        <dd className="nhsuk-summary-list__value">
          <AnswerTag answer={answer?.answer ?? null} /> {answer?.answer ? <ReviewTag status={answer.reviewStatus} /> : null}
          {answeredBy ? <span className="nhsuk-body-s"> by {answeredBy}</span> : null}
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Evidence</dt>
        <dd className="nhsuk-summary-list__value">
          {answer?.evidence_note ?? <span className="app-muted">None given</span>}
          {answer?.evidence_link ? (
            <>
              <br />
              <EvidenceLink href={answer.evidence_link} />
            </>
          ) : null}
        </dd>
      </div>
    </dl>
  );
}
