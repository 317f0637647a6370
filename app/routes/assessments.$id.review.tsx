import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { SummaryList } from "~/components/SummaryList";
import { reviewRights } from "~/modules/assessment/access.server";
import { AssessmentStatusTag, formatInstant, OverdueTag } from "~/components/AssessmentUi";
import { DecisionsForm, DisputeCard, VerifyAllForm } from "~/components/assessment/ReviewForms";
import { ResolveDisputeSchema, ReviewDecisionsSchema, VerifyAllSchema } from "~/modules/assessment/schema";
import { getReviewPage, resolveDispute, reviewAnswers, verifyAllPending } from "~/modules/assessment/icb.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { pageTitle } from "~/utils/page-title";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Review ${titleCase(data.practice.name)}`, data.assessment.cycleName) : pageTitle("Review a self-assessment") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { assessmentId } = await reviewRights(auth, params.id);
  return getReviewPage(getDb(), assessmentId, todayIso());
});

type Intent = "decide" | "verify-all" | "resolve-dispute";
type ActionResult = (FormFailure & { intent?: Intent; target?: string }) | { ok: true; intent: Intent; message: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const auth = await requirePermission(request, "assessment:verify");
  const { assessmentId } = await reviewRights(auth, params.id);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const db = getDb();
  const today = todayIso();
  if (intent === "decide") {
    const parsed = parseForm(formData, ReviewDecisionsSchema);
    if (!parsed.ok) return { ...parsed, intent };
    return orFailure({ intent }, async (): Promise<ActionResult> => {
      const done = await reviewAnswers(db, auth.user.id, assessmentId, parsed.data, today);
      return {
        ok: true,
        intent,
        message: `${done.decided === 1 ? "1 decision" : `${done.decided} decisions`} saved.${settledMessage(done.assessmentStatus)}`,
      };
    });
  }
  if (intent === "verify-all") {
    const parsed = parseForm(formData, VerifyAllSchema);
    if (!parsed.ok) return { ...parsed, intent };
    return orFailure({ intent }, async (): Promise<ActionResult> => {
      const done = await verifyAllPending(db, auth.user.id, assessmentId, parsed.data, today);
      return {
        ok: true,
        intent,
        message: `${done.verified === 1 ? "1 answer" : `${done.verified} answers`} verified.${settledMessage(done.assessmentStatus)}`,
      };
    });
  }
  if (intent === "resolve-dispute") {
    const target = [...formData.keys()].find((k) => /^d\d+\./.test(k))?.split(".")[0];
    const parsed = parseForm(formData, ResolveDisputeSchema);
    if (!parsed.ok) return { ...parsed, intent, target };
    return orFailure({ intent, target }, async (): Promise<ActionResult> => {
      await resolveDispute(db, auth.user.id, assessmentId, parsed.data);
      return { ok: true, intent, message: "Your reply to the dispute has been sent to the practice." };
    });
  }
  return { ok: false, fieldErrors: {}, formError: "Unknown action" };
});

function settledMessage(status: string) {
  if (status === "verified") return " Every answer is now verified, so the assessment is verified.";
  if (status === "returned")
    return " Every answer has been reviewed; the assessment has gone back to the practice for the returned answers.";
  return "";
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
      {data.reviewable && counts.pending ? (
        <VerifyAllForm version={assessment.version} pending={counts.pending} actionData={actionData} />
      ) : null}

      <DecisionsForm data={data} actionData={actionData} />

      <h2>Disputed results</h2>
      {disputes.length === 0 ? <p>The practice has not disputed any automatic results.</p> : null}
      {disputes.map((d) => (
        <DisputeCard key={d.id} d={d} actionData={actionData} />
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
