import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { ContractsTable } from "~/components/Contracts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { PracticeHeader } from "~/components/PracticeNav";
import { canManageContracts, listContractsPage } from "~/modules/contracts/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageFromUrl } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Supplier contracts", titleCase(data?.practice.name) || "Practice") },
];

/** A practice's supplier contracts: everyone who can read the practice; changes by ICB leads and delivery partners in scope. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods);
  const holder = { kind: "practice" as const, code: practice.ods_code, icbCode: practice.icb_code, name: practice.name };
  const page = await listContractsPage(
    getDb(),
    { practiceCode: practice.ods_code },
    { status: "all" },
    todayIso(),
    pageFromUrl(new URL(request.url)),
  );
  return { practice, page, canManage: canManageContracts(user.memberships, holder) };
});

export default function PracticeContractsPage() {
  const { practice, page, canManage } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/contracts`;
  return (
    <>
      <Breadcrumbs items={[{ label: titleCase(practice.name), to: `/practices/${practice.ods_code}` }]} />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Supplier contracts" />
      <p>
        The practice&apos;s contracts for telephony, clinical system modules, online consultation, connectivity and support, with the
        framework each was bought through, when it ends, the notice it needs and who pays. Contract ends and notice dates appear in the
        practice&apos;s <Link to={`/practices/${practice.ods_code}/compliance/forecast`}>forecast</Link>.
      </p>
      {canManage ? (
        <p>
          <Link className="nhsuk-button nhsuk-u-margin-bottom-3" to={`/contracts/new?practice=${practice.ods_code}`}>
            Add a contract
          </Link>
        </p>
      ) : null}
      {page.total === 0 ? (
        <p>No contracts are recorded for this practice.</p>
      ) : (
        <>
          <p>
            {page.total.toLocaleString("en-GB")} contract{page.total === 1 ? "" : "s"} recorded, {formatPence(page.costs.total)} a year ex
            VAT in all ({formatPence(page.costs.practice)} paid by the practice, {formatPence(page.costs.icb)} by the ICB).
          </p>
          <ContractsTable rows={page.rows} caption="Contracts" showHolder={false} canManage={canManage} />
          <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="contracts" />
        </>
      )}
      <p>
        Download: <a href={`${base}/export?format=csv`}>CSV</a> or <a href={`${base}/export?format=xlsx`}>Excel (XLSX)</a>
      </p>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
