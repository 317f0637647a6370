import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { FilterForm, FilterText } from "~/components/FilterForm";
import { FilterSelect, filterOptions } from "~/components/FilterSelect";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { WarrantyEnd } from "~/components/WarrantyEnd";
import { STATUS_FILTERS, WARRANTY_FILTERS } from "~/modules/devices/filters";
import { ESTATE_DEVICE_SORTS, parseEstateDeviceFilters } from "~/modules/devices/estate-list";
import { listEstateDevices, type EstateDeviceRow } from "~/modules/devices/estate-list.server";
import type { ReactElement } from "react";
import { DEVICE_STATUSES, DEVICE_TYPES } from "~/modules/devices/schema";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Devices – GP digital estate" }];

/** A data page: its table gets the full width of the window (see Layout). */
export const handle = { fullWidth: true };

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const url = new URL(request.url);
  const filters = parseEstateDeviceFilters(url.searchParams);
  const page = await listEstateDevices(getDb(), scope, filters, todayIso(), pageFromUrl(url));
  return { filters, page, everywhere: scope.all };
});

// The rows in a loop by a module-level function, not page.rows.map with a closure made per request
// (docs/performance.md, session 17, load scaling). The same elements and keys.
function rowElements(rows: readonly EstateDeviceRow[]) {
  const out: ReactElement[] = [];
  for (const d of rows) out.push(deviceRow(d));
  return out;
}

function deviceRow(d: EstateDeviceRow) {
  return (
    <tr key={d.id}>
      <td>
        <Link to={`/practices/${d.practice_code}/devices/${d.id}`}>{d.asset_tag ?? `Serial ${d.serial_number}`}</Link>
      </td>
      <td>{DEVICE_TYPES[d.device_type as keyof typeof DEVICE_TYPES] ?? d.device_type}</td>
      <td>{[d.make, d.model].filter(Boolean).join(" ") || <span className="app-muted">Not known</span>}</td>
      <td>
        <Link to={`/practices/${d.practice_code}/devices`}>{titleCase(d.practice_name)}</Link> ({d.practice_code})
      </td>
      <td>{DEVICE_STATUSES[d.status]}</td>
      <td>{[d.os_family, d.os_edition, d.os_version].filter(Boolean).join(" ") || <span className="app-muted">None recorded</span>}</td>
      <td>
        <WarrantyEnd end={d.warranty_end} expired={d.warrantyExpired} />
      </td>
    </tr>
  );
}

export default function EstateDevices() {
  const { filters: f, page, everywhere } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Devices</h1>
      <p>{everywhere ? "Every device recorded at every practice in England." : "Every device recorded at the practices you can see."}</p>
      <FilterForm
        heading="Filter and sort"
        clearTo="/estate/devices"
        sort={{ value: f.sort, options: filterOptions(ESTATE_DEVICE_SORTS), dir: f.dir, order: ["Ascending", "Descending"] }}
      >
        <FilterText name="q" label="Asset tag, serial number, make or model" value={f.q} width={20} spellCheck={false} />
        <FilterText name="icb" label="ICB code" value={f.icb} width={5} spellCheck={false} />
        <FilterText name="practice" label="Practice ODS code" value={f.practice} width={5} spellCheck={false} />
        <FilterSelect name="type" label="Type" value={f.type} options={filterOptions(DEVICE_TYPES, "Any type")} />
        <FilterSelect name="status" label="Status" value={f.status} options={filterOptions(STATUS_FILTERS)} />
        <FilterSelect name="warranty" label="Warranty" value={f.warranty} options={filterOptions(WARRANTY_FILTERS, "Any")} />
      </FilterForm>
      {page.total === 0 ? (
        <p>No devices match these filters.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Devices")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Devices</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Asset tag</th>
                <th scope="col">Type</th>
                <th scope="col">Make and model</th>
                <th scope="col">Practice</th>
                <th scope="col">Status</th>
                <th scope="col">Operating system</th>
                <th scope="col">Warranty ends</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">{rowElements(page.rows)}</tbody>
          </table>
        </div>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="devices" />
      <h2>Download</h2>
      <p>
        Every device you can see, in the columns the device import reads:{" "}
        <a href="/estate/devices/export?format=csv" download>
          CSV
        </a>{" "}
        ·{" "}
        <a href="/estate/devices/export?format=xlsx" download>
          Excel (XLSX)
        </a>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
