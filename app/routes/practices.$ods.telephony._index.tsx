import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { yesNoText } from "~/components/YesNo";
import type { ReactNode } from "react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { contractEndNote, todayInEngland } from "~/modules/telephony/contract";
import { isPremiumNumber } from "~/modules/catalogue/phone-number";
import { FEATURE_KEYS, TELEPHONY_FEATURES, TELEPHONY_LABELS, TELEPHONY_TYPES } from "~/modules/telephony/schema";
import { getTelephonyPage } from "~/modules/telephony/service.server";
import { practiceMonths } from "~/modules/cbt/repository.server";
import { CbtMonths } from "~/components/CbtMonths";
import { getDb } from "~/utils/db.server";
import { scrollRegion } from "~/components/scroll-region";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Telephony", titleCase(data?.practice.name) || "Practice") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const page = await getTelephonyPage(getDb(), practice.ods_code);
  const calls = await practiceMonths(getDb(), practice.ods_code);
  return { practice, canEdit: canEditPracticeEstate, today: todayInEngland(), calls, ...page };
});

export default function TelephonyPage() {
  const { practice, canEdit, today, current, past, sites, history, calls } = useLoaderData<typeof loader>();
  const base = `/practices/${practice.ods_code}/telephony`;
  const contract = (start: string | null, end: string | null): ReactNode => {
    if (!start && !end) return null;
    const note = contractEndNote(end, today);
    return (
      <>
        {start ? formatDate(start) : "Start not known"} to {end ? formatDate(end) : "end not known"}
        {note ? <span className="app-muted"> ({note})</span> : null}
      </>
    );
  };
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Telephony" />
      <p>The practice chooses, contracts for and pays for its telephone system. Practice managers keep this record up to date.</p>

      <h2>Current system</h2>
      {current ? (
        <>
          <SummaryList
            rows={[
              ["Type", TELEPHONY_TYPES[current.system_type]],
              ["Supplier", current.supplier],
              ["Product", current.product],
              [TELEPHONY_LABELS.on_bpf, yesNoText(current.on_bpf)],
              ["Contract", contract(current.contract_start, current.contract_end)],
              ["Lines", formatNumber(current.lines)],
              ["Concurrent-call capacity", formatNumber(current.concurrent_calls)],
              ...FEATURE_KEYS.map((k): [string, ReactNode] => [TELEPHONY_FEATURES[k], yesNoText(current[k])]),
              [TELEPHONY_LABELS.cbt_data_sharing, yesNoText(current.cbt_data_sharing)],
              [
                "Main telephone number",
                current.main_number ? (
                  <>
                    {current.main_number}{" "}
                    {isPremiumNumber(current.main_number) ? (
                      <strong className="nhsuk-tag nhsuk-tag--red">Costs more than a local call</strong>
                    ) : null}
                  </>
                ) : null,
              ],
              ["Notes", current.notes],
            ]}
          />
          {isPremiumNumber(current.main_number) ? (
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Premium-rate number
                </span>
              </h3>
              <p>
                Patients must not pay more than a local call to reach the practice. Numbers starting 084, 087, 09 or 070 are not allowed.
              </p>
            </div>
          ) : null}
          {canEdit ? (
            <div className="nhsuk-button-group">
              <Link className="nhsuk-button" to={`${base}/edit`}>
                Edit the current system
              </Link>
              <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/replace`}>
                Replace with a new system
              </Link>
            </div>
          ) : null}
        </>
      ) : (
        <>
          <p>No telephone system has been recorded for this practice yet.</p>
          {canEdit ? (
            <Link className="nhsuk-button" to={`${base}/new`}>
              Add the telephone system
            </Link>
          ) : null}
        </>
      )}

      <h2>Analogue lines remaining</h2>
      <p>
        BT plans to switch off the analogue telephone network by 31 January 2027. Lines still used for lifts, alarms or fax need a plan.
      </p>
      {sites.length === 0 ? (
        <p>No open sites are recorded for this practice.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Analogue lines by site</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Site</th>
              <th scope="col" className="app-numeric">
                Analogue lines
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {sites.map((s) => (
              <tr key={s.code}>
                <td>
                  {titleCase(s.name)} ({s.code}){s.kind === "main" ? " – main site" : ""}
                </td>
                <td className="app-numeric">
                  {s.analogue_lines === null ? <span className="app-muted">Not known</span> : formatNumber(s.analogue_lines)}
                  {canEdit ? (
                    <>
                      {" "}
                      <Link to={`/practices/${practice.ods_code}/sites/${encodeURIComponent(s.code)}/premises`}>
                        Change<span className="nhsuk-u-visually-hidden"> analogue lines for {titleCase(s.name)}</span>
                      </Link>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Calls</h2>
      {calls.length ? (
        <CbtMonths rows={calls} caption="NHS England cloud telephony data for this practice, by month" />
      ) : (
        <p>NHS England's cloud telephony data has no months for this practice.</p>
      )}

      <h2>Past systems</h2>
      {past.length === 0 ? (
        <p>No past systems are recorded.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion("Systems the practice used before")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Systems the practice used before</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Supplier and product</th>
                <th scope="col">Contract</th>
                <th scope="col">Stopped being used</th>
                {canEdit ? (
                  <th scope="col">
                    <span className="nhsuk-u-visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {past.map((p) => (
                <tr key={p.id}>
                  <td>{TELEPHONY_TYPES[p.system_type]}</td>
                  <td>{[p.supplier, p.product].filter(Boolean).join(" – ") || <span className="app-muted">Not known</span>}</td>
                  <td>
                    {p.contract_start || p.contract_end ? (
                      `${formatDate(p.contract_start) || "?"} to ${formatDate(p.contract_end) || "?"}`
                    ) : (
                      <span className="app-muted">Not known</span>
                    )}
                  </td>
                  <td>{p.ended_on ? formatDate(p.ended_on) : <span className="app-muted">Not known</span>}</td>
                  {canEdit ? (
                    <td>
                      <Link to={`${base}/${p.id}/delete`}>
                        Delete<span className="nhsuk-u-visually-hidden"> the {TELEPHONY_TYPES[p.system_type]} system</span>
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>Download</h2>
      <p>
        <a href={`${base}/export?format=csv`} download>
          Download telephony as CSV
        </a>{" "}
        ·{" "}
        <a href={`${base}/export?format=xlsx`} download>
          Download as Excel (XLSX)
        </a>
      </p>

      <h2>History</h2>
      <History events={history} labels={TELEPHONY_LABELS} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
