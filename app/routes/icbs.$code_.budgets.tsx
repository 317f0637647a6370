import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { BudgetForm, BudgetYearsTable } from "~/components/funding/Budgets";
import { titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { canManagePolicy, findIcbInScope } from "~/modules/compliance/icb-view.server";
import { getBudgetHistory, getBudgetYears, setBudget } from "~/modules/funding/budget.server";
import { BudgetSchema, yearOptions } from "~/modules/funding/schema";
import { financialYearLabel, financialYearOf, parseFinancialYear } from "~/modules/pricing/financial-year";
import { penceToInput } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/errors";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";
import { redirectWithFlash } from "~/modules/auth/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `GP IT budgets – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const today = todayIso();
  const canManage = canManagePolicy(user.memberships, icb.code);
  const years = await getBudgetYears(getDb(), icb.code, today);
  const history = await getBudgetHistory(
    getDb(),
    icb.code,
    years.map((y) => y.year),
  );
  const url = new URL(request.url);
  const editYear = canManage ? parseFinancialYear(url.searchParams.get("year") ?? "") : null;
  const found = editYear === null ? undefined : years.find((y) => y.year === editYear);
  const editing =
    editYear === null
      ? null
      : {
          year: editYear,
          label: financialYearLabel(editYear),
          budgetPence: found?.budgetPence ?? null,
          version: found?.version ?? null,
          capitalPence: found?.pots.capital.budgetPence ?? null,
          revenuePence: found?.pots.revenue.budgetPence ?? null,
        };
  return { icb, canManage, years, history, editing, currentYear: financialYearOf(today) };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  if (!canManagePolicy(user.memberships, icb.code)) throw forbidden("Only the ICB's digital lead can set its budgets.");
  const parsed = parseForm(await request.formData(), BudgetSchema);
  if (!parsed.ok) return parsed;
  const result = await orFailure({}, async (): Promise<FormFailure | Response> => {
    await setBudget(getDb(), user, icb.code, parsed.data);
    return redirectWithFlash(request, `/icbs/${icb.code}/budgets`, `Budget for ${financialYearLabel(parsed.data.financial_year)} saved.`);
  });
  if (result instanceof Response) return result;
  return { ...result, values: { capital: penceToInput(parsed.data.capital), revenue: penceToInput(parsed.data.revenue) } };
});

export default function BudgetsPage() {
  const { icb, canManage, years, history, editing, currentYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>GP IT budgets</h1>
      <p>
        The ICB's GP IT budget for each financial year (April to March), in two pots, capital and revenue, and the funding requests against
        it. Each request's amount is split into capital and revenue from its gaps' prices. Approving a request never takes either pot's
        approved, funded and delivered total over its budget without an explicit override and a reason. All amounts are ex VAT, like the
        price list. <Link to={`/funding-requests?icb=${icb.code}`}>Funding requests</Link>
      </p>
      {editing ? (
        <section aria-labelledby="edit-budget" className="nhsuk-u-margin-bottom-6">
          <h2 id="edit-budget">
            {editing.budgetPence === null ? "Set" : "Change"} the budget for {editing.label}
          </h2>
          {editing.budgetPence !== null && editing.capitalPence === null ? (
            <p>
              This year's budget was set as one amount before budgets had capital and revenue pots: it is shown as revenue. Set the capital
              part.
            </p>
          ) : null}
          <BudgetForm key={`${editing.year}-${editing.version}`} editing={editing} actionData={actionData} />
        </section>
      ) : null}
      <BudgetYearsTable years={years} icbCode={icb.code} currentYear={currentYear} canManage={canManage} />
      {canManage ? (
        <Form method="get" className="nhsuk-u-margin-top-4">
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-3">
            <label className="nhsuk-label" htmlFor="other-year">
              Set a budget for another year
            </label>
            <select className="nhsuk-select" id="other-year" name="year" defaultValue={String(currentYear + 2)}>
              {yearOptions(currentYear).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Choose year
          </button>
        </Form>
      ) : (
        <p className="nhsuk-body-s app-muted">Only the ICB's digital lead can set budgets.</p>
      )}
      <h2 className="nhsuk-u-margin-top-6">Changes to budgets</h2>
      <History
        events={history}
        labels={{ budget: "Budget (total)", capital: "Capital", revenue: "Revenue", financial_year: "Financial year" }}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
