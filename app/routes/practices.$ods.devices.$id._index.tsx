import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { YesNo } from "~/components/YesNo";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { daysToEndText, SupportTag } from "~/components/SupportTag";
import { esuYearsLabel } from "~/modules/devices/esu";
import { deviceIdFrom } from "~/modules/devices/params";
import {
  COMPLIANCE_STATES,
  DEVICE_LABELS,
  DEVICE_STATUSES,
  DEVICE_TYPES,
  FUNDERS,
  OWNERSHIPS,
  TPM_VERSIONS,
} from "~/modules/devices/schema";
import { getDevicePage } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Device ${data?.device.asset_tag ?? data?.device.serial_number ?? ""} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate } = await requirePracticeAccess(request, params.ods);
  const asOf = todayIso();
  const page = await getDevicePage(getDb(), practice.ods_code, deviceIdFrom(params.id), asOf);
  return { practice, canEdit: canEditIcbEstate, asOf, ...page };
});

const label = <T extends Record<string, string>>(map: T, key: string | null) => (key === null ? null : (map[key as keyof T] ?? key));

export default function DevicePage() {
  const { practice, canEdit, device: d, siteName, derived, history } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/devices`;
  const name = d.asset_tag ?? d.serial_number ?? "";
  const win11 = derived.win11Ready === null ? null : derived.win11Ready ? "Ready for Windows 11" : "Not ready for Windows 11";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Devices", to: base },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} />
      <h1>
        {label(DEVICE_TYPES, d.device_type)} {name}
      </h1>
      {canEdit ? (
        <div className="app-search-row nhsuk-u-margin-bottom-5">
          <Link to={`${base}/${d.id}/edit`} className="nhsuk-button nhsuk-u-margin-bottom-0">
            Change
          </Link>
          {d.status !== "disposed" ? (
            <Link to={`${base}/${d.id}/retire`} className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0">
              Retire
            </Link>
          ) : null}
          <Link to={`${base}/${d.id}/delete`} className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0">
            Delete
          </Link>
        </div>
      ) : null}
      <h2>About the device</h2>
      <SummaryList
        rows={[
          ["Type", label(DEVICE_TYPES, d.device_type)],
          ["Asset tag", d.asset_tag],
          ["Serial number", d.serial_number],
          ["Make and model", [d.make, d.model].filter(Boolean).join(" ")],
          ["Site", siteName ? `${titleCase(siteName)} (${d.site_code})` : d.site_code],
          ["Status", label(DEVICE_STATUSES, d.status)],
          ...(d.disposed_date ? ([["Disposal date", formatDate(d.disposed_date)]] as [string, string][]) : []),
          ["Notes", d.notes],
        ]}
      />
      <h2>Operating system</h2>
      <SummaryList
        rows={[
          ["Operating system", [d.os_family, d.os_edition, d.os_version].filter(Boolean).join(" ")],
          ["Build", d.os_build],
          ["End of support", formatDate(derived.support.endOfSupport)],
          ["Support today", <SupportTag key="s" state={derived.support.state} />],
          ["Days to end of support", daysToEndText(derived.support.daysToEnd)],
          ["ESU years bought", esuYearsLabel(d.esu_years)],
          ["Covered by ESU until", derived.support.esuUntil ? formatDate(derived.support.esuUntil) : null],
        ]}
      />
      <h2>Dates and funding</h2>
      <SummaryList
        rows={[
          ["Purchase date", formatDate(d.purchase_date)],
          ["Age", derived.ageYears === null ? null : `${derived.ageYears} ${derived.ageYears === 1 ? "year" : "years"}`],
          ["Warranty end date", d.warranty_end ? `${formatDate(d.warranty_end)}${derived.warrantyExpired ? " (expired)" : ""}` : null],
          ["Funded by", label(FUNDERS, d.funded_by)],
        ]}
      />
      <h2>Security</h2>
      <SummaryList
        rows={[
          [DEVICE_LABELS.managed, <YesNo value={d.managed} />],
          ["Disk encrypted", <YesNo value={d.encrypted} />],
          [DEVICE_LABELS.antivirus_up_to_date, <YesNo value={d.antivirus_up_to_date} />],
          [DEVICE_LABELS.last_patched, formatDate(d.last_patched)],
          [DEVICE_LABELS.patch_released, formatDate(d.patch_released)],
        ]}
      />
      <h2>Device management</h2>
      <SummaryList
        rows={[
          ["Device name", d.device_name],
          ["Ownership", label(OWNERSHIPS, d.ownership)],
          ["Compliance", label(COMPLIANCE_STATES, d.compliance)],
          ["Last check-in", formatDate(d.last_seen)],
        ]}
      />
      <h2>Windows 11 readiness</h2>
      <SummaryList
        rows={[
          ["Windows 11", win11],
          ["TPM", label(TPM_VERSIONS, d.tpm_version)],
          ["Processor", d.cpu_model],
          ["Processor generation", d.cpu_generation === null ? null : String(d.cpu_generation)],
          ["Memory", d.ram_gb === null ? null : `${d.ram_gb} GB`],
        ]}
      />
      <h2>History</h2>
      <History events={history} labels={DEVICE_LABELS} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
