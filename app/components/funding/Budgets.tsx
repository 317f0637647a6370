import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Fragment } from "react";
import { formatDateTime } from "~/components/Compliance";
import { DataTable, NUMERIC_CELL } from "~/components/DataTable";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { Money } from "~/components/Funding";
import { NotKnown } from "~/components/NotKnown";
import { usePending } from "~/components/usePending";
import type { getBudgetYears } from "~/modules/funding/budget.server";
import { BudgetSchema } from "~/modules/funding/schema";
import { penceToInput } from "~/modules/pricing/money";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

type Editing = {
  year: number;
  label: string;
  budgetPence: number | null;
  version: number | null;
  capitalPence: number | null;
  revenuePence: number | null;
};

/** Sets or changes one year's capital and revenue budgets, at the version shown. */
export function BudgetForm({ editing, actionData }: { editing: Editing; actionData: FormFailure | undefined }) {
  const pending = usePending();
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
            <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={pending}>
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

/**
 * Each financial year's budget in its capital, revenue and total rows, against what is approved,
 * funded or delivered and what waits for a decision; an over-spent pot shows in red.
 */
export function BudgetYearsTable({
  years,
  icbCode,
  currentYear,
  canManage,
}: {
  years: Awaited<ReturnType<typeof getBudgetYears>>;
  icbCode: string;
  currentYear: number;
  canManage: boolean;
}) {
  return (
    <DataTable
      caption="Budget and requests by financial year"
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      scroll
      columns={[
        { header: "Financial year" },
        { header: "Pot" },
        ...["Budget", "Approved, funded or delivered", "Left", "Waiting for a decision"].map((header) => ({ header, numeric: true })),
        canManage && { header: <span className="nhsuk-u-visually-hidden">Actions</span> },
      ]}
    >
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
                    <Link to={`/funding-requests?icb=${icbCode}&year=${y.year}`}>{y.label}</Link>
                    {y.year === currentYear ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">This year</div> : null}
                    {y.setBy ? (
                      <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
                        Set by {y.setBy}, {formatDateTime(y.updatedAt)}
                      </div>
                    ) : null}
                  </th>
                ) : null}
                <th scope="row">{POT_NAMES[pot]}</th>
                <td className={NUMERIC_CELL}>
                  <Money pence={p.budgetPence} none="Not set" />
                </td>
                <td className={NUMERIC_CELL}>
                  <Money pence={p.committedPence} />
                </td>
                <td className={NUMERIC_CELL}>
                  {p.remainingPence === null ? (
                    <NotKnown>No budget</NotKnown>
                  ) : p.remainingPence < 0 ? (
                    <strong className="nhsuk-tag nhsuk-tag--red">
                      Over by <Money pence={-p.remainingPence} />
                    </strong>
                  ) : (
                    <Money pence={p.remainingPence} />
                  )}
                </td>
                <td className={NUMERIC_CELL}>{pot === "total" ? <Money pence={y.byStatus.submitted} /> : null}</td>
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
    </DataTable>
  );
}
