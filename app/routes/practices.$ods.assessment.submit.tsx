import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { assessmentRights } from "~/modules/assessment/access.server";
import { AnswerTag, EvidenceLink, ReviewTag } from "~/components/AssessmentUi";
import { SubmitSchema } from "~/modules/assessment/schema";
import { getSubmitPage, submitAssessment } from "~/modules/assessment/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Check your answers", "Self-assessment") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const page = await getSubmitPage(getDb(), practice.ods_code, todayIso());
  return { practice, ...page };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const parsed = parseForm(await request.formData(), SubmitSchema);
  if (!parsed.ok) return parsed;
  await submitAssessment(getDb(), user.id, practice.ods_code, parsed.data, todayIso());
  return redirect(`/practices/${practice.ods_code}/assessment`);
});

export default function SubmitAssessmentPage() {
  const { practice, assessment, missing, domains } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(SubmitSchema, actionData, {
    assessment_id: String(assessment.id),
    version: String(assessment.version),
  });
  const base = `/practices/${practice.ods_code}/assessment`;
  const canSubmit = assessment.editable;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Self-assessment", to: base },
        ]}
      />
      <PracticeHeader
        ods={practice.ods_code}
        name={practice.name}
        section="Check your answers before submitting"
        caption={`${assessment.cycleName} · due ${formatDate(assessment.dueDate)}`}
      />
      <ErrorSummary errors={errors} formError={formError} />
      {missing.length && canSubmit ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {missing.length === 1 ? "1 requirement is not answered yet" : `${missing.length} requirements are not answered yet`}
            </span>
          </h2>
          <p>You can submit once every requirement has an answer.</p>
          <ul>
            {missing.map((r) => (
              <li key={r.id}>
                <Link to={`${base}/${r.domain}#requirement-${r.id}`}>
                  {r.id} {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {domains.map((d) => (
        <section key={d.key}>
          <h2 className="nhsuk-heading-m">{d.label}</h2>
          <dl className="nhsuk-summary-list">
            {d.items.map(({ requirement: r, answer, editable }) => (
              <div className="nhsuk-summary-list__row" key={r.id}>
                <dt className="nhsuk-summary-list__key">
                  {r.id} {r.title}
                </dt>
                <dd className="nhsuk-summary-list__value">
                  <AnswerTag answer={answer?.answer ?? null} />{" "}
                  {answer?.answer && answer.reviewStatus !== "pending" ? <ReviewTag status={answer.reviewStatus} /> : null}
                  {answer?.evidence_note ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">{answer.evidence_note}</p>
                  ) : null}
                  {answer?.evidence_link ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      <EvidenceLink href={answer.evidence_link} />
                    </p>
                  ) : null}
                </dd>
                <dd className="nhsuk-summary-list__actions">
                  {editable ? (
                    <Link to={`${base}/${d.key}#requirement-${r.id}`}>
                      Change<span className="nhsuk-u-visually-hidden"> the answer to {r.id}</span>
                    </Link>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      {canSubmit ? (
        <>
          <h2>Now send your assessment</h2>
          <p>
            By submitting, you confirm that the answers are correct to the best of your knowledge. The ICB will verify each answer or return
            it with a comment.
          </p>
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("assessment_id")} />
            <input type="hidden" {...form.register("version")} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Submit assessment
            </button>
          </Form>
        </>
      ) : (
        <p>
          This assessment cannot be submitted now. <Link to={base}>Back to the self-assessment</Link>
        </p>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
