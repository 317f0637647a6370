import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { FilterSelect } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { RequestStatusTag } from "~/components/Funding";
import { Pagination } from "~/components/Pagination";
import { filtersFromUrl, yearOptions } from "~/modules/funding/schema";
import { listRequestsPage } from "~/modules/funding/service.server";
import { REQUEST_STATUSES } from "~/modules/funding/workflow";
import { listIcbsInScope } from "~/modules/funding/icbs-repository.server";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { pageFromUrl, PAGE_SIZE, toPage } from "~/utils/pagination";
import { hasPermission } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { RequestTotalsTable } from "~/components/funding/RequestTotalsTable";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Funding requests – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "funding:request");
  const url = new URL(request.url);
  const filters = filtersFromUrl(url);
  const page = pageFromUrl(url);
  const [list, icbs] = await Promise.all([listRequestsPage(getDb(), scope, filters, page, PAGE_SIZE), listIcbsInScope(getDb(), scope)]);
  return {
    filters,
    icbs,
    page: toPage(list.rows, list.total, page),
    totals: list.totals,
    currentYear: financialYearOf(todayIso()),
    canExport: hasPermission(user.memberships, "report:export"),
    query: url.searchParams.toString(),
  };
});

export default function FundingRequestsPage() {
  const { filters, icbs, page, totals, currentYear, canExport, query } = useLoaderData<typeof loader>();
  const qs = new URLSearchParams(query);
  qs.delete("page");
  const exportHref = (format: string, sheet?: string) => {
    const p = new URLSearchParams(qs);
    p.set("format", format);
    if (sheet) p.set("sheet", sheet);
    return `/funding-requests/export?${p.toString()}`;
  };
  const grand = totals.reduce((s, t) => s + t.pence, 0);
  const grandVat = totals.reduce((s, t) => s + t.vatPence, 0);
  const grandNoVat = totals.reduce((s, t) => s + t.noVat, 0);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Funding requests</h1>
      <p>
        Gaps bundled into requests for the ICB to fund: draft, submitted, approved or rejected, funded, delivered. To start a request,
        choose gaps in the <Link to="/gaps">gap register</Link>.
      </p>
      <Form method="get" className="app-filter-row">
        <div className="app-search-row">
          {icbs.length > 1 ? (
            <FilterSelect
              name="icb"
              label="ICB"
              value={filters.icb}
              options={[["", "All ICBs"], ...icbs.map((i) => [i.code, `${titleCase(i.name)} (${i.code})`] as [string, string])]}
            />
          ) : null}
          <FilterSelect
            name="status"
            label="Status"
            value={filters.status}
            options={[["", "Any status"], ...Object.entries(REQUEST_STATUSES)]}
          />
          <FilterSelect
            name="year"
            label="Financial year"
            value={filters.year}
            options={[["", "Any year"], ...yearOptions(currentYear).map((o) => [o.value, o.label] as [string, string])]}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Filter
          </button>
        </div>
      </Form>
      <RequestTotalsTable
        caption={`Totals by status${filters.status || filters.year || filters.icb ? " (filtered)" : ""}`}
        label="Totals by status"
        first="Status"
      >
        {totals.map((t) => (
          <tr key={t.status}>
            <th scope="row">{REQUEST_STATUSES[t.status]}</th>
            <td className="app-numeric">{t.n}</td>
            <td className="app-numeric">{formatPence(t.pence)}</td>
            <td className="app-numeric">
              <IncVat ex={t.pence} vat={t.vatPence} noVat={t.noVat} />
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">Total</th>
          <td className="app-numeric">
            <strong>{page.total}</strong>
          </td>
          <td className="app-numeric">
            <strong>{formatPence(grand)}</strong>
          </td>
          <td className="app-numeric">
            <strong>
              <IncVat ex={grand} vat={grandVat} noVat={grandNoVat} />
            </strong>
          </td>
        </tr>
      </RequestTotalsTable>
      {canExport ? (
        <p className="nhsuk-body-s">
          Download the funding pipeline: <a href={exportHref("xlsx")}>XLSX (requests, totals by year and status, gaps)</a> · CSV:{" "}
          <a href={exportHref("csv", "requests")}>requests</a>, <a href={exportHref("csv", "years")}>by year and status</a>,{" "}
          <a href={exportHref("csv", "gaps")}>gaps</a>
        </p>
      ) : null}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun={page.total === 1 ? "request" : "requests"} />
      {page.rows.length ? (
        <div className="app-table-wrap" {...scrollRegion("Funding requests, newest first")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-u-visually-hidden">Funding requests, newest first</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Request</th>
                <th scope="col">ICB</th>
                <th scope="col">Year</th>
                <th scope="col" className="app-numeric">
                  Gaps
                </th>
                <th scope="col" className="app-numeric">
                  Amount (ex VAT)
                </th>
                <th scope="col" className="app-numeric">
                  Inc VAT
                </th>
                <th scope="col">Status</th>
                <th scope="col">Raised by</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {page.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/funding-requests/${r.id}`}>
                      #{r.id} {r.title}
                    </Link>
                  </td>
                  <td>{r.icb_code}</td>
                  <td>{financialYearLabel(r.financial_year)}</td>
                  <td className="app-numeric">{r.gap_count}</td>
                  <td className="app-numeric">{formatPence(r.amount_pence)}</td>
                  <td className="app-numeric">{r.vat_pence === null ? "Not worked out" : formatPence(r.amount_pence + r.vat_pence)}</td>
                  <td>
                    <RequestStatusTag status={r.status} />
                  </td>
                  <td>{r.created_by_name ?? "Not recorded"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No funding requests match.</p>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;

/** Inc VAT of a set of requests; requests made before VAT was worked out are named, not counted as 0% VAT. */
function IncVat({ ex, vat, noVat }: { ex: number; vat: number; noVat: number }) {
  if (noVat === 0) return <>{formatPence(ex + vat)}</>;
  return (
    <>
      {formatPence(ex + vat)}
      <span className="nhsuk-body-s app-muted">
        {" "}
        ({noVat} {noVat === 1 ? "request" : "requests"} without VAT worked out, at ex VAT)
      </span>
    </>
  );
}
