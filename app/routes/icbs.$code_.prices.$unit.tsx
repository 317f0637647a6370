import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { SuccessBanner } from "~/components/SuccessBanner";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { NewVersionForm, PriceVersionsTable } from "~/components/pricing/PriceVersions";
import { canManagePolicy, findIcbInScope } from "~/modules/compliance/icb-view.server";
import { formatPence, incVat } from "~/modules/pricing/money";
import { addPriceVersion, DuplicatePriceDate, getPriceHistory } from "~/modules/pricing/price-list.server";
import { BASES, FINANCE, PriceVersionSchema, RECURRENCE } from "~/modules/pricing/schema";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/errors";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectWithNotice, takeNotice } from "~/modules/auth/flash.server";
import { useKeptNotice } from "~/components/useKeptNotice";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.label ?? "Unit cost"} – price list – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const today = todayIso();
  const history = await getPriceHistory(getDb(), icb.code, params.unit ?? "", today);
  return {
    icb,
    today,
    ...history,
    canManage: canManagePolicy(user.memberships, icb.code),
    added: (await takeNotice(request, user, "price-added"))?.effectiveFrom ?? null,
  };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  if (!canManagePolicy(user.memberships, icb.code)) throw forbidden("Only the ICB's digital lead can change its price list.");
  const parsed = parseForm(await request.formData(), PriceVersionSchema);
  if (!parsed.ok) return parsed;
  try {
    const row = await addPriceVersion(getDb(), user, icb.code, params.unit ?? "", parsed.data);
    return redirectWithNotice(request, `/icbs/${icb.code}/prices/${row.unit_kind}`, "price-added", { effectiveFrom: row.effective_from });
  } catch (e) {
    if (e instanceof DuplicatePriceDate) {
      return {
        ok: false as const,
        fieldErrors: {
          effective_from: `This ICB already has a price for this unit from ${formatDate(parsed.data.effective_from)}. Choose another date: prices are never overwritten.`,
        },
        values: rawValues(parsed.data),
      };
    }
    throw e;
  }
});

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

export default function PriceHistoryPage() {
  const { icb, label, countedAs, versions, inForce, canManage, today, ...data } = useLoaderData<typeof loader>();
  const added = useKeptNotice(data.added);
  const actionData = useActionData<typeof action>();
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
      {versions.length === 0 ? <p>No price has been set for this unit.</p> : <PriceVersionsTable versions={versions} />}
      {canManage ? (
        <section aria-labelledby="new-price">
          <h2 id="new-price">Set a new price</h2>
          <p>
            A new price never changes an old one: it applies from its effective date, so estimates for earlier dates keep the price they
            had.
          </p>
          <NewVersionForm
            actionData={actionData}
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
