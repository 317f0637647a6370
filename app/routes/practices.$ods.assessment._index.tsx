import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { SuccessBanner } from "~/components/SuccessBanner";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextareaField } from "~/components/fields";
import { formatDate, titleCase } from "~/components/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { assessmentRights, dutyOwners } from "~/modules/assessment/access.server";
import {
  AnswerTag,
  AssessmentStatusTag,
  DisputeTag,
  formatInstant,
  OverdueTag,
  ResultTag,
  ReviewTag,
  TaskList,
} from "~/components/AssessmentUi";
import { DisputeSchema, PRACTICE_STARTED_DAYS, StartAssessmentSchema } from "~/modules/assessment/schema";
import { getPracticeAssessment, raiseDispute, startPracticeAssessment } from "~/modules/assessment/service.server";
import { ANSWERERS } from "~/modules/catalogue";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";

export const meta: MetaFunction = () => [{ title: "Self-assessment – GP digital estate" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  const { canAttest, canVerify } = assessmentRights(user, practice);
  const page = await handle(() => getPracticeAssessment(getDb(), practice.ods_code, todayIso()));
  const answersDuties = dutyOwners(user, { ...practice, cycle_icb_code: page.assessment?.icbCode ?? practice.icb_code }).length > 0;
  return { practice, canAttest, canVerify, answersDuties, ...page };
}

type ActionResult = (FormFailure & { target?: string }) | { ok: true; target: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const formData = await request.formData();
  if (formData.get("intent") === "start") {
    const parsed = parseForm(formData, StartAssessmentSchema);
    if (!parsed.ok) return { ...parsed, target: "start" };
    const started = await handleForm(() => startPracticeAssessment(getDb(), user.id, practice, todayIso()));
    if ("ok" in started && started.ok === false) return { ...started, target: "start" };
    throw redirect(`/practices/${practice.ods_code}/assessment?started=1`);
  }
  const target = [...formData.keys()].find((k) => k.endsWith(".comment"))?.split(".")[0];
  const parsed = parseForm(formData, DisputeSchema);
  if (!parsed.ok) return { ...parsed, target };
  const result = await handleForm(async (): Promise<ActionResult> => {
    await raiseDispute(getDb(), user.id, practice.ods_code, parsed.data, todayIso());
    return { ok: true, target: parsed.data.requirement_id };
  });
  return result.ok ? result : { ...result, target };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/** The practice starts a self-assessment itself (no need to wait for the ICB to open a cycle). */
function StartForm({ hasEarlier }: { hasEarlier: boolean }) {
  const navigation = useNavigation();
  const actionData = useActionData<typeof action>();
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
        <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
          Start a self-assessment
        </button>
      </Form>
    </>
  );
}
type Item = Data["requirements"][number]["items"][number];

function DisputeForm({ assessmentId, requirementId }: { assessmentId: number; requirementId: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            type="submit"
            disabled={navigation.state === "submitting"}
          >
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
}: {
  ods: string;
  item: Item;
  assessmentId: number | null;
  canDispute: boolean;
}) {
  const { requirement: r, answer, result } = item;
  return (
    <tr className="nhsuk-table__row">
      <td className="nhsuk-table__cell">
        <strong>{r.id}</strong> {r.title}
      </td>
      <td className="nhsuk-table__cell">
        {item.attested ? (
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
          <DisputeForm assessmentId={assessmentId} requirementId={r.id} />
        ) : null}
      </td>
    </tr>
  );
}

export default function PracticeAssessmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { practice, assessment, progress, domains, requirements, disputes, canAttest } = data;
  const base = `/practices/${practice.ods_code}/assessment`;
  const canDispute = canAttest && !!assessment && !assessment.closed;
  const [params] = useSearchParams();
  const started = params.get("started") === "1";
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
      {data.canStart && canAttest ? <StartForm hasEarlier={!!assessment} /> : null}
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
        <table className="nhsuk-table" key={d.key}>
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">{d.label}</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col" className="app-width-two-fifths">
                Requirement
              </th>
              <th scope="col">Where it stands</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.items.map((item) => (
              <RequirementRow
                key={item.requirement.id}
                ods={practice.ods_code}
                item={item}
                assessmentId={assessment?.id ?? null}
                canDispute={canDispute}
              />
            ))}
          </tbody>
        </table>
      ))}

      {disputes.length ? (
        <>
          <h2>Disputed results</h2>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Results this practice has disputed in this assessment
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Requirement</th>
                <th scope="col">Your comment</th>
                <th scope="col">ICB reply</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {disputes.map((d) => (
                <tr key={d.id}>
                  <td>
                    <strong>{d.requirement_id}</strong> {d.title}
                    <br />
                    <span className="nhsuk-body-s">Raised {formatInstant(d.raised_at)}</span>
                  </td>
                  <td>{d.comment}</td>
                  <td>
                    <DisputeTag status={d.status} />
                    {d.resolution_comment ? <p className="nhsuk-body-s nhsuk-u-margin-top-1">{d.resolution_comment}</p> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
