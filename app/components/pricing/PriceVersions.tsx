import { Form } from "@remix-run/react";
import { formatDateTime } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, TextareaField, TextField } from "~/components/fields";
import { formatDate } from "~/utils/format";
import { CheckboxField } from "~/components/Funding";
import { Tag } from "~/components/Tag";
import { usePending } from "~/components/usePending";
import { formatPence, incVat } from "~/modules/pricing/money";
import type { getPriceHistory } from "~/modules/pricing/price-list.server";
import { BASES, FINANCE, PriceVersionSchema, RECURRENCE, VAT_RATES } from "~/modules/pricing/schema";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

/** A new version of a unit's price from a date: cost, VAT, basis, capital or revenue, one-off or annual, and its source. */
export function NewVersionForm({
  basis,
  vat,
  finance,
  recurrence,
  countedAs,
  actionData,
}: {
  basis: string;
  vat: string;
  finance: string;
  recurrence: string;
  countedAs: string;
  /** The refused save, if any (its errors show beside the fields). */
  actionData: FormFailure | undefined;
}) {
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(PriceVersionSchema, actionData, {
    basis,
    vat_rate_percent: vat,
    finance,
    recurrence,
  } as never);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <TextField
            label="Unit cost in pounds, excluding VAT"
            hint={`For example, 799.99. One unit is ${countedAs}.`}
            width={10}
            inputMode="decimal"
            error={errors.unit_cost}
            {...form.register("unit_cost")}
          />
          <RadiosField
            label="VAT rate"
            hint="Pages and exports show the cost both excluding and including VAT."
            error={errors.vat_rate_percent}
            options={Object.entries(VAT_RATES).map(([value, label]) => ({ value, label }))}
            {...form.register("vat_rate_percent")}
          />
          <RadiosField
            label="Basis"
            error={errors.basis}
            options={Object.entries(BASES).map(([value, label]) => ({ value, label }))}
            {...form.register("basis")}
          />
          <RadiosField
            label="Capital or revenue"
            hint="Capital: equipment and works the NHS owns afterwards. Revenue: services, licences, rental and labour."
            error={errors.finance}
            options={Object.entries(FINANCE).map(([value, label]) => ({ value, label }))}
            {...form.register("finance")}
          />
          <RadiosField
            label="One-off or every year"
            hint="Annual costs (warranty, licences, rental, ESU years) fall in every financial year the remedy is kept."
            error={errors.recurrence}
            options={Object.entries(RECURRENCE).map(([value, label]) => ({ value, label }))}
            {...form.register("recurrence")}
          />
          <DateField
            label="Effective from"
            hint="The first day the price applies, for example 01/04/2027. It may be in the future."
            error={errors.effective_from}
            {...form.register("effective_from")}
          />
          <TextareaField
            label="Source"
            hint="Where the figure comes from (framework, quote, contract), or why it is an estimate."
            error={errors.source}
            {...form.register("source")}
          />
          <CheckboxField
            label="This is a local estimate, not a published or contracted price"
            error={errors.local_estimate}
            {...form.register("local_estimate")}
          />
          <button className="nhsuk-button" type="submit" disabled={pending}>
            Add this price
          </button>
        </Form>
      </div>
    </div>
  );
}

type Version = Awaited<ReturnType<typeof getPriceHistory>>["versions"][number];

/** Every version of a unit's price, newest first, marking the one in force and any future one. */
export function PriceVersionsTable({ versions }: { versions: Version[] }) {
  return (
    <DataTable
      caption="Every version of this unit's price, newest first"
      captionClassName="nhsuk-u-visually-hidden"
      rows={versions}
      rowKey={(v) => v.id}
      columns={[
        {
          header: "Effective from",
          cell: (v) => (
            <>
              {formatDate(v.effectiveFrom)}
              {v.inForce ? (
                <div>
                  <Tag colour="green">In force</Tag>
                </div>
              ) : v.future ? (
                <div>
                  <Tag colour="grey">Future</Tag>
                </div>
              ) : null}
            </>
          ),
        },
        { header: "Ex VAT", numeric: true, cell: (v) => formatPence(v.unitCostPence) },
        {
          header: "Inc VAT",
          numeric: true,
          cell: (v) => (
            <>
              {formatPence(incVat(v.unitCostPence, v.vatRatePercent))}
              <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">VAT {v.vatRatePercent}%</div>
            </>
          ),
        },
        { header: "Basis", cell: (v) => BASES[v.basis] },
        {
          header: "Treatment",
          cell: (v) => (
            <>
              {FINANCE[v.finance]}, {RECURRENCE[v.recurrence].toLowerCase()}
            </>
          ),
        },
        { header: "Whose", cell: (v) => (v.own ? "This ICB" : "National default") },
        {
          header: "Source",
          cell: (v) => (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              {v.localEstimate ? (
                <>
                  <Tag colour="orange">Local estimate</Tag>{" "}
                </>
              ) : null}
              {v.source}
            </div>
          ),
        },
        {
          header: "Set by",
          cell: (v) => (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              {v.createdBy ?? (v.own ? "Not recorded" : "Seeded default")}
              <div className="app-muted">{formatDateTime(v.createdAt)}</div>
            </div>
          ),
        },
      ]}
    />
  );
}
