import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { YesNo } from "~/components/YesNo";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { OWNERSHIP, SITE_KINDS, SITE_LABELS, type Ownership } from "~/modules/sites/schema";
import { getSitePage } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle(titleCase(data?.site.name) || "Site", "Sites and connectivity") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const page = await getSitePage(getDb(), practice.ods_code, params.code ?? "");
  return { practice, canEditIcbEstate, canEditPracticeEstate, ...page };
});

export default function SitePage() {
  const { practice, site, history, deviceCount, canEditIcbEstate, canEditPracticeEstate } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/sites/${encodeURIComponent(site.code)}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Sites and connectivity", to: `/practices/${practice.ods_code}/sites` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section={titleCase(site.name)} />
      <SummaryList
        rows={[
          ["Site code", site.code],
          ["Kind", SITE_KINDS[site.kind]],
          ["Address", [titleCase(site.address), site.postcode].filter(Boolean).join(", ")],
          ["Opened", formatDate(site.open_date)],
          ["Status", site.close_date ? `Closed ${formatDate(site.close_date)}` : "Open"],
          ["Recorded in", site.is_manual ? "Added here (not in the ODS files)" : "NHS ODS files"],
          ["Devices recorded at this site", formatNumber(deviceCount)],
        ]}
      />

      <h2>Connectivity</h2>
      <p className="nhsuk-body-s">Recorded by the ICB's GP IT delivery partner.</p>
      <SummaryList
        rows={[
          [SITE_LABELS.hscn_connected, <YesNo value={site.hscn_connected} />],
          [SITE_LABELS.hscn_circuit_id, site.hscn_circuit_id],
          [SITE_LABELS.bandwidth_mbps, site.bandwidth_mbps === null ? null : `${formatNumber(site.bandwidth_mbps)} Mbps`],
          [SITE_LABELS.resilient_line, <YesNo value={site.resilient_line} />],
          [SITE_LABELS.wifi_staff, <YesNo value={site.wifi_staff} />],
          [SITE_LABELS.wifi_patient, <YesNo value={site.wifi_patient} />],
        ]}
      />
      {canEditIcbEstate ? (
        <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/connectivity`}>
          Change connectivity
        </Link>
      ) : null}

      <h2>Premises</h2>
      <p className="nhsuk-body-s">Recorded by the practice.</p>
      <SummaryList
        rows={[
          [SITE_LABELS.comms_room_ok, <YesNo value={site.comms_room_ok} />],
          [SITE_LABELS.ups_present, <YesNo value={site.ups_present} />],
          [SITE_LABELS.records_storage_m2, site.records_storage_m2 === null ? null : `${formatNumber(site.records_storage_m2)} m²`],
          [SITE_LABELS.ownership, site.ownership ? (OWNERSHIP[site.ownership as Ownership] ?? site.ownership) : null],
          [SITE_LABELS.planned_move_date, formatDate(site.planned_move_date)],
          [SITE_LABELS.planned_works, site.planned_works],
          [SITE_LABELS.analogue_lines, formatNumber(site.analogue_lines)],
        ]}
      />
      {canEditPracticeEstate ? (
        <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/premises`}>
          Change premises
        </Link>
      ) : null}

      {canEditIcbEstate || canEditPracticeEstate ? (
        <>
          <h2>Remove this site</h2>
          {site.is_manual ? (
            <p>
              <Link to={`${base}/delete`}>Delete this site</Link>
            </p>
          ) : (
            <p>
              This site comes from the NHS ODS files, so it cannot be deleted here. When it closes, the ODS files record a close date and
              the next import shows it as closed.
            </p>
          )}
        </>
      ) : null}

      <h2>History</h2>
      <History events={history} labels={SITE_LABELS} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
