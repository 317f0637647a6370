import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { CostByYearTable } from "~/components/Gaps";
import { GapFilters } from "~/components/gaps/GapFilters";
import { GapRowsTable } from "~/components/gaps/GapRowsTable";
import { GapTotals } from "~/components/gaps/GapTotals";
import { Pagination } from "~/components/Pagination";
import { filterParams, parseGapFilters } from "~/modules/gaps/register";
import { getGapRegister } from "~/modules/gaps/register.server";
import { packOrgChoices, unpackOrgChoices } from "~/modules/gaps/options-wire";
import { packRegisterRows, unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { scopeFor, scopeIsEmpty } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Gaps – GP digital estate" }];

/** A data page: its table gets the full width of the window (see Layout). */
export const handle = { fullWidth: true };

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const url = new URL(request.url);
  const parsed = parseGapFilters(url.searchParams);
  const funding = scopeFor(user.memberships, "funding:request");
  const fundingScope = scopeIsEmpty(funding) ? null : funding;
  // Two paged lists: the gaps (`page`) and the group totals' rows (`gpage`), each keeping the other's page.
  const register = await getGapRegister(getDb(), {
    scope,
    fundingScope,
    parsed,
    page: pageFromUrl(url),
    groupPage: pageFromUrl(url, "gpage"),
    today: todayIso(),
  });
  return {
    ...parsed,
    ...register,
    // The filter's choices and the rows as arrays, lighter in the page's hydration data
    // (options-wire.ts, register-rows-wire.ts): the page unpacks them. The API keeps the objects.
    options: packOrgChoices(register.options),
    page: { ...register.page, rows: packRegisterRows(register.page.rows) },
    canRequestFunding: fundingScope !== null,
    canExport: !scopeIsEmpty(scopeFor(user.memberships, "report:export")),
    everywhere: scope.all,
  };
});

export default function GapRegister() {
  const {
    filters: f,
    errors,
    options,
    summary,
    groupPage,
    page,
    currentYear,
    canRequestFunding,
    canExport,
    everywhere,
  } = useLoaderData<typeof loader>();
  // Links to other filters: without `page` or `gpage` (filterParams leaves them out), so a new filter starts at page 1.
  const query = (extra: Record<string, string | number | undefined>) =>
    filterParams(f, {
      sort: f.sort === "priority" ? undefined : f.sort,
      group: f.group === "none" ? undefined : f.group,
      ...extra,
    }).toString();
  const exportQuery = (format: string) => filterParams(f, { format, sort: f.sort === "priority" ? undefined : f.sort }).toString();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Gaps</h1>
      <p>
        {everywhere
          ? "Every requirement a practice in England does not fully meet"
          : "Every requirement the practices you can see do not fully meet"}
        , with its estimated cost, who pays and its priority. Costs come from the ICB's price list; a gap that cannot be priced says what is
        missing.
      </p>
      <GapFilters f={f} errors={errors} options={unpackOrgChoices(options)} currentYear={currentYear} />

      <GapTotals group={f.group} summary={summary} groupPage={groupPage} query={query} />
      <p className="nhsuk-body-s">
        Estimated cost is the sum of the gaps that have an estimate, ex VAT; inc VAT adds each priced line's VAT at its price's rate,
        rounded per line. Gaps with no estimate add nothing to it and are counted separately.
      </p>
      {summary.costByYear?.length ? (
        <>
          <CostByYearTable years={summary.costByYear} />
          <p className="nhsuk-body-s">
            A gap&apos;s one-off costs fall in the financial year of its deadline; its annual costs (warranty extensions, Extended Security
            Updates years, HSCN and line rental, cloud telephony licences) fall in that year and each year after it up to the end of the
            second financial year after this one (a gap due later counts once, in its own year). Gaps with no estimate add nothing.
          </p>
        </>
      ) : null}

      <h2>Gaps</h2>
      {canExport ? (
        <p>
          <a href={`/gaps/export?${exportQuery("csv")}`} download>
            Download (CSV)
          </a>{" "}
          ·{" "}
          <a href={`/gaps/export?${exportQuery("xlsx")}`} download>
            Download (Excel)
          </a>
        </p>
      ) : null}
      {page.total === 0 ? (
        <p>No gaps match these filters.</p>
      ) : (
        <Form method="get" action="/funding-requests/new">
          <GapRowsTable rows={unpackRegisterRows(page.rows)} sort={f.sort} selectable={canRequestFunding} />
          {canRequestFunding ? (
            <button className="nhsuk-button" type="submit">
              Add selected gaps to a new funding request
            </button>
          ) : null}
        </Form>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="gaps" label="Pagination of the gaps" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
