import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactElement } from "react";
import { Link } from "~/components/Link";
import { FilterDate, FilterForm, FilterText } from "~/components/FilterForm";
import { FilterSelect, filterOptions } from "~/components/FilterSelect";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, plural, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { PracticeHeader } from "~/components/PracticeNav";
import { SupportTag } from "~/components/SupportTag";
import { WarrantyEnd } from "~/components/WarrantyEnd";
import { DEVICE_SORTS, parseDeviceFilters, STATUS_FILTERS, SUPPORT_FILTERS, WARRANTY_FILTERS } from "~/modules/devices/filters";
import { missingFromIntune } from "~/modules/device-sync/service.server";
import { DEVICE_STATUSES, DEVICE_TYPES } from "~/modules/devices/schema";
import { listDevices, type DeviceListItem } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Devices – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

/** A data page: its table gets the full width of the window (see Layout). */
export const handle = { fullWidth: true };

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate } = await requirePracticeAccess(request, params.ods);
  const url = new URL(request.url);
  const filters = parseDeviceFilters(url.searchParams);
  const today = todayIso();
  const asOf = filters.as_of ?? today;
  const [result, missing] = await Promise.all([
    listDevices(getDb(), practice.ods_code, filters, asOf, pageFromUrl(url)),
    missingFromIntune(getDb(), practice.ods_code),
  ]);
  // Serial number → the day Intune stopped reporting it (a device sync flags it, never deletes it).
  const missingSince = Object.fromEntries(
    missing.filter((m) => m.serial_number).map((m) => [m.serial_number!.toLowerCase(), m.missing_since]),
  );
  return { practice, canEdit: canEditIcbEstate, filters, asOf, isToday: asOf === today, missingSince, ...result };
});

// A loop, not sites.map with a closure made per request (docs/performance.md, session 17, load scaling).
function siteOptions(sites: readonly { code: string; name: string }[]): [string, string][] {
  const out: [string, string][] = [["", "Any site"]];
  for (const s of sites) out.push([s.code, titleCase(s.name)]);
  return out;
}

function DeviceRow({ d, ods, missingSince }: { d: DeviceListItem; ods: string; missingSince: string | null | undefined }) {
  const os = [d.os_family, d.os_edition, d.os_version].filter(Boolean).join(" ");
  return (
    <tr>
      <td>{DEVICE_TYPES[d.device_type as keyof typeof DEVICE_TYPES] ?? d.device_type}</td>
      <td>
        <Link to={`/practices/${ods}/devices/${d.id}`}>{d.asset_tag ?? `Serial ${d.serial_number}`}</Link>
      </td>
      <td>{[d.make, d.model].filter(Boolean).join(" ") || <span className="app-muted">Not known</span>}</td>
      <td>{d.site_name ? titleCase(d.site_name) : (d.site_code ?? <span className="app-muted">Not recorded</span>)}</td>
      <td>
        {DEVICE_STATUSES[d.status]}
        {missingSince ? (
          <div>
            <strong className="nhsuk-tag nhsuk-tag--orange">Missing from Intune since {formatDate(missingSince)}</strong>
          </div>
        ) : null}
      </td>
      <td>
        {os ? <div>{os}</div> : null}
        <SupportTag state={d.support.state} />
        {d.support.endOfSupport ? (
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Ends {formatDate(d.support.endOfSupport)}</div>
        ) : null}
      </td>
      <td>
        <WarrantyEnd end={d.warranty_end} expired={d.warrantyExpired} />
      </td>
      <td className="app-numeric">
        {d.ageYears === null ? <span className="app-muted">Not known</span> : `${d.ageYears} ${d.ageYears === 1 ? "year" : "years"}`}
      </td>
    </tr>
  );
}

// The rows in a loop, not page.rows.map with a closure made per request (docs/performance.md,
// session 17, load scaling). The same elements and keys.
function deviceRows(rows: readonly DeviceListItem[], ods: string, missingSince: Record<string, string | null>) {
  const out: ReactElement[] = [];
  for (const d of rows) {
    out.push(<DeviceRow key={d.id} d={d} ods={ods} missingSince={d.serial_number ? missingSince[d.serial_number.toLowerCase()] : null} />);
  }
  return out;
}

export default function DeviceList() {
  const { practice, canEdit, filters: f, asOf, isToday, page, sites, summary, missingSince } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/devices`;
  const on = isToday ? "today" : `on ${formatDate(asOf)}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Devices" />
      <h2 className="nhsuk-heading-s">Devices not disposed of, checked {on}</h2>
      <ul className="nhsuk-list app-search-row">
        <li>
          <Link to={base}>{plural(summary.total, "device")}</Link>
        </li>
        <li>
          <Link to={`${base}?os=unsupported${isToday ? "" : `&as_of=${asOf}`}`}>
            {formatNumber(summary.unsupportedOs)} with an unsupported operating system
          </Link>
        </li>
        <li>
          <Link to={`${base}?warranty=expired${isToday ? "" : `&as_of=${asOf}`}`}>
            {formatNumber(summary.warrantyExpired)} out of warranty
          </Link>
        </li>
      </ul>
      {canEdit ? (
        <div className="app-search-row nhsuk-u-margin-bottom-4">
          <Link to={`${base}/new`} className="nhsuk-button nhsuk-u-margin-bottom-0">
            Add a device
          </Link>
          <Link
            to={`/estate/import?practice=${practice.ods_code}`}
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          >
            Import devices from a spreadsheet
          </Link>
        </div>
      ) : null}
      <FilterForm
        heading="Filter and sort"
        clearTo={base}
        sort={{ value: f.sort, options: filterOptions(DEVICE_SORTS), dir: f.dir, order: ["Ascending", "Descending"] }}
      >
        <FilterText name="q" label="Asset tag, serial number, make or model" value={f.q} width={20} />
        <FilterSelect name="type" label="Type" value={f.type} options={filterOptions(DEVICE_TYPES, "Any type")} />
        <FilterSelect name="status" label="Status" value={f.status} options={filterOptions(STATUS_FILTERS)} />
        <FilterSelect name="site" label="Site" value={f.site} options={siteOptions(sites)} />
        <FilterSelect name="os" label="Operating system support" value={f.os} options={filterOptions(SUPPORT_FILTERS, "Any")} />
        <FilterSelect name="warranty" label="Warranty" value={f.warranty} options={filterOptions(WARRANTY_FILTERS, "Any")} />
        <FilterDate label="Check support on" asOf={asOf} isToday={isToday} />
      </FilterForm>
      {page.total === 0 ? (
        <p>No devices match these filters.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Devices")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Devices</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Asset tag</th>
                <th scope="col">Make and model</th>
                <th scope="col">Site</th>
                <th scope="col">Status</th>
                <th scope="col">Operating system</th>
                <th scope="col">Warranty ends</th>
                <th scope="col" className="app-numeric">
                  Age
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">{deviceRows(page.rows, practice.ods_code, missingSince)}</tbody>
          </table>
        </div>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="devices" />
      <h2>Download</h2>
      <p>
        Every device at this practice, in the columns the import reads, so you can edit and re-import it:{" "}
        <a href={`${base}/export?format=csv`} download>
          CSV
        </a>{" "}
        ·{" "}
        <a href={`${base}/export?format=xlsx`} download>
          Excel (XLSX)
        </a>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
