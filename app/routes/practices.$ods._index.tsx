import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, practiceStatus, titleCase } from "~/utils/format";
import { SummaryList } from "~/components/SummaryList";
import { getEstateOverview } from "~/modules/estate/overview.server";
import { getPracticePage } from "~/modules/org/service.server";
import { PracticeHeader } from "~/components/PracticeNav";
import { EstateGlance } from "~/components/EstateGlance";
import { getDb } from "~/utils/db.server";
import { scopeCoversIcb } from "~/utils/permissions";
import { patientsWithVintage } from "~/utils/list-size";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const page = await getPracticePage(getDb(), scope, params.ods);
  const asOf = new Date().toISOString().slice(0, 10);
  const estate = await getEstateOverview(getDb(), page.practice.ods_code, asOf);
  // Links up the hierarchy only for people who can open those pages.
  return { ...page, estate, asOf, canBrowseIcb: scopeCoversIcb(scope, page.practice.icb_code) };
});

export default function PracticePage() {
  const { practice: p, sites, pcnHistory, listSizes, merged, predecessors, canBrowseIcb, estate, asOf } = useLoaderData<typeof loader>();
  const crumbs: Crumb[] = [{ label: "Home", to: "/" }];
  if (canBrowseIcb && p.icb_code) crumbs.push({ label: titleCase(p.icb_name) || p.icb_code, to: `/icbs/${p.icb_code}` });
  if (canBrowseIcb && p.pcn_code) crumbs.push({ label: titleCase(p.pcn_name) || p.pcn_code, to: `/pcns/${p.pcn_code}` });
  const branches = sites.filter((s) => s.kind === "branch");
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <PracticeHeader ods={p.ods_code} name={p.name} section={titleCase(p.name)} caption={`GP practice ${p.ods_code}`} />
      {p.status !== "A" ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {practiceStatus(p.status)}
            </span>
          </h2>
          <p>
            This practice's ODS status is {practiceStatus(p.status).toLowerCase()}
            {p.close_date ? ` (closed ${formatDate(p.close_date)})` : ""}.
          </p>
          {merged.map((m) => (
            <p key={m.new_code} id={`merged-into-${m.new_code}`}>
              Merged into <OrgLink org={m.new} /> on {formatDate(m.effective_date)}
              {m.final_code !== m.new_code ? (
                <>
                  , now part of <OrgLink org={m.final} />
                </>
              ) : null}
              . Its devices, telephony, digital services, sites, paper records, assessments and gaps moved there; its history below and in
              the change log stays here.
            </p>
          ))}
        </div>
      ) : null}
      {predecessors.length > 0 ? (
        <div className="nhsuk-inset-text" id="predecessors">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            {predecessors.map((m, i) => (
              <span key={m.old_code}>
                {i > 0 ? "; " : ""}
                <OrgLink org={m.old} /> merged into {m.new_code === p.ods_code ? "this practice" : m.new_code} on{" "}
                {formatDate(m.effective_date)}
              </span>
            ))}
            . Their estate is shown here (source: {[...new Set(predecessors.map((m) => m.source_file))].join(", ")}).
          </p>
        </div>
      ) : null}
      <EstateGlance ods={p.ods_code} estate={estate} asOf={asOf} />
      <h2>Codes and address</h2>
      <SummaryList
        rows={[
          ["ODS code", p.ods_code],
          ["Status", practiceStatus(p.status)],
          ["Address", p.address ? `${titleCase(p.address)}, ${p.postcode ?? ""}` : p.postcode],
          ["Telephone", p.phone],
          ["Opened", formatDate(p.open_date)],
          ["Country", p.country],
        ]}
      />
      <h2>Organisations</h2>
      <SummaryList
        rows={[
          [
            "Primary care network (PCN)",
            p.pcn_code ? (
              canBrowseIcb ? (
                <Link to={`/pcns/${p.pcn_code}`}>{`${titleCase(p.pcn_name)} (${p.pcn_code})`}</Link>
              ) : (
                `${titleCase(p.pcn_name)} (${p.pcn_code})`
              )
            ) : null,
          ],
          ["Sub-ICB location", p.sub_icb_code ? `${titleCase(p.sub_icb_name) || ""} (${p.sub_icb_code})` : null],
          ["Integrated care board (ICB)", p.icb_code ? `${titleCase(p.icb_name) || ""} (${p.icb_code})` : null],
          ["NHS England region", p.region_code ? `${p.region_name ?? ""} (${p.region_code})` : null],
        ]}
      />
      <h2>Patients and clinical system</h2>
      <SummaryList
        rows={[
          ["Registered patients (list size)", p.list_size !== null ? patientsWithVintage(p.list_size, p.list_size_date, asOf) : null],
          [
            "Principal clinical system",
            p.clinical_system
              ? `${p.clinical_system}${p.clinical_system_detail && p.clinical_system_detail !== p.clinical_system ? ` (${p.clinical_system_detail})` : ""}`
              : null,
          ],
          ["Clinical system source", p.clinical_system_source],
        ]}
      />
      <h2>Branch surgeries</h2>
      {branches.length === 0 ? (
        <p>No branch surgeries are recorded for this practice.</p>
      ) : (
        <table className="nhsuk-table">
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Branch</th>
              <th scope="col">Code</th>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {branches.map((s) => (
              <tr key={s.code}>
                <td>{titleCase(s.name)}</td>
                <td>{s.code}</td>
                <td>{[titleCase(s.address), s.postcode].filter(Boolean).join(", ")}</td>
                <td>{s.close_date ? `Closed ${formatDate(s.close_date)}` : "Open"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pcnHistory.length > 0 ? (
        <>
          <h2>PCN membership history</h2>
          <table className="nhsuk-table">
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">PCN</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {pcnHistory.map((m) => (
                <tr key={`${m.pcn_code}-${m.start_date}`}>
                  <td>
                    {titleCase(m.pcn_name)} ({m.pcn_code})
                  </td>
                  <td>{formatDate(m.start_date)}</td>
                  <td>{m.end_date ? formatDate(m.end_date) : "Current"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {listSizes.length > 1 ? (
        <>
          <h2>List size history</h2>
          <table className="nhsuk-table">
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Extract date</th>
                <th scope="col" className="app-numeric">
                  Registered patients
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {listSizes.map((l) => (
                <tr key={l.extract_date}>
                  <td>{formatDate(l.extract_date)}</td>
                  <td className="app-numeric">{formatNumber(l.patients)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

/** A practice named with its code, linked only for people who may open it. */
function OrgLink({ org }: { org: { code: string; name: string | null; canOpen: boolean } }) {
  const label = `${titleCase(org.name) || org.code} (${org.code})`;
  return org.canOpen ? <Link to={`/practices/${org.code}`}>{label}</Link> : <>{label}</>;
}

export const ErrorBoundary = GeneralErrorBoundary;
