import { Link } from "~/components/Link";
import { formatDateTime, formatNumber, plural } from "~/utils/format";
import { SummaryList } from "./SummaryList";

/** A finished device import as getRun (app/modules/devices/import/service.server.ts) describes it. */
export interface DeviceRunLike {
  fileName: string;
  userName: string | null;
  actor: string | null;
  finishedAt: string;
  counts: { rowsRead: number; created: number; updated: number; unchanged: number; rejected: number };
  retired: number | null;
  issues: { row: number; column: string; message: string }[];
  practices: string[];
  practiceCount: number;
}

/**
 * What a device import did: the confirmation panel, the counts, the rows skipped and the
 * practices changed. Shown on the import run's page and on the page of the job that ran it.
 */
export function DeviceImportSummary({ run, headingLevel = 1 }: { run: DeviceRunLike; headingLevel?: 1 | 2 }) {
  const c = run.counts;
  const when = formatDateTime(run.finishedAt);
  const Title = headingLevel === 1 ? "h1" : "h2";
  return (
    <>
      <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
        <Title className="nhsuk-panel__title">Devices imported</Title>
        <div className="nhsuk-panel__body">
          {plural(c.created, "device")} added, {formatNumber(c.updated)} updated
        </div>
      </div>
      <SummaryList
        rows={[
          ["File", run.fileName],
          ["Imported by", run.userName ?? run.actor ?? "System (command line)"],
          ["Finished", when],
          ["Rows read", formatNumber(c.rowsRead)],
          ["New devices added", formatNumber(c.created)],
          ["Devices updated", formatNumber(c.updated)],
          ["Unchanged", formatNumber(c.unchanged)],
          ["Rejected rows skipped", formatNumber(c.rejected)],
          ...(run.retired === null
            ? []
            : ([["Devices retired (not in the practice's inventory file)", formatNumber(run.retired)]] as [string, string][])),
        ]}
      />
      {run.issues.length ? (
        <>
          <h2>Rows that were skipped</h2>
          <p>Fix these rows in your file and upload it again: rows already imported will show as unchanged.</p>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">Problems in skipped rows</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {run.issues.map((x, i) => (
                <tr key={i}>
                  <td>{x.row}</td>
                  <td>{x.column}</td>
                  <td>{x.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {run.issues.length >= 500 ? <p className="nhsuk-body-s">Showing the first 500 problems.</p> : null}
        </>
      ) : null}
      {run.practices.length ? (
        <>
          <h2>Practices changed</h2>
          {run.practiceCount > run.practices.length ? (
            <p>
              {plural(run.practiceCount, "practice")} changed. The first {formatNumber(run.practices.length)} are listed here.
            </p>
          ) : null}
          <ul className="nhsuk-list">
            {run.practices.map((p) => (
              <li key={p}>
                <Link to={`/practices/${p}/devices`}>Devices at {p}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/estate/import">Import another file</Link>
      </p>
    </>
  );
}
