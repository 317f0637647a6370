import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { titleCase } from "~/utils/format";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { SuccessBanner } from "~/components/SuccessBanner";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextareaField, TextField } from "~/components/fields";
import { CheckboxField, GapLinesTable, Money, RequestStatusTag } from "~/components/Funding";
import { History } from "~/components/History";
import { parseGapIds, requestEditSchema, TransitionSchema, yearOptions } from "~/modules/funding/schema";
import { getRequestPage, prepareGaps, RequestFieldError, transition, updateDraft } from "~/modules/funding/service.server";
import { STEP_RULES, type Step } from "~/modules/funding/workflow";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence, penceToInput } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { idParam } from "~/utils/params";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.request.title ?? "Funding request"} – GP digital estate` },
];

const requestId = (raw: string | undefined) => idParam(raw, "funding request");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requirePermission(request, "funding:request");
  const id = requestId(params.id);
  const page = await handle(() => getRequestPage(getDb(), user, id, todayIso()));
  const url = new URL(request.url);
  const add = url.searchParams.getAll("add").join(",");
  return { ...page, editing: page.canEdit && url.searchParams.get("edit") !== null, add, done: url.searchParams.get("done") };
}

type Failure = FormFailure & { step?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<Failure | Response> {
  const { user, scope } = await requirePermission(request, "funding:request");
  const id = requestId(params.id);
  const today = todayIso();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent === "edit") {
    const ids = parseGapIds([...formData.getAll("gap"), ...formData.getAll("add_gaps")]);
    if (!ids.ok) return { ok: false, step: "edit", fieldErrors: { add_gaps: ids.message }, values: stringValues(formData) };
    let estimate: number | null;
    try {
      estimate = (await handle(() => prepareGaps(getDb(), scope, ids.ids, today, id))).estimatePence;
    } catch (e) {
      if (e instanceof RequestFieldError)
        return { ok: false, step: "edit", fieldErrors: { add_gaps: e.message }, values: stringValues(formData) };
      throw e;
    }
    const parsed = parseForm(formData, requestEditSchema(estimate));
    if (!parsed.ok) return { ...parsed, step: "edit" };
    const result = await handleForm(async (): Promise<Failure | Response> => {
      try {
        await updateDraft(getDb(), user, id, parsed.data.version, ids.ids, parsed.data, today);
        return redirect(`/funding-requests/${id}?done=updated`);
      } catch (e) {
        if (e instanceof RequestFieldError)
          return {
            ok: false,
            step: "edit",
            fieldErrors: e.fieldErrors.gaps ? { add_gaps: e.fieldErrors.gaps } : e.fieldErrors,
            values: stringValues(formData),
          };
        throw e;
      }
    });
    return result instanceof Response ? result : { ...result, step: "edit", values: stringValues(formData) };
  }
  const parsed = parseForm(formData, TransitionSchema);
  if (!parsed.ok) return { ...parsed, step: intent };
  const result = await handleForm(async (): Promise<Failure | Response> => {
    try {
      await transition(getDb(), user, id, parsed.data, today);
      return redirect(`/funding-requests/${id}?done=${STEP_RULES[parsed.data.intent as Step].done}`);
    } catch (e) {
      if (e instanceof RequestFieldError) return { ok: false, step: intent, fieldErrors: e.fieldErrors, values: stringValues(formData) };
      throw e;
    }
  });
  return result instanceof Response ? result : { ...result, step: intent };
}

const stringValues = (fd: FormData) =>
  Object.fromEntries([...fd.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "gap"));

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function StepForm({
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
  const navigation = useNavigation();
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
        disabled={navigation.state === "submitting"}
      >
        {rule.label}
      </button>
    </Form>
  );
}

function EditForm({ data, failure }: { data: Data; failure: Failure | undefined }) {
  const navigation = useNavigation();
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
          <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={navigation.state === "submitting"}>
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

export default function FundingRequestPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && !actionData.ok ? (actionData as Failure) : undefined;
  const { request: r, gaps, estimateNow, estimateAtRequest, budget, history, steps, canEdit, editing, done } = data;
  const closed = gaps.filter((g) => g.status === "closed").length;
  const diff = estimateAtRequest === null ? null : r.amount_pence - estimateAtRequest;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Funding requests", to: "/funding-requests" },
        ]}
      />
      <span className="nhsuk-caption-l">
        Funding request #{r.id} · {r.icb_name ?? r.icb_code} · {financialYearLabel(r.financial_year)}
      </span>
      <h1>{r.title}</h1>
      {/* The banner is for the step just taken: never beside the error of a step that failed since. */}
      {done && !actionData ? <SuccessBanner>Request {done}.</SuccessBanner> : null}
      {failure && failure.step !== "edit" ? <ErrorSummary errors={failure.fieldErrors ?? {}} formError={failure.formError} /> : null}
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Status</dt>
          <dd className="nhsuk-summary-list__value">
            <RequestStatusTag status={r.status} />
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Amount requested</dt>
          <dd className="nhsuk-summary-list__value">
            <strong>{formatPence(r.amount_pence)}</strong> ex VAT
            {r.vat_pence !== null ? (
              <>
                {" "}
                · {formatPence(r.amount_pence + r.vat_pence)} inc VAT (VAT {formatPence(r.vat_pence)})
              </>
            ) : null}
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              Capital {formatPence(r.capital_pence)} · revenue {formatPence(r.revenue_pence)}
            </div>
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              Estimate when requested: <Money pence={estimateAtRequest} />
              {diff ? ` (${diff > 0 ? "+" : "−"}${formatPence(Math.abs(diff))})` : ""} · estimate today: <Money pence={estimateNow} />
            </div>
            {r.amount_reason ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Reason for the amount: {r.amount_reason}</div> : null}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Justification</dt>
          <dd className="nhsuk-summary-list__value app-pre-line">{r.justification}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Raised by</dt>
          <dd className="nhsuk-summary-list__value">
            {r.created_by_name ?? "Not recorded"}, {formatDateTime(r.created_at)}
            {r.submitted_at ? ` · submitted ${formatDateTime(r.submitted_at)}` : ""}
          </dd>
        </div>
        {r.decided_at ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Decision</dt>
            <dd className="nhsuk-summary-list__value">
              {r.status === "rejected" ? "Rejected" : "Approved"} by {r.decided_by_name ?? "not recorded"}, {formatDateTime(r.decided_at)}
              {r.decision_reason ? <div>Reason: {r.decision_reason}</div> : null}
              {r.self_approval_reason ? <div>Approved by the person who raised it. Reason: {r.self_approval_reason}</div> : null}
              {r.budget_override_reason ? (
                <div>
                  <strong className="nhsuk-tag nhsuk-tag--orange">Over budget</strong> Override reason: {r.budget_override_reason}
                </div>
              ) : null}
            </dd>
          </div>
        ) : null}
        {r.funded_at || r.delivered_at ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Funding and delivery</dt>
            <dd className="nhsuk-summary-list__value">
              {r.funded_at ? `Funded ${formatDateTime(r.funded_at)}` : ""}
              {r.delivered_at ? ` · delivered ${formatDateTime(r.delivered_at)}` : ""}
            </dd>
          </div>
        ) : null}
      </dl>

      <h2>Gaps</h2>
      {closed ? (
        <p>
          {closed} of {gaps.length} gap{gaps.length === 1 ? " is" : "s are"} now closed: re-evaluation found the requirement met.
        </p>
      ) : null}
      <GapLinesTable
        gaps={gaps}
        caption={`${gaps.length} gap${gaps.length === 1 ? "" : "s"} in this request`}
        requestStatus={r.status}
        extra={(g) => {
          const at = gaps.find((x) => x.id === g.id)?.estimateAtRequest;
          return at !== undefined && at !== g.estimate.pence ? (
            <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
              Estimate when requested: {at === null ? "none" : formatPence(at)}
            </div>
          ) : null;
        }}
      />

      <h2>Budget for {financialYearLabel(budget.year)}</h2>
      {budget.budgetPence === null ? (
        <p>
          No budget is set for {financialYearLabel(budget.year)}. Approved, funded and delivered so far:{" "}
          {formatPence(budget.committedPence)}. <Link to={`/icbs/${r.icb_code}/budgets`}>Budgets</Link>
        </p>
      ) : (
        <>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              Each pot against this request's {formatPence(r.capital_pence)} capital and {formatPence(r.revenue_pence)} revenue (ex VAT)
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Pot</th>
                <th scope="col" className="app-numeric">
                  Budget
                </th>
                <th scope="col" className="app-numeric">
                  Approved, funded and delivered
                </th>
                <th scope="col" className="app-numeric">
                  Left
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {(["capital", "revenue"] as const).map((pot) => (
                <tr key={pot}>
                  <th scope="row">{pot === "capital" ? "Capital" : "Revenue"}</th>
                  <td className="app-numeric">
                    <Money pence={budget.pots[pot].budgetPence} none="Not set" />
                  </td>
                  <td className="app-numeric">{formatPence(budget.pots[pot].committedPence)}</td>
                  <td className="app-numeric">
                    {budget.pots[pot].remainingPence === null ? (
                      <span className="app-muted">No budget</span>
                    ) : (
                      <strong>{formatPence(budget.pots[pot].remainingPence)}</strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link to={`/icbs/${r.icb_code}/budgets`}>Budgets</Link>
          </p>
        </>
      )}

      {steps.length || canEdit ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">What you can do</h2>
          {steps.map((s) => (
            <StepForm
              key={s}
              step={s}
              version={r.version}
              failure={failure}
              overrideNeeded={s === "approve" ? budget.overrideNeeded : null}
              selfApproval={s === "approve" && data.selfApprovalNeedsReason}
            />
          ))}
          {canEdit && !editing ? (
            <p>
              <Link to="?edit=1#edit-title">Change this draft</Link> (title, amount, gaps)
            </p>
          ) : null}
        </section>
      ) : null}
      {editing || failure?.step === "edit" ? <EditForm data={data} failure={failure} /> : null}

      <h2>History</h2>
      <History
        events={history}
        labels={{
          status: "Status",
          title: "Title",
          gaps: "Gaps",
          justification: "Justification",
          amount: "Amount",
          amount_reason: "Reason for the amount",
          financial_year: "Financial year",
          decision_reason: "Decision reason",
          budget_override_reason: "Budget override reason",
          capital: "Capital",
          revenue: "Revenue",
          vat: "VAT",
          self_approval_reason: "Reason for approving own request",
        }}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
