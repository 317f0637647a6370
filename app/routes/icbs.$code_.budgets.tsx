import { Fragment } from "react";
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
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { scrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `GP IT budgets – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
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
  return { icb, canManage, years, history, editing, currentYear: financialYearOf(today), saved: url.searchParams.get("saved") };
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
  return { ...result, values: { capital: penceToInput(parsed.data.capital), revenue: penceToInput(parsed.data.revenue) } };
}

type Editing = {
  year: number;
  label: string;
  budgetPence: number | null;
  version: number | null;
  capitalPence: number | null;
  revenuePence: number | null;
};

function BudgetForm({ editing }: { editing: Editing }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(BudgetSchema, actionData, {
    financial_year: String(editing.year),
    capital: penceToInput(editing.capitalPence),
    revenue: penceToInput(editing.revenuePence),
    version: editing.version === null ? "" : String(editing.version),
  } as never);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" {...form.register("financial_year")} />
          <input type="hidden" {...form.register("version")} />
          <TextField
            label={`Capital budget for ${editing.label}, in pounds`}
            hint="Money for things the ICB will own: replacement computers, network kit, connections and building works. For example, 1,000,000"
            width={20}
            inputMode="decimal"
            error={errors.capital}
            {...form.register("capital")}
          />
          <TextField
            label={`Revenue budget for ${editing.label}, in pounds`}
            hint="Money spent in the year: licences, rental, support, extended warranties and services. Enter 0 if there is none. For example, 250,000"
            width={20}
            inputMode="decimal"
            error={errors.revenue}
            {...form.register("revenue")}
          />
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

const POT_ROWS = ["capital", "revenue", "total"] as const;
const POT_NAMES = { capital: "Capital", revenue: "Revenue", total: "Total" } as const;

export default function BudgetsPage() {
  const { icb, canManage, years, history, editing, currentYear, saved } = useLoaderData<typeof loader>();
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
      {saved ? <SuccessBanner>Budget for {financialYearLabel(Number(saved))} saved.</SuccessBanner> : null}
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
          <BudgetForm key={`${editing.year}-${editing.version}`} editing={editing} />
        </section>
      ) : null}
      <div className="app-table-wrap" {...scrollRegion("Budget and requests by financial year")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--m">Budget and requests by financial year</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Financial year</th>
              <th scope="col">Pot</th>
              <th scope="col" className="app-numeric">
                Budget
              </th>
              <th scope="col" className="app-numeric">
                Approved, funded or delivered
              </th>
              <th scope="col" className="app-numeric">
                Left
              </th>
              <th scope="col" className="app-numeric">
                Waiting for a decision
              </th>
              {canManage ? (
                <th scope="col">
                  <span className="nhsuk-u-visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {years.map((y) => (
              <Fragment key={y.year}>
                {POT_ROWS.map((pot, i) => {
                  const p =
                    pot === "total"
                      ? { budgetPence: y.budgetPence, committedPence: y.committedPence, remainingPence: y.remainingPence }
                      : y.pots[pot];
                  return (
                    <tr key={pot} className={pot === "total" ? "app-total-row" : undefined}>
                      {i === 0 ? (
                        <th scope="rowgroup" rowSpan={POT_ROWS.length}>
                          <Link to={`/funding-requests?icb=${icb.code}&year=${y.year}`}>{y.label}</Link>
                          {y.year === currentYear ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">This year</div> : null}
                          {y.setBy ? (
                            <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
                              Set by {y.setBy}, {formatDateTime(y.updatedAt)}
                            </div>
                          ) : null}
                        </th>
                      ) : null}
                      <th scope="row">{POT_NAMES[pot]}</th>
                      <td className="app-numeric">
                        <Money pence={p.budgetPence} none="Not set" />
                      </td>
                      <td className="app-numeric">
                        <Money pence={p.committedPence} />
                      </td>
                      <td className="app-numeric">
                        {p.remainingPence === null ? (
                          <span className="app-muted">No budget</span>
                        ) : p.remainingPence < 0 ? (
                          <strong className="nhsuk-tag nhsuk-tag--red">
                            Over by <Money pence={-p.remainingPence} />
                          </strong>
                        ) : (
                          <Money pence={p.remainingPence} />
                        )}
                      </td>
                      <td className="app-numeric">{pot === "total" ? <Money pence={y.byStatus.submitted} /> : null}</td>
                      {canManage ? (
                        <td>
                          {i === 0 ? (
                            <Link to={`?year=${y.year}#edit-budget`}>
                              {y.budgetPence === null ? "Set" : "Change"}
                              <span className="nhsuk-u-visually-hidden"> the budget for {y.label}</span>
                            </Link>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
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
