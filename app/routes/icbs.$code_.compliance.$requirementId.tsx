import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { patientsWithVintage } from "~/utils/list-size";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { EvidenceList, StatusTag, UnitsList } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, plural, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { findIcbInScope, getIcbRequirementPage } from "~/modules/compliance/icb-view.server";
import { STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";
import { IcbRequirementFiltersSchema } from "~/modules/compliance/schema";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import complianceCss from "~/styles/compliance.css?url";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.requirement.id ?? "Requirement"} – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const filters = IcbRequirementFiltersSchema.parse(Object.fromEntries(url.searchParams));
  return getIcbRequirementPage(getDb(), icb, params.requirementId, filters, pageFromUrl(url), todayIso());
});

export default function IcbRequirement() {
  const { icb, asOf, isToday, status, requirement: r, counts, checked, notChecked, allHref, page } = useLoaderData<typeof loader>();
  const on = isToday ? "today" : `on ${formatDate(asOf)}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
          { label: "Compliance", to: `/icbs/${icb.code}/compliance` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {r.id} · {r.domainLabel} · {titleCase(icb.name)}
      </span>
      <h1>{r.title}</h1>
      <p>{r.description}</p>
      <p className="app-requirement-meta">
        {r.category} · funded by {r.funder} · {r.evidence} · weight {r.weight} · Source:{" "}
        {r.sources.map((s) => `${s.ref} ${s.title}`).join("; ")} · <Link to={`/requirements/${r.id}`}>Catalogue entry</Link>
      </p>
      {!r.automatic ? (
        <p>This requirement is self-assessed by each practice; the registers cannot show it.</p>
      ) : (
        <>
          <h2>Results {on}</h2>
          <ul className="nhsuk-list">
            <li>
              <Link to={allHref}>{plural(checked, "practice")} checked</Link>
              {notChecked > 0 ? ` · ${formatNumber(notChecked)} open practices not checked yet` : ""}
            </li>
            {counts.map((c) => (
              <li key={c.status}>
                <StatusTag status={c.status as Status} />{" "}
                {c.practices > 0 ? (
                  <Link to={c.href}>{`${formatNumber(c.practices)} ${c.practices === 1 ? "practice" : "practices"}`}</Link>
                ) : (
                  "No practices"
                )}
              </li>
            ))}
          </ul>
          <h2>{status ? `Practices: ${STATUS_LABELS[status as Status].toLowerCase()}` : "Practices, least compliant first"}</h2>
          {status ? (
            <p>
              <Link to={allHref}>Show every result</Link>
            </p>
          ) : null}
          {page.total === 0 ? (
            <p>No practices to show.</p>
          ) : (
            <div className="app-table-wrap" {...scrollRegion(`${r.id} at each practice`)}>
              <table className="nhsuk-table">
                <caption className="nhsuk-table__caption nhsuk-table__caption--s">{r.id} at each practice</caption>
                <thead className="nhsuk-table__head">
                  <tr>
                    <th scope="col">Practice</th>
                    <th scope="col">PCN</th>
                    <th scope="col">Result</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {page.rows.map((p) => (
                    <tr key={p.ods_code}>
                      <td>
                        <Link to={`/practices/${p.ods_code}/compliance/${r.id}`}>{titleCase(p.name)}</Link>
                        <div className="app-requirement-meta">
                          {p.ods_code}
                          {p.list_size !== null ? ` · ${patientsWithVintage(p.list_size, p.list_size_date, asOf)}` : ""}
                        </div>
                      </td>
                      <td>{p.pcn_name ? titleCase(p.pcn_name) : <span className="app-muted">No PCN</span>}</td>
                      <td>
                        <StatusTag status={p.result.status as Status} />
                      </td>
                      <td>
                        <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">{p.result.reason}</p>
                        <EvidenceList ods={p.ods_code} evidence={p.result.evidence} open={3} />
                        <UnitsList units={p.result.units} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="practices" />
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
