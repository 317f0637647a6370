import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { LEVEL_LABELS } from "~/modules/cyber-essentials/parse";
import { listCertificates } from "~/modules/cyber-essentials/repository.server";
import { listDsptHistory } from "~/modules/dspt/repository.server";
import { OUTCOME_LABELS } from "~/modules/dspt/parse";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Data security – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

/** The practice's published DSPT statuses and its Cyber Essentials certificates: the data behind SEC-01 and SEC-05. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods);
  const db = getDb();
  const [dspt, certificates] = await Promise.all([listDsptHistory(db, practice.ods_code), listCertificates(db, practice.ods_code)]);
  return { practice, dspt, certificates, today: todayIso() };
});

export default function PracticeSecurityPage() {
  const { practice, dspt, certificates, today } = useLoaderData<typeof loader>();
  const compliance = `/practices/${practice.ods_code}/compliance`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Data security" />
      <p>
        What the national and ICB data say about this practice's data security. <Link to={`${compliance}/SEC-01`}>SEC-01</Link> is judged
        from the latest DSPT status and <Link to={`${compliance}/SEC-05`}>SEC-05</Link> from the Cyber Essentials Plus certificate in force.
      </p>

      <h2>Data Security and Protection Toolkit</h2>
      {dspt.length === 0 ? (
        <p>No DSPT status has been imported for this practice.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Published statuses, newest first")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Published statuses, newest first</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Cycle</th>
                <th scope="col">Status</th>
                <th scope="col">Published</th>
                <th scope="col">From file</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {dspt.map((s) => (
                <tr key={s.id}>
                  <td>{s.cycle ?? "None"}</td>
                  <td>{OUTCOME_LABELS[s.outcome]}</td>
                  <td>{s.published_on ? formatDate(s.published_on) : "Not known"}</td>
                  <td>{s.source_file}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Cyber Essentials</h2>
      {certificates.length === 0 ? (
        <p>
          No Cyber Essentials certificate has been imported for this practice. Until one is, SEC-05 relies on the practice's verified
          self-assessment.
        </p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Certificates, latest expiry first")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Certificates, latest expiry first</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Certificate number</th>
                <th scope="col">Certification body</th>
                <th scope="col">Issued</th>
                <th scope="col">Valid until</th>
                <th scope="col">In force today</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {certificates.map((c) => (
                <tr key={c.id}>
                  <td>{LEVEL_LABELS[c.level]}</td>
                  <td>{c.certificate_number}</td>
                  <td>{c.certification_body ?? "Not known"}</td>
                  <td>{formatDate(c.issued_on)}</td>
                  <td>{formatDate(c.expires_on)}</td>
                  <td>{c.issued_on <= today && c.expires_on >= today ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
