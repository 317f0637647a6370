import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { NotKnown } from "~/components/NotKnown";
import { YesNo } from "~/components/YesNo";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { SITE_KINDS } from "~/modules/sites/schema";
import { getSitesPage } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";

import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Sites and connectivity", titleCase(data?.practice.name) || "Practice") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const page = await getSitesPage(getDb(), practice.ods_code, pageFromUrl(new URL(request.url)));
  return { practice, canAdd: canEditIcbEstate || canEditPracticeEstate, page };
});

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
        <DataTable
          caption="Main site and branch surgeries"
          scroll
          rows={page.rows}
          rowKey={(s) => s.code}
          columns={[
            {
              header: "Site",
              cell: (s) => (
                <>
                  <Link to={`${base}/${encodeURIComponent(s.code)}`}>{titleCase(s.name)}</Link>
                  <br />
                  <span className="nhsuk-body-s app-muted">
                    {SITE_KINDS[s.kind]}
                    {s.is_manual ? ", added here" : ""}
                  </span>
                </>
              ),
            },
            { header: "Code", cell: (s) => s.code },
            { header: "Postcode", cell: (s) => s.postcode },
            { header: "HSCN", cell: (s) => <YesNo value={s.hscn_connected} /> },
            {
              header: "Bandwidth",
              numeric: true,
              cell: (s) => (s.bandwidth_mbps === null ? <NotKnown /> : `${formatNumber(s.bandwidth_mbps)} Mbps`),
            },
            {
              header: "Wi-Fi",
              cell: (s) => (
                <>
                  Staff: <YesNo value={s.wifi_staff} />
                  <br />
                  Patients: <YesNo value={s.wifi_patient} />
                </>
              ),
            },
            { header: "Status", cell: (s) => (s.close_date ? `Closed ${formatDate(s.close_date)}` : "Open") },
          ]}
        />
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
