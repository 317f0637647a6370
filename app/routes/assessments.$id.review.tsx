import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { RadiosField, TextareaField, TextField } from "~/components/fields";
import { formatDate, titleCase } from "~/components/format";
import { History } from "~/components/History";
import { SummaryList } from "~/components/SummaryList";
import { reviewRights } from "~/modules/assessment/access.server";
import {
  AnswerTag,
  AssessmentStatusTag,
  DisputeTag,
  EvidenceLink,
  formatInstant,
  OverdueTag,
  ResultTag,
  ReviewTag,
} from "~/components/AssessmentUi";
import { ResolveDisputeSchema, ReviewDecisionsSchema, VerifyAllSchema } from "~/modules/assessment/schema";
import { getReviewPage, resolveDispute, reviewAnswers, verifyAllPending } from "~/modules/assessment/icb.server";
import type { Status } from "~/modules/catalogue/rule-types";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Review ${titleCase(data.practice.name)}`, data.assessment.cycleName) : pageTitle("Review a self-assessment") },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const auth = await requirePermission(request, "org:read");
  const { assessmentId } = await reviewRights(auth, params.id);
  return handle(() => getReviewPage(getDb(), assessmentId, todayIso()));
}

type Intent = "decide" | "verify-all" | "resolve-dispute";
type ActionResult = (FormFailure & { intent?: Intent; target?: string }) | { ok: true; intent: Intent; message: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const auth = await requirePermission(request, "assessment:verify");
  const { assessmentId } = await reviewRights(auth, params.id);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();
  const today = todayIso();
  if (intent === "decide") {
    const parsed = parseForm(formData, ReviewDecisionsSchema);
    if (!parsed.ok) return { ...parsed, intent };
    const r = await handleForm(async (): Promise<ActionResult> => {
      const done = await reviewAnswers(db, auth.user.id, assessmentId, parsed.data, today);
      return {
        ok: true,
        intent,
        message: `${done.decided === 1 ? "1 decision" : `${done.decided} decisions`} saved.${settledMessage(done.assessmentStatus)}`,
      };
    });
    return r.ok ? r : { ...r, intent };
  }
  if (intent === "verify-all") {
    const parsed = parseForm(formData, VerifyAllSchema);
    if (!parsed.ok) return { ...parsed, intent };
    const r = await handleForm(async (): Promise<ActionResult> => {
      const done = await verifyAllPending(db, auth.user.id, assessmentId, parsed.data, today);
      return {
        ok: true,
        intent,
        message: `${done.verified === 1 ? "1 answer" : `${done.verified} answers`} verified.${settledMessage(done.assessmentStatus)}`,
      };
    });
    return r.ok ? r : { ...r, intent };
  }
  if (intent === "resolve-dispute") {
    const target = [...formData.keys()].find((k) => /^d\d+\./.test(k))?.split(".")[0];
    const parsed = parseForm(formData, ResolveDisputeSchema);
    if (!parsed.ok) return { ...parsed, intent, target };
    const r = await handleForm(async (): Promise<ActionResult> => {
      await resolveDispute(db, auth.user.id, assessmentId, parsed.data);
      return { ok: true, intent, message: "Your reply to the dispute has been sent to the practice." };
    });
    return r.ok ? r : { ...r, intent, target };
  }
  return { ok: false, fieldErrors: {}, formError: "Unknown action" };
}

function settledMessage(status: string) {
  if (status === "verified") return " Every answer is now verified, so the assessment is verified.";
  if (status === "returned")
    return " Every answer has been reviewed; the assessment has gone back to the practice for the returned answers.";
  return "";
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
const DECISIONS = [
  { value: "verify", label: "Verify" },
  { value: "return", label: "Return to the practice" },
];

function DecisionsForm({ data }: { data: Data }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
          <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
            Save decisions
          </button>
        ) : null}
      </Form>
    </>
  );
}

function VerifyAllForm({ version, pending }: { version: number; pending: number }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            type="submit"
            disabled={navigation.state === "submitting"}
          >
            Verify all remaining answers
          </button>
        </Form>
      </div>
    </div>
  );
}

function ResolveDisputeForm({ id, version, requirementId }: { id: number; version: number; requirementId: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={navigation.state === "submitting"}>
          Send reply
        </button>
      </Form>
    </>
  );
}

export default function ReviewAssessmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { assessment, practice, counts, disputes, history } = data;
  const cyclePage = `/icbs/${assessment.icbCode}/assessments/${assessment.cycleId}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Self-assessments", to: `/icbs/${assessment.icbCode}/assessments` },
          { label: assessment.cycleName, to: cyclePage },
        ]}
      />
      <span className="nhsuk-caption-l">{assessment.cycleName}</span>
      <h1>
        Review: {titleCase(practice.name)} ({practice.ods_code})
      </h1>
      {actionData?.ok ? (
        <div className="nhsuk-inset-text" role="status">
          <p>{actionData.message}</p>
        </div>
      ) : null}
      <SummaryList
        rows={[
          [
            "Status",
            <span key="s">
              <AssessmentStatusTag status={assessment.status} /> {assessment.overdue ? <OverdueTag /> : null}
            </span>,
          ],
          ["Due date", formatDate(assessment.dueDate)],
          ["Submitted", formatInstant(assessment.submittedAt) || "Not yet"],
          ["Answers", `${counts.verified} verified, ${counts.returned} returned, ${counts.pending} waiting for review, of ${counts.total}`],
          [
            "Practice's pages",
            <Link key="p" to={`/practices/${practice.ods_code}/assessment`}>
              Self-assessment as the practice sees it
            </Link>,
          ],
          [
            "ICB's duties",
            <Link key="d" to={`/assessments/${assessment.id}/duties`}>
              Answer the ICB&rsquo;s duties for this practice
            </Link>,
          ],
        ]}
      />
      {!data.reviewable ? (
        <div className="nhsuk-inset-text">
          <p>
            {assessment.closed
              ? "This cycle has closed, so its answers can no longer be reviewed."
              : assessment.status === "verified"
                ? "Every answer has been verified."
                : assessment.status === "returned"
                  ? "The assessment is back with the practice for the returned answers. You can review it again once they resubmit."
                  : "The practice has not submitted this assessment yet. You can review it once they do."}
          </p>
        </div>
      ) : null}
      {data.reviewable && counts.pending ? <VerifyAllForm version={assessment.version} pending={counts.pending} /> : null}

      <DecisionsForm data={data} />

      <h2>Disputed results</h2>
      {disputes.length === 0 ? <p>The practice has not disputed any automatic results.</p> : null}
      {disputes.map((d) => (
        <div className="nhsuk-card" key={d.id}>
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
              <ResolveDisputeForm id={d.id} version={d.version} requirementId={d.requirement_id} />
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
      ))}

      <h2>History</h2>
      <History
        events={history}
        labels={{
          requirement_id: "Requirement",
          answer: "Answer",
          evidence_note: "Evidence note",
          evidence_link: "Evidence link",
          review_status: "Review",
          review_comment: "Comment",
        }}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
