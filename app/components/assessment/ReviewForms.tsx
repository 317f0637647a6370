import { Form } from "@remix-run/react";
import { AnswerTag, DisputeTag, EvidenceLink, formatInstant, ResultTag, ReviewTag } from "~/components/AssessmentUi";
import { ErrorSummary } from "~/components/ErrorSummary";
import { RadiosField, TextareaField, TextField } from "~/components/fields";
import { formatDate } from "~/utils/format";
import { usePending } from "~/components/usePending";
import type { getReviewPage } from "~/modules/assessment/icb.server";
import { ResolveDisputeSchema, ReviewDecisionsSchema, VerifyAllSchema } from "~/modules/assessment/schema";
import type { Status } from "~/modules/catalogue/rule-types";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

type Data = Awaited<ReturnType<typeof getReviewPage>>;

/** What the review page's action returned: a refused form names its intent (and a dispute its target) so only that form shows the errors. */
export type ReviewActionResult = (FormFailure & { intent?: string; target?: string }) | { ok: true; intent: string; message: string };
const DECISIONS = [
  { value: "verify", label: "Verify" },
  { value: "return", label: "Return to the practice" },
];

/** A card per requirement with the practice's answer and evidence; the reviewer verifies or returns each answer waiting. */
export function DecisionsForm({ data, actionData }: { data: Data; actionData: ReviewActionResult | undefined }) {
  const saving = usePending();
  const mine = actionData && !actionData.ok && actionData.intent === "decide" ? actionData : undefined;
  const pending = data.domains.flatMap((d) => d.items).filter((i) => i.answer?.reviewStatus === "pending");
  const defaults = Object.fromEntries(
    pending.map((i) => [`a${i.answer!.id}`, { decision: "", comment: "", version: String(i.answer!.version) }]),
  );
  const { form, onSubmit, errors, formError } = useZodForm(ReviewDecisionsSchema, mine, defaults as never);
  const reviewable = data.reviewable;
  return (
    <>
      <ErrorSummary errors={errors} formError={formError} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="decide" />
        {data.domains.map((d) => (
          <section key={d.key}>
            <h2 className="nhsuk-heading-m">{d.label}</h2>
            {d.items.map(({ requirement: r, answer }) => {
              const key = answer ? `a${answer.id}` : "";
              const decide = reviewable && answer?.reviewStatus === "pending";
              return (
                <div className="nhsuk-card" key={r.id} id={`answer-${r.id}`}>
                  <div className="nhsuk-card__content">
                    <h3 className="nhsuk-card__heading nhsuk-heading-s">
                      {r.id} {r.title}
                    </h3>
                    <p className="nhsuk-body-s app-muted">{r.description}</p>
                    <p>
                      The practice says: <AnswerTag answer={answer?.answer ?? null} />{" "}
                      {answer?.answer ? <ReviewTag status={answer.reviewStatus} /> : null}
                    </p>
                    <p className="nhsuk-body-s">
                      {answer?.evidence_note ?? <span className="app-muted">No evidence note.</span>}
                      {answer?.evidence_link ? (
                        <>
                          <br />
                          <EvidenceLink href={answer.evidence_link} />
                        </>
                      ) : null}
                    </p>
                    {answer?.reviewComment ? (
                      <p className="nhsuk-body-s">
                        {answer.reviewStatus === "pending" ? "Previously returned with" : "ICB comment"}: {answer.reviewComment}
                        {answer.reviewedBy ? ` (${answer.reviewedBy}, ${formatInstant(answer.reviewedAt)})` : ""}
                      </p>
                    ) : null}
                    {decide ? (
                      <>
                        <input type="hidden" {...form.register(`${key}.version`)} />
                        <RadiosField
                          {...form.register(`${key}.decision`)}
                          label={`Your decision on ${r.id}`}
                          options={DECISIONS}
                          error={errors[`${key}.decision`]}
                        />
                        <TextareaField
                          {...form.register(`${key}.comment`)}
                          label="Comment to the practice"
                          hint="Required when you return the answer: say what needs to change."
                          rows={2}
                          error={errors[`${key}.comment`]}
                        />
                      </>
                    ) : null}
                  </div>
                </div>
              );
            })}
          </section>
        ))}
        {reviewable && pending.length ? (
          <button className="nhsuk-button" type="submit" disabled={saving}>
            Save decisions
          </button>
        ) : null}
      </Form>
    </>
  );
}

/** Verifies every answer still waiting in one step. */
export function VerifyAllForm({
  version,
  pending,
  actionData,
}: {
  version: number;
  pending: number;
  actionData: ReviewActionResult | undefined;
}) {
  const saving = usePending();
  const mine = actionData && !actionData.ok && actionData.intent === "verify-all" ? actionData : undefined;
  const { form, onSubmit, errors, formError } = useZodForm(VerifyAllSchema, mine, { version: String(version) } as never);
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s">Verify every remaining answer</h2>
        <p className="nhsuk-body-s">
          If you have checked them all, verify the {pending === 1 ? "answer" : `${pending} answers`} still waiting in one step.
        </p>
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="verify-all" />
          <input type="hidden" {...form.register("version")} />
          <TextField {...form.register("comment")} label="Comment (optional)" error={errors.comment} />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" disabled={saving}>
            Verify all remaining answers
          </button>
        </Form>
      </div>
    </div>
  );
}

function ResolveDisputeForm({
  id,
  version,
  requirementId,
  actionData,
}: {
  id: number;
  version: number;
  requirementId: string;
  actionData: ReviewActionResult | undefined;
}) {
  const saving = usePending();
  const key = `d${id}`;
  const mine =
    actionData && !actionData.ok && actionData.intent === "resolve-dispute" && actionData.target === key ? actionData : undefined;
  const { form, onSubmit, errors, formError } = useZodForm(ResolveDisputeSchema, mine, {
    [key]: { outcome: "", resolution_comment: "", version: String(version) },
  } as never);
  return (
    <>
      <ErrorSummary errors={errors} formError={formError} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="resolve-dispute" />
        <input type="hidden" {...form.register(`${key}.version`)} />
        <RadiosField
          {...form.register(`${key}.outcome`)}
          label={`Your decision on the dispute about ${requirementId}`}
          options={[
            { value: "accepted", label: "The practice is right: the records will be corrected" },
            { value: "rejected", label: "The result stands" },
          ]}
          inline={false}
          error={errors[`${key}.outcome`]}
        />
        <TextareaField
          {...form.register(`${key}.resolution_comment`)}
          label="Reply to the practice"
          rows={2}
          error={errors[`${key}.resolution_comment`]}
        />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={saving}>
          Send reply
        </button>
      </Form>
    </>
  );
}

/** A result the practice disputes: what it says, and the ICB's reply or the form to send one. */
export function DisputeCard({ d, actionData }: { d: Data["disputes"][number]; actionData: ReviewActionResult | undefined }) {
  return (
    <div className="nhsuk-card">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">
          {d.requirement_id} {d.title} <DisputeTag status={d.status} />
        </h3>
        <p className="nhsuk-body-s">
          Disputed result: <ResultTag status={d.result_status as Status} /> (as of {formatDate(d.as_of)}).{" "}
          {d.currentReason ? <>Today's reason: {d.currentReason}</> : null}
        </p>
        <p>
          <strong>The practice says:</strong> {d.comment}
          <br />
          <span className="nhsuk-body-s app-muted">
            {d.raised_by_name ?? "Someone"}, {formatInstant(d.raised_at)}
          </span>
        </p>
        {d.status === "open" ? (
          <ResolveDisputeForm id={d.id} version={d.version} requirementId={d.requirement_id} actionData={actionData} />
        ) : (
          <p>
            <strong>Reply:</strong> {d.resolution_comment}{" "}
            <span className="nhsuk-body-s app-muted">
              ({d.resolved_by_name ?? "ICB"}, {formatInstant(d.resolved_at)})
            </span>
          </p>
        )}
      </div>
    </div>
  );
}
