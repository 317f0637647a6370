import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FilterForm, FilterText } from "~/components/FilterForm";
import { FilterSelect, filterOptions } from "~/components/FilterSelect";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { ContractsTable } from "~/components/Contracts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { findIcbInScope } from "~/modules/compliance/icb-view.server";
import { CONTRACT_CATEGORIES, CONTRACT_PAYERS, CONTRACT_STATUSES, contractFiltersFromUrl } from "~/modules/contracts/schema";
import { canManageContracts, listContractsPage } from "~/modules/contracts/service.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageFromUrl } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Supplier contracts", titleCase(data?.icb.name) || "ICB") },
];

/**
 * The ICB's supplier contracts register: its own contracts and its practices', for everyone with
 * the whole ICB in view (not a practice manager, nor a delivery partner for a list of practices).
 */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const filters = contractFiltersFromUrl(url);
  const page = await listContractsPage(getDb(), { icbCode: icb.code }, filters, todayIso(), pageFromUrl(url));
  return {
    icb,
    filters,
    page,
    canManage: canManageContracts(user.memberships, { kind: "icb", code: icb.code, name: icb.name ?? icb.code }),
  };
});

export default function IcbContractsPage() {
  const { icb, filters: f, page, canManage } = useLoaderData<typeof loader>();
  const base = `/icbs/${icb.code}/contracts`;
  const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(icb.name), to: `/icbs/${icb.code}` },
        ]}
      />
      <h1>Supplier contracts</h1>
      <p>
        Contracts held by {titleCase(icb.name)} for its practices and by the practices themselves: supplier, framework, when each ends, the
        notice it needs and its annual cost excluding VAT. Ends and notice dates appear in each practice&apos;s forecast.
      </p>
      {canManage ? (
        <div className="app-button-row">
          <Link className="nhsuk-button" to={`/contracts/new?icb=${icb.code}`}>
            Add an ICB contract
          </Link>{" "}
          <Link className="nhsuk-button nhsuk-button--secondary" to="/contracts/import">
            Import contracts
          </Link>
        </div>
      ) : null}
      <FilterForm heading="Filter" clearTo={base}>
        <FilterText name="q" label="Supplier, service or reference" value={f.q} width={20} spellCheck={false} />
        <FilterText name="practice" label="Practice or ICB code" value={f.practice} width={5} spellCheck={false} />
        <FilterSelect name="category" label="Category" value={f.category} options={filterOptions(CONTRACT_CATEGORIES, "Any category")} />
        <FilterSelect name="paid_by" label="Paid by" value={f.paid_by} options={filterOptions(CONTRACT_PAYERS, "Anyone")} />
        <FilterSelect name="status" label="Contracts" value={f.status} options={filterOptions(CONTRACT_STATUSES)} />
      </FilterForm>
      {page.total === 0 ? (
        <p>No contracts match these filters.</p>
      ) : (
        <>
          <p>
            {page.total.toLocaleString("en-GB")} contract{page.total === 1 ? "" : "s"}, {formatPence(page.costs.total)} a year ex VAT:{" "}
            {formatPence(page.costs.icb)} paid by the ICB, {formatPence(page.costs.practice)} by practices, {formatPence(page.costs.other)}{" "}
            by others.
          </p>
          <ContractsTable rows={page.rows} caption="Contracts" showHolder canManage={canManage} />
          <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="contracts" />
        </>
      )}
      <p>
        Download these contracts: <a href={`${base}/export?format=csv&${query}`}>CSV</a> or{" "}
        <a href={`${base}/export?format=xlsx&${query}`}>Excel (XLSX)</a>
      </p>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
