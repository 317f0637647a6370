import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { SuccessBanner } from "~/components/SuccessBanner";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { titleCase } from "~/components/format";
import { Money } from "~/components/Funding";
import { History } from "~/components/History";
import { canManagePolicy, findIcbInScope } from "~/modules/compliance/icb-view.server";
import { getBudgetHistory, getBudgetYears, setBudget } from "~/modules/funding/budget.server";
import { BudgetSchema, yearOptions } from "~/modules/funding/schema";
import { financialYearLabel, financialYearOf, parseFinancialYear } from "~/modules/pricing/financial-year";
import { penceToInput } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { forbidden, toResponse } from "~/utils/errors";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm, requirePermission } from "~/utils/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { scrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `GP IT budgets – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  const today = todayIso();
  const canManage = canManagePolicy(user.memberships, icb.code);
  const years = await getBudgetYears(getDb(), icb.code, today);
  const history = await getBudgetHistory(getDb(), icb.code, years.map((y) => y.year));
  const url = new URL(request.url);
  const editYear = canManage ? parseFinancialYear(url.searchParams.get("year") ?? "") : null;
  const editing = editYear === null ? null : (years.find((y) => y.year === editYear) ?? { year: editYear, label: financialYearLabel(editYear), budgetPence: null, version: null });
  return { icb, canManage, years, history, editing: editing ? { year: editing.year, label: editing.label, budgetPence: editing.budgetPence, version: editing.version } : null, currentYear: financialYearOf(today), saved: url.searchParams.get("saved") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  if (!canManagePolicy(user.memberships, icb.code)) throw toResponse(forbidden("Only the ICB's digital lead can set its budgets."));
  const parsed = parseForm(await request.formData(), BudgetSchema);
  if (!parsed.ok) return parsed;
  const result = await handleForm(async (): Promise<FormFailure | Response> => {
    await setBudget(getDb(), user, icb.code, parsed.data);
    return redirect(`/icbs/${icb.code}/budgets?saved=${parsed.data.financial_year}`);
  });
  if (result instanceof Response) return result;
  return { ...result, values: { amount: penceToInput(parsed.data.amount) } };
}

function BudgetForm({ editing }: { editing: { year: number; label: string; budgetPence: number | null; version: number | null } }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(BudgetSchema, actionData, {
    financial_year: String(editing.year),
    amount: penceToInput(editing.budgetPence),
    version: editing.version === null ? "" : String(editing.version),
  } as never);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" {...form.register("financial_year")} />
          <input type="hidden" {...form.register("version")} />
          <TextField label={`GP IT budget for ${editing.label}, in pounds`} hint="For example, 1,250,000" width={20} inputMode="decimal" error={errors.amount} {...form.register("amount")} />
          <div className="app-search-row">
            <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={navigation.state === "submitting"}>
              Save the budget
            </button>
            <Link to="." className="nhsuk-body-s">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

export default function BudgetsPage() {
  const { icb, canManage, years, history, editing, currentYear, saved } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }, { label: "ICBs", to: "/icbs" }, { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` }]} />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>GP IT budgets</h1>
      <p>
        The ICB's GP IT budget for each financial year (April to March), and the funding requests against it. Approving a request never takes
        the approved, funded and delivered total over the budget without an explicit override and a reason.{" "}
        <Link to={`/funding-requests?icb=${icb.code}`}>Funding requests</Link>
      </p>
      {saved ? (
        <SuccessBanner>Budget for {financialYearLabel(Number(saved))} saved.</SuccessBanner>
      ) : null}
      {editing ? (
        <section aria-labelledby="edit-budget" className="nhsuk-u-margin-bottom-6">
          <h2 id="edit-budget">{editing.budgetPence === null ? "Set" : "Change"} the budget for {editing.label}</h2>
          <BudgetForm key={`${editing.year}-${editing.version}`} editing={editing} />
        </section>
      ) : null}
      <div className="app-table-wrap" {...scrollRegion("Budget and requests by financial year")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Budget and requests by financial year</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Financial year</th>
              <th scope="col" className="app-numeric">Budget</th>
              <th scope="col" className="app-numeric">Submitted</th>
              <th scope="col" className="app-numeric">Approved</th>
              <th scope="col" className="app-numeric">Funded</th>
              <th scope="col" className="app-numeric">Delivered</th>
              <th scope="col" className="app-numeric">Left</th>
              {canManage ? (
                <th scope="col">
                  <span className="nhsuk-u-visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {years.map((y) => (
              <tr key={y.year}>
                <th scope="row">
                  <Link to={`/funding-requests?icb=${icb.code}&year=${y.year}`}>{y.label}</Link>
                  {y.year === currentYear ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">This year</div> : null}
                </th>
                <td className="app-numeric">
                  <Money pence={y.budgetPence} none="Not set" />
                  {y.setBy ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">{y.setBy}, {formatDateTime(y.updatedAt)}</div> : null}
                </td>
                <td className="app-numeric"><Money pence={y.byStatus.submitted} /></td>
                <td className="app-numeric"><Money pence={y.byStatus.approved} /></td>
                <td className="app-numeric"><Money pence={y.byStatus.funded} /></td>
                <td className="app-numeric"><Money pence={y.byStatus.delivered} /></td>
                <td className="app-numeric">
                  {y.remainingPence === null ? <span className="app-muted">No budget</span> : y.remainingPence < 0 ? <strong className="nhsuk-tag nhsuk-tag--red">Over by <Money pence={-y.remainingPence} /></strong> : <Money pence={y.remainingPence} />}
                </td>
                {canManage ? (
                  <td>
                    <Link to={`?year=${y.year}#edit-budget`}>
                      {y.budgetPence === null ? "Set" : "Change"}
                      <span className="nhsuk-u-visually-hidden"> the budget for {y.label}</span>
                    </Link>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <Form method="get" className="nhsuk-u-margin-top-4">
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-3">
            <label className="nhsuk-label" htmlFor="other-year">Set a budget for another year</label>
            <select className="nhsuk-select" id="other-year" name="year" defaultValue={String(currentYear + 2)}>
              {yearOptions(currentYear).map((o) => (
                <option key={o.value} value={o.value}>{o.label}</option>
              ))}
            </select>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">Choose year</button>
        </Form>
      ) : (
        <p className="nhsuk-body-s app-muted">Only the ICB's digital lead can set budgets.</p>
      )}
      <h2 className="nhsuk-u-margin-top-6">Changes to budgets</h2>
      <History events={history} labels={{ budget: "Budget", financial_year: "Financial year" }} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
