import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { SuccessBanner } from "~/components/SuccessBanner";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, TextareaField, TextField } from "~/components/fields";
import { formatDate, titleCase } from "~/components/format";
import { CheckboxField } from "~/components/Funding";
import { canManagePolicy, findIcbInScope } from "~/modules/compliance/icb-view.server";
import { formatPence, incVat } from "~/modules/pricing/money";
import { addPriceVersion, DuplicatePriceDate, getPriceHistory } from "~/modules/pricing/price-list.server";
import { BASES, FINANCE, PriceVersionSchema, RECURRENCE, VAT_RATES } from "~/modules/pricing/schema";
import { getDb } from "~/utils/db.server";
import { forbidden, toResponse } from "~/utils/errors";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.label ?? "Unit cost"} – price list – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  const today = todayIso();
  const history = await handle(() => getPriceHistory(getDb(), icb.code, params.unit ?? "", today));
  return {
    icb,
    today,
    ...history,
    canManage: canManagePolicy(user.memberships, icb.code),
    added: new URL(request.url).searchParams.get("added"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  if (!canManagePolicy(user.memberships, icb.code)) throw toResponse(forbidden("Only the ICB's digital lead can change its price list."));
  const parsed = parseForm(await request.formData(), PriceVersionSchema);
  if (!parsed.ok) return parsed;
  return handleForm(async (): Promise<FormFailure | Response> => {
    try {
      const row = await addPriceVersion(getDb(), user, icb.code, params.unit ?? "", parsed.data);
      return redirect(`/icbs/${icb.code}/prices/${row.unit_kind}?added=${row.effective_from}`);
    } catch (e) {
      if (e instanceof DuplicatePriceDate) {
        return {
          ok: false,
          fieldErrors: {
            effective_from: `This ICB already has a price for this unit from ${formatDate(parsed.data.effective_from)}. Choose another date: prices are never overwritten.`,
          },
          values: rawValues(parsed.data),
        };
      }
      throw e;
    }
  });
}

const rawValues = (d: {
  unit_cost: number;
  basis: string;
  effective_from: string;
  source: string;
  local_estimate: boolean;
  vat_rate_percent: number;
  finance: string;
  recurrence: string;
}) => ({
  vat_rate_percent: String(d.vat_rate_percent),
  finance: d.finance,
  recurrence: d.recurrence,
  unit_cost: String(d.unit_cost / 100),
  basis: d.basis,
  effective_from: `${d.effective_from.slice(8, 10)}/${d.effective_from.slice(5, 7)}/${d.effective_from.slice(0, 4)}`,
  source: d.source,
  local_estimate: d.local_estimate ? "true" : "",
});

function NewVersionForm({
  basis,
  vat,
  finance,
  recurrence,
  countedAs,
}: {
  basis: string;
  vat: string;
  finance: string;
  recurrence: string;
  countedAs: string;
}) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
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
          <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
            Add this price
          </button>
        </Form>
      </div>
    </div>
  );
}

export default function PriceHistoryPage() {
  const { icb, label, countedAs, versions, inForce, canManage, added, today } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
          { label: "Price list", to: `/icbs/${icb.code}/prices` },
        ]}
      />
      <span className="nhsuk-caption-l">
        Price list · {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>{label}</h1>
      {added ? <SuccessBanner>New price added from {formatDate(added)}. Estimates use it from that date.</SuccessBanner> : null}
      <p>
        {inForce ? (
          <>
            In force on {formatDate(today)}: <strong>{formatPence(inForce.unitCostPence)} ex VAT</strong> (
            {formatPence(incVat(inForce.unitCostPence, inForce.vatRatePercent))} inc VAT at {inForce.vatRatePercent}%){" "}
            {BASES[inForce.basis].toLowerCase()}, {FINANCE[inForce.finance].toLowerCase()}, {RECURRENCE[inForce.recurrence].toLowerCase()} (
            {inForce.icbCode ? "this ICB's price" : "national default"}, from {formatDate(inForce.effectiveFrom)}).
          </>
        ) : (
          <>
            <strong>No price</strong> is in force today: gaps needing this show no estimate.
          </>
        )}
      </p>
      <p className="nhsuk-body-s">One unit is {countedAs}: the rules count it that way, so the price is for one of those.</p>
      <h2>Versions</h2>
      {versions.length === 0 ? (
        <p>No price has been set for this unit.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-u-visually-hidden">Every version of this unit's price, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Effective from</th>
              <th scope="col" className="app-numeric">
                Ex VAT
              </th>
              <th scope="col" className="app-numeric">
                Inc VAT
              </th>
              <th scope="col">Basis</th>
              <th scope="col">Treatment</th>
              <th scope="col">Whose</th>
              <th scope="col">Source</th>
              <th scope="col">Set by</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  {formatDate(v.effectiveFrom)}
                  {v.inForce ? (
                    <div>
                      <strong className="nhsuk-tag nhsuk-tag--green">In force</strong>
                    </div>
                  ) : v.future ? (
                    <div>
                      <strong className="nhsuk-tag nhsuk-tag--grey">Future</strong>
                    </div>
                  ) : null}
                </td>
                <td className="app-numeric">{formatPence(v.unitCostPence)}</td>
                <td className="app-numeric">
                  {formatPence(incVat(v.unitCostPence, v.vatRatePercent))}
                  <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">VAT {v.vatRatePercent}%</div>
                </td>
                <td>{BASES[v.basis]}</td>
                <td>
                  {FINANCE[v.finance]}, {RECURRENCE[v.recurrence].toLowerCase()}
                </td>
                <td>{v.own ? "This ICB" : "National default"}</td>
                <td>
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    {v.localEstimate ? (
                      <>
                        <strong className="nhsuk-tag nhsuk-tag--orange">Local estimate</strong>{" "}
                      </>
                    ) : null}
                    {v.source}
                  </div>
                </td>
                <td>
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    {v.createdBy ?? (v.own ? "Not recorded" : "Seeded default")}
                    <div className="app-muted">{formatDateTime(v.createdAt)}</div>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage ? (
        <section aria-labelledby="new-price">
          <h2 id="new-price">Set a new price</h2>
          <p>
            A new price never changes an old one: it applies from its effective date, so estimates for earlier dates keep the price they
            had.
          </p>
          <NewVersionForm
            basis={inForce?.basis ?? "each"}
            vat={String(inForce?.vatRatePercent ?? 20)}
            finance={inForce?.finance ?? "revenue"}
            recurrence={inForce?.recurrence ?? "one_off"}
            countedAs={countedAs}
          />
        </section>
      ) : (
        <p className="nhsuk-body-s app-muted">Only the ICB's digital lead can set prices.</p>
      )}
      <p>
        <Link to={`/icbs/${icb.code}/prices`}>Back to the price list</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
