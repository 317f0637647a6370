import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatDate, titleCase } from "~/utils/format";
import { AnswerFields, AnswerSummary, AnswerTag, ReviewTag } from "~/components/AssessmentUi";
import { dutyRights } from "~/modules/assessment/access.server";
import { getDutiesPage, saveDutyAnswers } from "~/modules/assessment/icb.server";
import { DutyAnswersSchema } from "~/modules/assessment/schema";
import { ANSWERERS } from "~/modules/catalogue";
import { requirePermission } from "~/modules/auth/permissions.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(`Duties for ${titleCase(data.practice.name)}`, "Self-assessment") : pageTitle("Self-assessment duties") },
];

/** The ICB lead or the practice's delivery partner answers the duties that are theirs, not the practice's (issue 17). */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { assessmentId, owners } = await dutyRights(auth, params.id);
  return getDutiesPage(getDb(), assessmentId, owners, todayIso());
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { assessmentId, owners } = await dutyRights(auth, params.id);
  const parsed = parseForm(await request.formData(), DutyAnswersSchema);
  if (!parsed.ok) return parsed;
  await saveDutyAnswers(getDb(), auth.user.id, assessmentId, owners, parsed.data, todayIso());
  return redirectWithFlash(request, `/assessments/${assessmentId}/duties`, "Your answers have been saved.");
});

export default function AssessmentDutiesPage() {
  const { practice, assessment, items, owners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const editable = items.filter((i) => i.editable);
  const defaults = {
    assessment_id: String(assessment.id),
    ...Object.fromEntries(
      editable.map((i) => [
        i.requirement.id,
        {
          answer: i.answer?.answer ?? "",
          evidence_note: i.answer?.evidence_note ?? "",
          evidence_link: i.answer?.evidence_link ?? "",
          version: String(i.answer?.version ?? 0),
        },
      ]),
    ),
  };
  const { form, onSubmit, errors, formError } = useZodForm(DutyAnswersSchema, actionData, defaults as never);
  const who = owners.map((o) => ANSWERERS[o]).join(" and ");
  const practiceName = titleCase(practice.name);
  return (
    <>
      <Breadcrumbs
        items={[
          { label: practiceName, to: `/practices/${practice.ods_code}` },
          { label: "Self-assessment", to: `/practices/${practice.ods_code}/assessment` },
        ]}
      />
      <h1>
        <span className="nhsuk-caption-l">
          {practiceName} ({practice.ods_code}) · {assessment.cycleName}
        </span>
        Duties for this practice
      </h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            These requirements are duties of the ICB or of the GP IT delivery partner it commissions, so the practice is not asked to vouch
            for them. You answer the ones that are the {who}&rsquo;s, with the evidence, for this practice.
            {owners.includes("icb")
              ? " The ICB's own answers count as verified as soon as they are saved."
              : " The ICB reviews your answers with the practice's."}
          </p>
          <p className="nhsuk-body-s">Due by {formatDate(assessment.dueDate)}.</p>
          {assessment.closed ? (
            <div className="nhsuk-inset-text">
              <p>This cycle has closed, so these answers can no longer change.</p>
            </div>
          ) : null}
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("assessment_id")} />
            {items.map(({ requirement: r, answer, editable: canEdit }) => {
              const f = (field: string) => `${r.id}.${field}`;
              const by = r.answeredBy === "practice" ? "Practice" : ANSWERERS[r.answeredBy];
              return (
                <fieldset
                  className="nhsuk-fieldset nhsuk-u-margin-bottom-6"
                  key={r.id}
                  id={`requirement-${r.id}`}
                  aria-describedby={`hint-${r.id}`}
                >
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                    <span className="nhsuk-caption-m">
                      {r.id} · answered by the {by}
                    </span>
                    {r.title}
                  </legend>
                  <div className="nhsuk-hint" id={`hint-${r.id}`}>
                    {r.description}
                  </div>
                  {answer?.reviewStatus === "returned" ? (
                    <div className="nhsuk-inset-text nhsuk-u-margin-top-2">
                      <p>
                        <strong>The ICB returned this answer:</strong> {answer.reviewComment}
                      </p>
                    </div>
                  ) : null}
                  {canEdit ? (
                    <>
                      {answer?.answer ? (
                        <p className="nhsuk-body-s">
                          Saved answer: <AnswerTag answer={answer.answer} /> <ReviewTag status={answer.reviewStatus} />
                          {answer.answeredBy ? ` by ${answer.answeredBy}` : ""}
                        </p>
                      ) : null}
                      <AnswerFields
                        field={(n) => form.register(f(n))}
                        error={(n) => errors[f(n)]}
                        label={`Is ${r.id} met for this practice?`}
                        linkHint="A web address starting with https://, for example the service specification or the strategy document."
                      />
                    </>
                  ) : (
                    <AnswerSummary answer={answer ?? null} answeredBy={answer?.answeredBy} />
                  )}
                </fieldset>
              );
            })}
            {editable.length ? (
              <div className="nhsuk-button-group">
                <button className="nhsuk-button" type="submit" disabled={pending}>
                  Save answers
                </button>
                <Link className="nhsuk-link" to={`/practices/${practice.ods_code}/assessment`}>
                  Back to the practice&rsquo;s self-assessment
                </Link>
              </div>
            ) : null}
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
