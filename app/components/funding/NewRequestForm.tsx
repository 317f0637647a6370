import { Form, useNavigate } from "@remix-run/react";
import { Link } from "~/components/Link";
import { useRef } from "react";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextareaField, TextField } from "~/components/fields";
import { GapLinesTable, Money } from "~/components/Funding";
import { usePending } from "~/components/usePending";
import { requestFieldsSchema, yearOptions } from "~/modules/funding/schema";
import type { prepareGaps } from "~/modules/funding/service.server";
import type { SplitPreview } from "~/modules/funding/split";
import { REQUEST_STATUSES } from "~/modules/funding/workflow";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence, penceToInput } from "~/modules/pricing/money";
import type { FormFailure } from "~/utils/forms";
import { plural } from "~/utils/format";
import { useZodForm } from "~/utils/use-zod-form";

/**
 * The new request's gaps and its form: title, year, amount (checked against the budget's pots
 * with "Check the split"), reason and justification; saved as a draft or submitted.
 */
export function RequestForm({
  prepared,
  currentYear,
  preview,
  previewErrors,
  values,
  actionData,
}: {
  prepared: Awaited<ReturnType<typeof prepareGaps>>;
  currentYear: number;
  preview: SplitPreview | null;
  previewErrors: Record<string, string>;
  values: Record<string, string | undefined>;
  /** The refused save, if any (its field errors show beside the fields). */
  actionData: FormFailure | { ok: true } | undefined;
}) {
  const pending = usePending();
  const navigate = useNavigate();
  const intent = useRef<HTMLInputElement>(null);
  const { gaps, estimatePence, knownPence, otherRequests, icbCode } = prepared;
  const practices = new Set(gaps.map((g) => g.practiceCode));
  const defaultTitle =
    practices.size === 1
      ? `${gaps[0].practiceName}: ${gaps.length} gap${gaps.length === 1 ? "" : "s"}`
      : `${plural(gaps.length, "gap")} across ${plural(practices.size, "practice")}`;
  const { form, onSubmit, errors, formError } = useZodForm(requestFieldsSchema(estimatePence), actionData, {
    title: defaultTitle,
    financial_year: String(currentYear),
    amount: penceToInput(estimatePence),
    amount_reason: "",
    justification: "",
    ...values,
  } as never);
  // With scripts, "Check the split" goes to the same address as the plain GET would, without the form's own checks.
  const checkSplit = (e: React.MouseEvent<HTMLButtonElement>) => {
    const el = e.currentTarget.form;
    if (!el) return;
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(el)) if (typeof v === "string" && k !== "intent") params.append(k, v);
    params.set("check", "1");
    navigate(`?${params.toString()}#split`, { preventScrollReset: true });
  };
  return (
    <>
      <p>
        {gaps.length} gap{gaps.length === 1 ? "" : "s"} in {icbCode}. Estimated cost:{" "}
        <strong>
          <Money pence={estimatePence} />
        </strong>
        {estimatePence === null ? (
          <>
            {" "}
            — some gaps have no estimate (the priced part comes to {formatPence(knownPence)}), so enter the amount yourself and say how you
            arrived at it.
          </>
        ) : null}
      </p>
      <GapLinesTable
        gaps={gaps}
        caption="Gaps in this request"
        extra={(g) =>
          otherRequests[g.id]?.length ? (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              Already in{" "}
              {otherRequests[g.id].map((r, i) => (
                <span key={r.id}>
                  {i ? ", " : ""}
                  <Link to={`/funding-requests/${r.id}`}>#{r.id}</Link> ({REQUEST_STATUSES[r.status].toLowerCase()})
                </span>
              ))}
            </div>
          ) : null
        }
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            {gaps.map((g) => (
              <input key={g.id} type="hidden" name="gap" value={g.id} />
            ))}
            <TextField label="Title" error={errors.title} {...form.register("title")} />
            <SelectField
              label="Financial year"
              hint="The year the money is needed in (April to March)."
              options={yearOptions(currentYear)}
              error={errors.financial_year}
              {...form.register("financial_year")}
            />
            <TextField
              label="Amount requested, in pounds"
              hint={
                estimatePence === null
                  ? "Required: some gaps have no estimate."
                  : `Defaults to the estimate, ${formatPence(estimatePence)}.`
              }
              width={20}
              inputMode="decimal"
              error={errors.amount}
              {...form.register("amount")}
            />
            <SplitSection preview={preview} errors={previewErrors} />
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="submit"
              formMethod="get"
              formNoValidate
              name="check"
              value="1"
              onClick={checkSplit}
            >
              Check the split
            </button>
            <TextareaField
              label="Reason for the amount"
              hint="Required when the amount differs from the estimate, or when there is no full estimate: a quote, a framework price, a different scope."
              error={errors.amount_reason}
              {...form.register("amount_reason")}
            />
            <TextareaField
              label="Justification"
              hint="What the money buys, for whom, and why now (risk, deadline, patients affected)."
              rows={5}
              error={errors.justification}
              {...form.register("justification")}
            />
            <div className="nhsuk-button-group">
              <button
                className="nhsuk-button"
                type="submit"
                name="intent"
                value="draft"
                onClick={() => intent.current && (intent.current.value = "draft")}
                disabled={pending}
              >
                Save as draft
              </button>
              <button
                className="nhsuk-button nhsuk-button--secondary"
                type="submit"
                name="intent"
                value="submit"
                onClick={() => intent.current && (intent.current.value = "submit")}
                disabled={pending}
              >
                Save and submit
              </button>
            </div>
            {/* After the buttons: without scripts the clicked button's value comes first; with them this carries it. */}
            <input type="hidden" name="intent" defaultValue="draft" ref={intent} />
          </Form>
        </div>
      </div>
    </>
  );
}

/**
 * How the amount splits across the budget's capital and revenue pots in the request's year, as
 * it will be stored (split.ts), and the annual costs its gaps bring back in the years after.
 */
export function SplitSection({ preview, errors }: { preview: SplitPreview | null; errors: Record<string, string> }) {
  const problems = Object.values(errors);
  return (
    <div id="split" className="nhsuk-u-margin-bottom-4">
      <h2 className="nhsuk-heading-s">How the amount splits</h2>
      {problems.length ? (
        <p className="nhsuk-error-message">
          <span className="nhsuk-u-visually-hidden">Error:</span> {problems.join(". ")}
        </p>
      ) : null}
      {preview ? (
        <>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              {formatPence(preview.amountPence)} in {financialYearLabel(preview.year)}, by budget pot
            </caption>
            <tbody className="nhsuk-table__body">
              <tr>
                <th scope="row">Capital (ex VAT)</th>
                <td className="app-numeric">{formatPence(preview.split.capitalPence)}</td>
              </tr>
              <tr>
                <th scope="row">Revenue (ex VAT)</th>
                <td className="app-numeric">{formatPence(preview.split.revenuePence)}</td>
              </tr>
              <tr>
                <th scope="row">VAT</th>
                <td className="app-numeric">{formatPence(preview.split.vatPence)}</td>
              </tr>
              <tr>
                <th scope="row">Inc VAT</th>
                <td className="app-numeric">{formatPence(preview.amountPence + preview.split.vatPence)}</td>
              </tr>
            </tbody>
          </table>
          {preview.later.some((y) => y.pence > 0) ? (
            <p className="nhsuk-body-s">
              Not in this request: the gaps&apos; annual costs (warranty, security updates, rental, licences) come back each year the remedy
              is kept,{" "}
              {preview.later
                .map(
                  (y) =>
                    `${formatPence(y.pence)} ex VAT in ${financialYearLabel(y.year)} (${formatPence(y.capitalPence)} capital, ${formatPence(y.revenuePence)} revenue)`,
                )
                .join(", ")}
              .
            </p>
          ) : (
            <p className="nhsuk-body-s">The gaps have no annual costs: nothing comes back in later years.</p>
          )}
        </>
      ) : problems.length ? null : (
        <p className="nhsuk-body-s">Enter the amount and choose the year, then check the split.</p>
      )}
    </div>
  );
}
