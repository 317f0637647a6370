import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/components/format";
import { Pagination } from "~/components/Pagination";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { SITE_KINDS } from "~/modules/sites/schema";
import { getSitesPage } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { handle } from "~/modules/auth/permissions.server";
import { scrollRegion } from "~/components/scroll-region";
import { pageTitle } from "~/utils/page-title";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Sites and connectivity", titleCase(data?.practice.name) || "Practice") },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const page = await handle(() => getSitesPage(getDb(), practice.ods_code, pageFromUrl(new URL(request.url))));
  return { practice, canAdd: canEditIcbEstate || canEditPracticeEstate, page };
}

const yesNo = (v: boolean | null) => (v === true ? "Yes" : v === false ? "No" : <span className="app-muted">Not known</span>);

export default function SitesPage() {
  const { practice, canAdd, page } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/sites`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Sites and connectivity" />
      <p>
        The main site and branch surgeries come from the NHS ODS files. The ICB's delivery partner records each site's connectivity; the
        practice records its premises.
      </p>
      {canAdd ? (
        <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/new`}>
          Add a site that is not in the ODS files
        </Link>
      ) : null}
      {page.total === 0 ? (
        <p>No sites are recorded for this practice.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Main site and branch surgeries")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Main site and branch surgeries</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Code</th>
                <th scope="col">Postcode</th>
                <th scope="col">HSCN</th>
                <th scope="col" className="app-numeric">
                  Bandwidth
                </th>
                <th scope="col">Wi-Fi</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {page.rows.map((s) => (
                <tr key={s.code}>
                  <td>
                    <Link to={`${base}/${encodeURIComponent(s.code)}`}>{titleCase(s.name)}</Link>
                    <br />
                    <span className="nhsuk-body-s app-muted">
                      {SITE_KINDS[s.kind]}
                      {s.is_manual ? ", added here" : ""}
                    </span>
                  </td>
                  <td>{s.code}</td>
                  <td>{s.postcode}</td>
                  <td>{yesNo(s.hscn_connected)}</td>
                  <td className="app-numeric">
                    {s.bandwidth_mbps === null ? <span className="app-muted">Not known</span> : `${formatNumber(s.bandwidth_mbps)} Mbps`}
                  </td>
                  <td>
                    Staff: {yesNo(s.wifi_staff)}
                    <br />
                    Patients: {yesNo(s.wifi_patient)}
                  </td>
                  <td>{s.close_date ? `Closed ${formatDate(s.close_date)}` : "Open"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun={page.total === 1 ? "site" : "sites"} />
      <h2>Download</h2>
      <p>
        <a href={`${base}/export?format=csv`} download>
          Download sites as CSV
        </a>{" "}
        ·{" "}
        <a href={`${base}/export?format=xlsx`} download>
          Download as Excel (XLSX)
        </a>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
