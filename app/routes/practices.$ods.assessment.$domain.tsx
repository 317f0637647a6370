import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { useMemo } from "react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { assessmentRights } from "~/modules/assessment/access.server";
import { AnswerFields, AnswerSummary } from "~/components/AssessmentUi";
import { assessmentDomain, domainAnswersSchema, nextDomainKey } from "~/modules/assessment/schema";
import { frameworkVersionOf, getDomainPage, saveDomainAnswers } from "~/modules/assessment/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { notFound } from "~/utils/errors";
import { parseForm } from "~/utils/forms";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle(data?.domain.label, "Self-assessment") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const page = await getDomainPage(getDb(), practice.ods_code, params.domain, todayIso());
  return { practice, ...page };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  assessmentRights(user, practice, "attest");
  const version = await frameworkVersionOf(getDb(), practice.ods_code);
  const domain = assessmentDomain(params.domain, version);
  if (!domain) throw notFound("assessment section");
  const parsed = parseForm(await request.formData(), domainAnswersSchema(domain.requirements));
  if (!parsed.ok) return parsed;
  await saveDomainAnswers(getDb(), user.id, practice.ods_code, domain.key, parsed.data, todayIso());
  const base = `/practices/${practice.ods_code}/assessment`;
  const next = nextDomainKey(domain.key, version);
  return redirect(next ? `${base}/${next}` : `${base}/submit`);
});

export default function AssessmentDomainPage() {
  const { practice, assessment, domain, items } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const schema = useMemo(() => domainAnswersSchema(items.map((i) => i.requirement)), [items]);
  const defaults = {
    assessment_id: String(assessment.id),
    ...Object.fromEntries(
      items
        .filter((i) => i.editable)
        .map((i) => [
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
  const { form, onSubmit, errors, formError } = useZodForm(schema, actionData, defaults as never);
  const base = `/practices/${practice.ods_code}/assessment`;
  const anyEditable = items.some((i) => i.editable);
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
        section={domain.label}
        caption={`Section ${domain.number} of ${domain.of} · ${assessment.cycleName}`}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {!anyEditable ? (
            <div className="nhsuk-inset-text">
              <p>
                {assessment.closed
                  ? "This cycle has closed, so these answers can no longer change."
                  : assessment.status === "verified"
                    ? "The ICB has verified these answers."
                    : "These answers have been submitted. You can change them only if the ICB returns them."}
              </p>
            </div>
          ) : (
            <p>
              For each requirement, say whether the practice meets it and note the evidence. You can leave any blank, save, and come back
              later.
            </p>
          )}
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("assessment_id")} />
            {items.map(({ requirement: r, answer, editable }) => {
              const f = (field: string) => `${r.id}.${field}`;
              return (
                <fieldset
                  className="nhsuk-fieldset nhsuk-u-margin-bottom-6"
                  key={r.id}
                  id={`requirement-${r.id}`}
                  aria-describedby={`hint-${r.id}`}
                >
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
                    <span className="nhsuk-caption-m">{r.id}</span>
                    {r.title}
                  </legend>
                  <div className="nhsuk-hint" id={`hint-${r.id}`}>
                    {r.description}
                    {r.evidence === "both" ? " Part of this is also checked from the registers." : ""}
                  </div>
                  {answer?.reviewStatus === "returned" ? (
                    <div className="nhsuk-inset-text nhsuk-u-margin-top-2">
                      <p>
                        <strong>The ICB returned this answer:</strong> {answer.reviewComment}
                      </p>
                    </div>
                  ) : null}
                  {editable ? (
                    <>
                      <AnswerFields
                        field={(n) => form.register(f(n))}
                        error={(n) => errors[f(n)]}
                        label={`Does the practice meet ${r.id}?`}
                        linkHint="A web address starting with https://, for example a page on your intranet or a shared document."
                      />
                    </>
                  ) : (
                    <AnswerSummary answer={answer ?? null} />
                  )}
                </fieldset>
              );
            })}
            {anyEditable ? (
              <div className="nhsuk-button-group">
                <button className="nhsuk-button" type="submit" disabled={pending}>
                  Save and continue
                </button>
                <Link className="nhsuk-link" to={base}>
                  Back to the task list without saving
                </Link>
              </div>
            ) : (
              <Link className="nhsuk-button nhsuk-button--secondary" to={base}>
                Back to the task list
              </Link>
            )}
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
