import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { Pagination } from "~/components/Pagination";
import { PracticeTable } from "~/components/PracticeTable";
import { OdsCodeSchema, PracticeSearchSchema } from "~/modules/org/schema";
import { searchPractices } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Practices") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const url = new URL(request.url);
  // A single-practice user has nothing to search: take them straight to their practice.
  if (!scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length === 1 && !url.search) {
    throw redirect(`/practices/${scope.practiceCodes[0]}`);
  }
  const parsed = PracticeSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const filters = parsed.success ? parsed.data : { q: "", closed: false };
  const icb = OdsCodeSchema.safeParse(url.searchParams.get("icb") ?? "");
  const page = await searchPractices(getDb(), scope, {
    q: filters.q,
    includeClosed: filters.closed,
    icbCode: icb.success ? icb.data : undefined,
    page: pageFromUrl(url),
  });
  return {
    page,
    q: filters.q,
    closed: filters.closed,
    icb: icb.success ? icb.data : "",
    error: parsed.success ? null : parsed.error.issues[0]?.message,
  };
});

export default function Practices() {
  const { page, q, closed, icb, error } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Practices</h1>
      <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
        {icb ? <input type="hidden" name="icb" value={icb} /> : null}
        <div className="app-search-row">
          <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
            <label className="nhsuk-label" htmlFor="field-q">
              Search by practice name, ODS code or postcode
            </label>
            {error ? (
              <span className="nhsuk-error-message" id="field-q-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {error}
              </span>
            ) : null}
            <input className="nhsuk-input nhsuk-input--width-20" id="field-q" name="q" type="search" defaultValue={q} />
          </div>
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            <div className="nhsuk-checkboxes__item">
              <input
                className="nhsuk-checkboxes__input"
                id="field-closed"
                name="closed"
                type="checkbox"
                value="on"
                defaultChecked={closed}
              />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="field-closed">
                Include closed practices
              </label>
            </div>
          </div>
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Search
          </button>
        </div>
      </Form>
      {icb ? <p>Showing practices in ICB {icb}.</p> : null}
      {page.total === 0 ? <p>No practices match your search.</p> : <PracticeTable rows={page.rows} caption="Practices" />}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="practices" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
