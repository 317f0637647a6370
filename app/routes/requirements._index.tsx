import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { FilterSelect } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatNumber } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { CATEGORIES, DOMAINS, EVIDENCE_KINDS, FUNDERS } from "~/modules/catalogue";
import { getCataloguePage } from "~/modules/compliance/catalogue-view.server";
import { FRAMEWORK_VERSION_NAMES, requirementFiltersFromUrl } from "~/modules/compliance/schema";
import { FrameworkVersionsTable } from "~/components/FrameworkVersions";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import complianceCss from "~/styles/compliance.css?url";
import { DataTable } from "~/components/DataTable";
import { Tag } from "~/components/Tag";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction = () => [{ title: "Requirements – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "org:read");
  const url = new URL(request.url);
  return getCataloguePage(requirementFiltersFromUrl(url), pageFromUrl(url));
});

export default function Requirements() {
  const { framework, filters: f, catalogueSize, page, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <span className="nhsuk-caption-l">
        {framework.name}, catalogue revision {framework.version}
      </span>
      <h1>Requirements</h1>
      <p>
        {framework.description} {formatNumber(catalogueSize)} requirements, each written in our own words with its source. Those evidenced
        automatically are checked from the registers; the rest are self-assessed by the practice and verified by the ICB. Each ICB chooses
        which framework version is in force for its practices (on its local policy page).
      </p>
      <FrameworkVersionsTable versions={versions} caption="Framework versions" />
      <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
        <div className="app-search-row">
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-q">
              Search
            </label>
            <input className="nhsuk-input nhsuk-input--width-20" id="filter-q" name="q" type="search" defaultValue={f.q ?? ""} />
          </div>
          <FilterSelect name="domain" label="Domain" value={f.domain} options={[["", "All domains"], ...Object.entries(DOMAINS)]} />
          <FilterSelect
            name="category"
            label="Category"
            value={f.category}
            options={[["", "All categories"], ...Object.entries(CATEGORIES)]}
          />
          <FilterSelect name="funder" label="Funded by" value={f.funder} options={[["", "Anyone"], ...Object.entries(FUNDERS)]} />
          <FilterSelect name="evidence" label="Evidence" value={f.evidence} options={[["", "Any"], ...Object.entries(EVIDENCE_KINDS)]} />
          <FilterSelect
            name="version"
            label="Framework version"
            value={f.version}
            options={[["", "Any version"], ...Object.entries(FRAMEWORK_VERSION_NAMES)]}
          />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Apply
          </button>
          <Link to="/requirements" className="nhsuk-body-s">
            Clear filters
          </Link>
        </div>
      </Form>
      {page.total === 0 ? (
        <p>No requirements match these filters.</p>
      ) : (
        <DataTable
          caption="Requirements"
          scroll
          rows={page.rows}
          rowKey={(r) => r.id}
          columns={[
            { header: "Id", cell: (r) => <Link to={`/requirements/${r.id}`}>{r.id}</Link> },
            {
              header: "Requirement",
              cell: (r) => (
                <>
                  <strong>{r.title}</strong>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{r.description}</p>
                  <div className="app-requirement-meta">{r.domainLabel}</div>
                </>
              ),
            },
            {
              header: "Category and funder",
              cell: (r) => (
                <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {r.category}
                  <br />
                  Funded by: {r.funder}
                </div>
              ),
            },
            { header: "Evidence", cell: (r) => <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{r.evidence}</div> },
            {
              header: "Versions",
              cell: (r) => (
                <>
                  {r.versions.map((v) => (
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-1" key={v.version}>
                      {v.version}
                      {v.unconfirmed ? (
                        <>
                          {" "}
                          <Tag colour="orange">UNCONFIRMED</Tag>
                        </>
                      ) : null}
                    </div>
                  ))}
                  <div className="app-requirement-meta">Came from {r.introducedIn}</div>
                </>
              ),
            },
            {
              header: "Source",
              cell: (r) =>
                r.sources.map((s) => (
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-1" key={s.ref}>
                    {s.ref}: {s.title}
                  </div>
                )),
            },
            { header: "Weight", numeric: true, cell: (r) => r.weight },
          ]}
        />
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="requirements" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
