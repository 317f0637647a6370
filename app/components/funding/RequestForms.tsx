import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextareaField, TextField } from "~/components/fields";
import { CheckboxField } from "~/components/Funding";
import { usePending } from "~/components/usePending";
import { requestEditSchema, yearOptions } from "~/modules/funding/schema";
import type { getRequestPage } from "~/modules/funding/service.server";
import { STEP_RULES, type Step } from "~/modules/funding/workflow";
import { formatPence, penceToInput } from "~/modules/pricing/money";
import type { FormFailure } from "~/utils/forms";
import { titleCase } from "~/utils/format";
import { useZodForm } from "~/utils/use-zod-form";

/** What the request page's forms read of its loader data. */
type Data = Pick<Awaited<ReturnType<typeof getRequestPage>>, "request" | "gaps" | "estimateNow" | "currentYear"> & { add: string };

/** A refused step, or a refused edit ("edit"), with the step it belongs to so its errors show beside it. */
export type Failure = FormFailure & { step?: string };

/** One workflow step the user may take now (submit, approve, reject…), with the fields that step asks for. */
export function StepForm({
  step,
  version,
  failure,
  overrideNeeded,
  selfApproval,
}: {
  step: Step;
  version: number;
  failure: Failure | undefined;
  overrideNeeded: string | null;
  selfApproval: boolean;
}) {
  const pending = usePending();
  const mine = failure?.step === step ? failure : undefined;
  const errors = mine?.fieldErrors ?? {};
  const rule = STEP_RULES[step];
  return (
    <Form method="post" className="nhsuk-u-margin-bottom-5" id={`step-${step}`}>
      <input type="hidden" name="intent" value={step} />
      <input type="hidden" name="version" value={version} />
      {step === "reject" ? (
        <TextareaField
          name="reason"
          label="Reason for rejecting"
          hint="Required. The requester sees it."
          error={errors.reason}
          defaultValue={mine?.values?.reason ?? ""}
        />
      ) : null}
      {step === "approve" ? (
        <>
          {selfApproval ? (
            <TextareaField
              name="self_approval_reason"
              label="Reason for approving a request you raised"
              hint="You raised this request. The ICB's policy lets you approve it yourself only with a reason, which is recorded with the decision."
              error={errors.self_approval_reason}
              defaultValue={mine?.values?.self_approval_reason ?? ""}
            />
          ) : null}
          {overrideNeeded || errors.override ? (
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Budget
                </span>
              </h3>
              <p>{overrideNeeded ?? "Approving this request would go over the budget."}</p>
              <CheckboxField
                name="override"
                label="Approve over the budget"
                hint="Only with a reason the board would accept."
                error={errors.override}
                defaultValue={mine?.values?.override ?? ""}
              />
              <TextareaField
                name="override_reason"
                label="Reason for going over the budget"
                error={errors.override_reason}
                defaultValue={mine?.values?.override_reason ?? ""}
              />
            </div>
          ) : null}
        </>
      ) : null}
      <button
        className={`nhsuk-button${step === "reject" ? " nhsuk-button--warning" : step === "submit" || step === "approve" ? "" : " nhsuk-button--secondary"}`}
        type="submit"
        disabled={pending}
      >
        {rule.label}
      </button>
    </Form>
  );
}

/** The draft's editor: gaps to keep or add, title, year, amount and justification. */
export function EditForm({ data, failure }: { data: Data; failure: Failure | undefined }) {
  const pending = usePending();
  const r = data.request;
  const { form, onSubmit, errors, formError } = useZodForm(
    requestEditSchema(data.estimateNow),
    failure?.step === "edit" ? failure : undefined,
    {
      version: String(r.version),
      title: r.title,
      financial_year: String(r.financial_year),
      amount: penceToInput(r.amount_pence),
      amount_reason: r.amount_reason ?? "",
      justification: r.justification,
    } as never,
  );
  const addError = failure?.step === "edit" ? failure.fieldErrors.add_gaps : undefined;
  return (
    <section aria-labelledby="edit-title" className="nhsuk-u-margin-bottom-6">
      <h2 id="edit-title">Change this draft</h2>
      <ErrorSummary errors={{ ...errors, add_gaps: addError }} formError={formError} />
      <Form method="post" noValidate onSubmit={onSubmit}>
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" {...form.register("version")} />
        <div className="nhsuk-form-group">
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Gaps to keep</legend>
            <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
              {data.gaps.map((g) => (
                <div className="nhsuk-checkboxes__item" key={g.id}>
                  <input className="nhsuk-checkboxes__input" id={`keep-${g.id}`} name="gap" type="checkbox" value={g.id} defaultChecked />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`keep-${g.id}`}>
                    #{g.id} {titleCase(g.practiceName)}: {g.requirementId} {g.title} (
                    {g.estimate.pence === null ? "no estimate" : formatPence(g.estimate.pence)})
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <TextField
          name="add_gaps"
          label="Add gaps by number"
          hint="Gap numbers from the gap register, separated by commas, for example 12, 15"
          error={addError}
          defaultValue={data.add}
        />
        <TextField label="Title" error={errors.title} {...form.register("title")} />
        <SelectField
          label="Financial year"
          options={yearOptions(data.currentYear)}
          error={errors.financial_year}
          {...form.register("financial_year")}
        />
        <TextField
          label="Amount requested, in pounds"
          hint={data.estimateNow === null ? "Some gaps have no estimate." : `The gaps' estimate today is ${formatPence(data.estimateNow)}.`}
          width={20}
          inputMode="decimal"
          error={errors.amount}
          {...form.register("amount")}
        />
        <TextareaField
          label="Reason for the amount"
          hint="Required when the amount differs from the estimate."
          error={errors.amount_reason}
          {...form.register("amount_reason")}
        />
        <TextareaField label="Justification" rows={5} error={errors.justification} {...form.register("justification")} />
        <div className="app-search-row">
          <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={pending}>
            Save changes
          </button>
          <Link to="." className="nhsuk-body-s">
            Cancel
          </Link>
        </div>
      </Form>
    </section>
  );
}
