import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { AnswerTag, DisputeTag, formatInstant, ResultTag, ReviewTag } from "~/components/AssessmentUi";
import { DataTable } from "~/components/DataTable";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextareaField } from "~/components/fields";
import { usePending } from "~/components/usePending";
import { DisputeSchema, PRACTICE_STARTED_DAYS } from "~/modules/assessment/schema";
import type { getPracticeAssessment } from "~/modules/assessment/service.server";
import { ANSWERERS } from "~/modules/catalogue";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

type Data = Awaited<ReturnType<typeof getPracticeAssessment>>;

/** What the page's action returned: a refused form names its target (a requirement, or "start") so only that form shows the errors. */
export type AssessmentActionResult = (FormFailure & { target?: string }) | { ok: true; target: string };
type Props = { actionData: AssessmentActionResult | undefined };

/** The practice starts a self-assessment itself (no need to wait for the ICB to open a cycle). */
export function StartForm({ hasEarlier, actionData }: { hasEarlier: boolean } & Props) {
  const pending = usePending();
  const failed = actionData && !actionData.ok && actionData.target === "start" ? actionData : undefined;
  return (
    <>
      <ErrorSummary errors={{}} formError={failed?.formError} />
      <h2>{hasEarlier ? "Start a new self-assessment" : "Start a self-assessment"}</h2>
      <p>
        {hasEarlier
          ? "The last assessment cycle has closed. "
          : "The ICB has not asked this practice to assess itself yet, but you do not need to wait. "}
        Start one now: you answer the requirements that cannot be checked from the registers, section by section, and submit them to the ICB
        for review. It is due {PRACTICE_STARTED_DAYS} days from today.
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="start" />
        <button className="nhsuk-button" type="submit" disabled={pending}>
          Start a self-assessment
        </button>
      </Form>
    </>
  );
}
type Item = Data["requirements"][number]["items"][number];

function DisputeForm({ assessmentId, requirementId, actionData }: { assessmentId: number; requirementId: string } & Props) {
  const pending = usePending();
  const mine = actionData && actionData.target === requirementId ? actionData : undefined;
  const { form, onSubmit, errors, formError } = useZodForm(DisputeSchema, mine && !mine.ok ? mine : undefined, {
    assessment_id: String(assessmentId),
  } as never);
  const field = `${requirementId}.comment`;
  return (
    <details className="nhsuk-details nhsuk-u-margin-bottom-0" open={!!mine && !mine.ok}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          Dispute this result<span className="nhsuk-u-visually-hidden"> for {requirementId}</span>
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" {...form.register("assessment_id")} />
          <TextareaField
            {...form.register(field)}
            label={`Why is the result for ${requirementId} wrong?`}
            hint="Say what the registers have wrong or what they miss. The ICB will reply here."
            error={errors[field]}
          />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" disabled={pending}>
            Send dispute
          </button>
        </Form>
      </div>
    </details>
  );
}

function RequirementRow({
  ods,
  item,
  assessmentId,
  canDispute,
  actionData,
}: {
  ods: string;
  item: Item;
  assessmentId: number | null;
  canDispute: boolean;
} & Props) {
  const { requirement: r, answer, result } = item;
  return (
    <tr className="nhsuk-table__row">
      <td className="nhsuk-table__cell">
        <strong>{r.id}</strong> {r.title}
      </td>
      <td className="nhsuk-table__cell">
        {/* A duty the ICB or delivery partner answers is not asked of the practice, but their answer is shown to it. */}
        {item.attested || (r.answeredBy !== "practice" && answer?.answer) ? (
          <>
            <p className="nhsuk-u-margin-bottom-1">
              {r.answeredBy === "practice" ? "Your answer" : `Answered by the ${ANSWERERS[r.answeredBy]}`}:{" "}
              <AnswerTag answer={answer?.answer ?? null} /> {answer?.answer ? <ReviewTag status={answer.reviewStatus} /> : null}
            </p>
            {answer?.reviewComment ? <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">ICB comment: {answer.reviewComment}</p> : null}
          </>
        ) : null}
        {r.evidence !== "attestation" || result ? (
          <>
            <p className="nhsuk-u-margin-bottom-1">
              {r.evidence === "attestation" ? "Result from your verified answer: " : "Checked from the registers: "}
              {result ? <ResultTag status={result.status} /> : <span className="app-muted">not checked yet</span>}
            </p>
            {result ? (
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                {result.reason}{" "}
                {r.evidence !== "attestation" ? (
                  <Link to={`/practices/${ods}/compliance/${r.id}`}>
                    Records checked<span className="nhsuk-u-visually-hidden"> for {r.id}</span>
                  </Link>
                ) : null}
              </p>
            ) : null}
          </>
        ) : null}
        {r.evidence !== "attestation" && result && item.openDispute ? (
          <p className="nhsuk-body-s">You have disputed this result; the ICB has not replied yet.</p>
        ) : null}
        {r.evidence !== "attestation" && result && !item.openDispute && canDispute && assessmentId ? (
          <DisputeForm assessmentId={assessmentId} requirementId={r.id} actionData={actionData} />
        ) : null}
      </td>
    </tr>
  );
}

/** One domain's requirements: the practice's answer and the ICB's review, the automatic result, and a way to dispute it. */
export function RequirementTable({
  label,
  items,
  ods,
  assessmentId,
  canDispute,
  actionData,
}: { label: string; items: Item[]; ods: string; assessmentId: number | null; canDispute: boolean } & Props) {
  return (
    <DataTable
      caption={label}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      columns={[{ header: "Requirement", headerClassName: "app-width-two-fifths" }, { header: "Where it stands" }]}
    >
      {items.map((item) => (
        <RequirementRow
          key={item.requirement.id}
          ods={ods}
          item={item}
          assessmentId={assessmentId}
          canDispute={canDispute}
          actionData={actionData}
        />
      ))}
    </DataTable>
  );
}

/** The results this practice has disputed in this assessment, with the ICB's reply. */
export function DisputesTable({ disputes }: { disputes: Data["disputes"] }) {
  if (!disputes.length) return null;
  return (
    <>
      <h2>Disputed results</h2>
      <DataTable
        caption="Results this practice has disputed in this assessment"
        rows={disputes}
        rowKey={(d) => d.id}
        columns={[
          {
            header: "Requirement",
            cell: (d) => (
              <>
                <strong>{d.requirement_id}</strong> {d.title}
                <br />
                <span className="nhsuk-body-s">Raised {formatInstant(d.raised_at)}</span>
              </>
            ),
          },
          { header: "Your comment", cell: (d) => d.comment },
          {
            header: "ICB reply",
            cell: (d) => (
              <>
                <DisputeTag status={d.status} />
                {d.resolution_comment ? <p className="nhsuk-body-s nhsuk-u-margin-top-1">{d.resolution_comment}</p> : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
