import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { SuccessBanner } from "~/components/SuccessBanner";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { assessmentRights, dutyOwners } from "~/modules/assessment/access.server";
import { AssessmentStatusTag, formatInstant, OverdueTag, TaskList } from "~/components/AssessmentUi";
import { DisputesTable, RequirementTable, StartForm } from "~/components/assessment/PracticeAssessment";
import { DisputeSchema, StartAssessmentSchema } from "~/modules/assessment/schema";
import { getPracticeAssessment, raiseDispute, startPracticeAssessment } from "~/modules/assessment/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { todayIso } from "~/utils/today";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";
import { redirectWithNotice, takeNotice } from "~/modules/auth/flash.server";
import { useKeptNotice } from "~/components/useKeptNotice";

export const meta: MetaFunction = () => [{ title: "Self-assessment – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  const { canAttest, canVerify } = assessmentRights(user, practice);
  const page = await getPracticeAssessment(getDb(), practice.ods_code, todayIso());
  const answersDuties = dutyOwners(user, { ...practice, cycle_icb_code: page.assessment?.icbCode ?? practice.icb_code }).length > 0;
  const started = (await takeNotice(request, user, "assessment-started")) !== null;
  return { practice, canAttest, canVerify, answersDuties, ...page, started };
});

type ActionResult = (FormFailure & { target?: string }) | { ok: true; target: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const formData = await request.formData();
  if (formData.get("intent") === "start") {
    const parsed = parseForm(formData, StartAssessmentSchema);
    if (!parsed.ok) return { ...parsed, target: "start" };
    const started = await orFailure({ target: "start" }, () => startPracticeAssessment(getDb(), user.id, practice, todayIso()));
    if ("ok" in started && started.ok === false) return started;
    throw await redirectWithNotice(request, `/practices/${practice.ods_code}/assessment`, "assessment-started", {});
  }
  const target = [...formData.keys()].find((k) => k.endsWith(".comment"))?.split(".")[0];
  const parsed = parseForm(formData, DisputeSchema);
  if (!parsed.ok) return { ...parsed, target };
  return orFailure({ target }, async (): Promise<ActionResult> => {
    await raiseDispute(getDb(), user.id, practice.ods_code, parsed.data, todayIso());
    return { ok: true, target: parsed.data.requirement_id };
  });
});

export default function PracticeAssessmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { practice, assessment, progress, domains, requirements, disputes, canAttest } = data;
  const base = `/practices/${practice.ods_code}/assessment`;
  const canDispute = canAttest && !!assessment && !assessment.closed;
  const started = useKeptNotice(data.started || null);
  return (
    <>
      <Breadcrumbs items={[{ label: titleCase(practice.name), to: `/practices/${practice.ods_code}` }]} />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Self-assessment" />
      {actionData?.ok ? (
        <div className="nhsuk-inset-text" role="status">
          <p>Your dispute of the result for {actionData.target} has been sent to the ICB.</p>
        </div>
      ) : null}
      {started && assessment ? (
        <SuccessBanner>
          Self-assessment started. It is due by {formatDate(assessment.dueDate)}; the ICB will review it when you submit it.
        </SuccessBanner>
      ) : null}
      {data.canStart && canAttest ? <StartForm hasEarlier={!!assessment} actionData={actionData} /> : null}
      {!assessment ? (
        !canAttest ? (
          <div className="nhsuk-inset-text">
            <p>This practice has not started a self-assessment, and the ICB has not asked it to yet.</p>
          </div>
        ) : null
      ) : (
        <>
          <SummaryList
            rows={[
              ["Assessment cycle", assessment.cycleName],
              [
                "Due date",
                <>
                  {formatDate(assessment.dueDate)} {assessment.overdue ? <OverdueTag /> : null}
                </>,
              ],
              ["Status", <AssessmentStatusTag status={assessment.status} key="s" />],
              ["Answered", `${progress.answered} of ${progress.total} requirements`],
              ...(progress.verified ? ([["Verified by the ICB", `${progress.verified} of ${progress.total}`]] as [string, string][]) : []),
            ]}
          />
          {assessment.status === "returned" ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  Changes needed
                </span>
              </h2>
              <p>
                The ICB returned {progress.returned === 1 ? "1 answer" : `${progress.returned} answers`} with comments. Change{" "}
                {progress.returned === 1 ? "it" : "them"}, then submit the assessment again.
              </p>
            </div>
          ) : null}
          {assessment.status === "submitted" ? (
            <p>The assessment was submitted on {formatInstant(assessment.submittedAt)}. The ICB is reviewing it.</p>
          ) : null}
          {assessment.status === "verified" ? <p>The ICB verified every answer on {formatInstant(assessment.verifiedAt)}.</p> : null}
          {assessment.closed ? <p>This cycle has closed, so answers can no longer change.</p> : null}

          <h2>Answer the attestation requirements</h2>
          <p>
            Some requirements cannot be checked from the registers. Answer them section by section; you can save and come back at any time.
          </p>
          <TaskList
            idPrefix="assessment"
            items={domains.map((d) => ({
              key: d.key,
              label: d.label,
              href: canAttest ? `${base}/${d.key}` : null,
              hint: `${d.answered} of ${d.total} answered${d.returned ? `, ${d.returned} returned` : ""}`,
              state: d.state,
            }))}
          />
          {canAttest && assessment.editable ? (
            <Link className="nhsuk-button" to={`${base}/submit`}>
              Check your answers and submit
            </Link>
          ) : null}
          <h2>Duties the ICB and its delivery partner answer</h2>
          <p>
            Some requirements are duties of the ICB or the GP IT delivery partner it commissions, such as the service desk and the annual
            review, so the practice is not asked to vouch for them. They answer them for this practice; their answers are shown under
            &ldquo;Support and service desk&rdquo; and &ldquo;Commissioning and funding&rdquo; below.
          </p>
          {data.answersDuties ? (
            <p>
              <Link to={`/assessments/${assessment.id}/duties`}>Answer your duties for this practice</Link>
            </p>
          ) : null}
        </>
      )}

      <h2>Every requirement, by domain</h2>
      {!data.evaluated ? (
        <p className="app-muted">
          The registers have not been checked against the requirements yet, so there are no automatic results to show.
        </p>
      ) : null}
      {requirements.map((d) => (
        <RequirementTable
          key={d.key}
          label={d.label}
          items={d.items}
          ods={practice.ods_code}
          assessmentId={assessment?.id ?? null}
          canDispute={canDispute}
          actionData={actionData}
        />
      ))}
      <DisputesTable disputes={disputes} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
