import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { FilterSelect } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/components/format";
import { CostByYearTable, EstimateText, GapStatusTag, PriorityTag, TotalsCells } from "~/components/Gaps";
import { Pagination } from "~/components/Pagination";
import { CATEGORIES, DOMAINS } from "~/modules/catalogue";
import { RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { filterParams, financialYearChoices, GAP_GROUPS, GAP_SORTS, GAP_STATUS_FILTERS, parseGapFilters } from "~/modules/gaps/register";
import { getGapRegister } from "~/modules/gaps/register.server";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { scopeFor, scopeIsEmpty } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Gaps – GP digital estate" }];

/** A data page: its table gets the full width of the window (see Layout). */
export const handle = { fullWidth: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const url = new URL(request.url);
  const parsed = parseGapFilters(url.searchParams);
  const funding = scopeFor(user.memberships, "funding:request");
  const fundingScope = scopeIsEmpty(funding) ? null : funding;
  const register = await getGapRegister(getDb(), { scope, fundingScope, parsed, page: pageFromUrl(url), today: todayIso() });
  return {
    ...parsed,
    ...register,
    canRequestFunding: fundingScope !== null,
    canExport: !scopeIsEmpty(scopeFor(user.memberships, "report:export")),
    everywhere: scope.all,
  };
}

const entries = (m: Record<string, string>, blank?: string): [string, string][] => [
  ...(blank !== undefined ? ([["", blank]] as [string, string][]) : []),
  ...Object.entries(m),
];
/** "Sub-ICB location" → "sub-ICB location"; "PCN" and "ICB" stay as they are. */
const inSentence = (label: string) => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));
const orgChoices = (list: { code: string; name: string }[], blank: string): [string, string][] => [
  ["", blank],
  ...list.map((o) => [o.code, `${titleCase(o.name)} (${o.code})`] as [string, string]),
];

export default function GapRegister() {
  const {
    filters: f,
    errors,
    options,
    summary,
    page,
    currentYear,
    canRequestFunding,
    canExport,
    everywhere,
  } = useLoaderData<typeof loader>();
  const query = (extra: Record<string, string | number | undefined>) =>
    filterParams(f, {
      sort: f.sort === "priority" ? undefined : f.sort,
      group: f.group === "none" ? undefined : f.group,
      ...extra,
    }).toString();
  const exportQuery = (format: string) => filterParams(f, { format, sort: f.sort === "priority" ? undefined : f.sort }).toString();
  const hasErrors = Object.keys(errors).length > 0;
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
      {hasErrors ? (
        <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {Object.entries(errors).map(([k, m]) => (
                <li key={k}>
                  <a href={`#filter-${k}`}>{m}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
        <h2 className="nhsuk-heading-s">Filter, sort and group</h2>
        <div className="app-search-row">
          {options.icbs.length || f.icb ? (
            <FilterSelect name="icb" label="ICB" value={f.icb} options={orgChoices(options.icbs, "Any ICB")} />
          ) : null}
          {options.subIcbs.length || f.sub_icb ? (
            <FilterSelect
              name="sub_icb"
              label="Sub-ICB location"
              value={f.sub_icb}
              options={orgChoices(options.subIcbs, "Any sub-ICB location")}
            />
          ) : null}
          {options.pcns === null ? (
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="filter-pcn">
                PCN code
              </label>
              <input
                className="nhsuk-input nhsuk-input--width-5"
                id="filter-pcn"
                name="pcn"
                type="search"
                spellCheck={false}
                defaultValue={f.pcn ?? ""}
              />
            </div>
          ) : options.pcns.length || f.pcn ? (
            <FilterSelect name="pcn" label="PCN" value={f.pcn} options={orgChoices(options.pcns, "Any PCN")} />
          ) : null}
          {options.practices === null || errors.practice ? (
            <div className={`nhsuk-form-group${errors.practice ? " nhsuk-form-group--error" : ""}`}>
              <label className="nhsuk-label" htmlFor="filter-practice">
                Practice ODS code
              </label>
              {errors.practice ? (
                <span className="nhsuk-error-message" id="filter-practice-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.practice}
                </span>
              ) : null}
              <input
                className={`nhsuk-input nhsuk-input--width-5${errors.practice ? " nhsuk-input--error" : ""}`}
                id="filter-practice"
                name="practice"
                type="search"
                spellCheck={false}
                defaultValue={f.practice ?? ""}
                aria-describedby={errors.practice ? "filter-practice-error" : undefined}
              />
            </div>
          ) : options.practices.length || f.practice ? (
            <FilterSelect name="practice" label="Practice" value={f.practice} options={orgChoices(options.practices, "Any practice")} />
          ) : null}
          <FilterSelect name="domain" label="Domain" value={f.domain} options={entries(DOMAINS, "Any domain")} />
          <FilterSelect name="category" label="Category" value={f.category} options={entries(CATEGORIES, "Any category")} />
          <FilterSelect name="funder" label="Responsibility" value={f.funder} options={entries(RESPONSIBILITY_LABELS, "Anyone")} />
          <FilterSelect name="status" label="Status" value={f.status} options={entries(GAP_STATUS_FILTERS)} />
          <FilterSelect
            name="fy"
            label="Financial year of deadline"
            value={f.fy}
            options={[
              ["", "Any year"],
              ...financialYearChoices(currentYear, f.fy).map((y) => [String(y), financialYearLabel(y)] as [string, string]),
            ]}
          />
          <FilterSelect name="sort" label="Sort by" value={f.sort} options={entries(GAP_SORTS)} />
          <FilterSelect name="group" label="Group by" value={f.group} options={entries(GAP_GROUPS)} />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Apply
          </button>
          <Link to="/gaps" className="nhsuk-body-s">
            Clear filters
          </Link>
        </div>
      </Form>

      <div className="app-table-wrap" {...scrollRegion(f.group === "none" ? "Totals" : `Gaps by ${inSentence(GAP_GROUPS[f.group])}`)}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            {f.group === "none" ? "Totals" : `Gaps by ${inSentence(GAP_GROUPS[f.group])}`}
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">{f.group === "none" ? "" : GAP_GROUPS[f.group]}</th>
              <th scope="col" className="app-numeric">
                Gaps
              </th>
              <th scope="col" className="app-numeric">
                Patients affected
              </th>
              <th scope="col" className="app-numeric">
                Estimated cost (ex VAT)
              </th>
              <th scope="col" className="app-numeric">
                Inc VAT
              </th>
              <th scope="col" className="app-numeric">
                Gaps with no estimate
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {f.group !== "none"
              ? summary.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      {Object.keys(r.filter).length ? (
                        <Link to={`/gaps?${query({ ...r.filter, group: undefined })}`}>{titleCase(r.label)}</Link>
                      ) : (
                        r.label
                      )}
                    </th>
                    <TotalsCells t={r} />
                  </tr>
                ))
              : null}
            <tr>
              <th scope="row">
                <strong>Total</strong>
              </th>
              <TotalsCells t={summary.total} />
            </tr>
          </tbody>
        </table>
      </div>
      {f.group !== "none" && !summary.patientsAdditive ? (
        <p className="nhsuk-body-s">
          A practice with gaps in more than one {inSentence(GAP_GROUPS[f.group])} counts its patients in each of them; the total counts each
          practice once. Gaps, costs and gaps with no estimate in the total are the sum of the rows.
        </p>
      ) : null}
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
          <div className="app-table-wrap" {...scrollRegion(`Gaps, sorted by ${GAP_SORTS[f.sort].toLowerCase()}`)}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">
                Gaps, sorted by {GAP_SORTS[f.sort].toLowerCase()}
              </caption>
              <thead className="nhsuk-table__head">
                <tr>
                  {canRequestFunding ? (
                    <th scope="col">
                      <span className="nhsuk-u-visually-hidden">Select</span>
                    </th>
                  ) : null}
                  <th scope="col">Requirement</th>
                  <th scope="col">Practice</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Responsibility</th>
                  <th scope="col" className="app-numeric">
                    Estimate
                  </th>
                  <th scope="col">Priority</th>
                  <th scope="col">Status</th>
                  <th scope="col">First seen</th>
                  <th scope="col">Deadline</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {page.rows.map((g) => (
                  <tr key={g.id}>
                    {canRequestFunding ? (
                      <td>
                        {g.selectable ? (
                          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                            <div className="nhsuk-checkboxes__item">
                              <input className="nhsuk-checkboxes__input" id={`gap-${g.id}`} name="gap" type="checkbox" value={g.id} />
                              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`gap-${g.id}`}>
                                <span className="nhsuk-u-visually-hidden">
                                  Select {g.requirementId} at {g.practiceCode}
                                </span>
                              </label>
                            </div>
                          </div>
                        ) : null}
                      </td>
                    ) : null}
                    <td>
                      <Link to={`/gaps/${g.id}`}>
                        {g.requirementId} {g.title}
                      </Link>
                    </td>
                    <td>
                      <Link to={`/practices/${g.practiceCode}/gaps`}>{titleCase(g.practiceName)}</Link> ({g.practiceCode})
                    </td>
                    <td>{g.reason}</td>
                    <td>{RESPONSIBILITY_LABELS[g.funder]}</td>
                    <td className="app-numeric">
                      <EstimateText
                        pence={g.estimatePence}
                        knownPence={g.knownPence}
                        missing={g.missing}
                        vatPence={g.vatPence}
                        elsewhere={g.elsewhere}
                      />
                    </td>
                    <td>
                      <PriorityTag level={g.priority} score={g.priorityScore} />
                    </td>
                    <td>
                      <GapStatusTag status={g.status} />
                    </td>
                    <td>{formatDate(g.firstSeen)}</td>
                    <td>{formatDate(g.deadline)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {canRequestFunding ? (
            <button className="nhsuk-button" type="submit">
              Add selected gaps to a new funding request
            </button>
          ) : null}
        </Form>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="gaps" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
