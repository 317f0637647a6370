import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { SERVICE_STATUSES, type ServiceStatus } from "~/modules/catalogue/digital-services";
import { DIGITAL_SERVICE_LABELS } from "~/modules/digital-services/schema";
import { getServicesPage } from "~/modules/digital-services/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";

import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Clinical system and digital services", titleCase(data?.practice.name) || "Practice") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate } = await requirePracticeAccess(request, params.ods);
  const page = await getServicesPage(getDb(), practice.ods_code);
  return { practice, canEdit: canEditIcbEstate, ...page };
});

const TAG: Record<ServiceStatus, string> = { in_use: "nhsuk-tag--green", not_in_use: "nhsuk-tag--red", unknown: "nhsuk-tag--grey" };

function StatusTag({ status }: { status: ServiceStatus }) {
  return <strong className={`nhsuk-tag ${TAG[status]}`}>{SERVICE_STATUSES[status]}</strong>;
}

export default function ServicesPage() {
  const { practice, canEdit, principal, services, national, history } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/services`;
  const nationalName = national.clinical_system
    ? `${national.clinical_system}${national.clinical_system_detail && national.clinical_system_detail !== national.clinical_system ? ` (${national.clinical_system_detail})` : ""}`
    : null;
  const differs =
    !!principal.supplier &&
    !!national.clinical_system &&
    !principal.supplier.toLowerCase().includes(national.clinical_system.toLowerCase()) &&
    !national.clinical_system.toLowerCase().includes(principal.supplier.toLowerCase());
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Clinical system and digital services" />
      <p>The ICB's GP IT delivery partner keeps this record up to date.</p>
      {canEdit ? (
        <Link className="nhsuk-button" to={`${base}/edit`}>
          Update services
        </Link>
      ) : null}

      <h2>Principal clinical system</h2>
      <SummaryList
        rows={[
          ["In the NHS supplier files", nationalName],
          ["Source of that figure", national.clinical_system_source],
          ["Recorded here", <StatusTag key="s" status={principal.status} />],
          ["Supplier and product recorded here", principal.supplier],
          ["In use since", formatDate(principal.since_date)],
          ["Notes", principal.notes],
        ]}
      />
      {differs ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>The supplier recorded here is not the one in the NHS supplier files. Check which is right.</p>
        </div>
      ) : null}

      <h2>Digital services</h2>
      <DataTable
        caption="Digital services and whether the practice uses them"
        scroll
        rows={services}
        rowKey={(s) => s.key}
        columns={[
          {
            header: "Service",
            rowHeader: true,
            cell: (s) => (
              <>
                {s.label}
                <br />
                <span className="nhsuk-body-s app-muted">{s.requirementIds.join(", ")}</span>
              </>
            ),
          },
          { header: "Status", cell: (s) => <StatusTag status={s.status} /> },
          { header: "Supplier", cell: (s) => s.supplier },
          { header: "Since", cell: (s) => formatDate(s.since_date) },
          { header: "Notes", cell: (s) => s.notes },
        ]}
      />
      <p className="nhsuk-body-s">A service shows as Not known until someone records whether it is in use.</p>

      <h2>Download</h2>
      <p>
        <a href={`${base}/export?format=csv`} download>
          Download services as CSV
        </a>{" "}
        ·{" "}
        <a href={`${base}/export?format=xlsx`} download>
          Download as Excel (XLSX)
        </a>
      </p>

      <h2>History</h2>
      <History events={history} labels={DIGITAL_SERVICE_LABELS} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
