import { Link } from "~/components/Link";
import { DeviceImportSummary, type DeviceRunLike } from "./DeviceImportSummary";
import { formatNumber, plural } from "~/utils/format";

/** The import parts of a job view (app/modules/jobs/view.server.ts), as the page receives them. */
export interface ImportJobLike {
  id: number;
  status: "queued" | "running" | "done" | "failed";
  done: number;
  total: number | null;
  phase: string | null;
  import: {
    importKind: "devices" | "paper_activity" | "dspt" | "cyber_essentials" | "cbt";
    fileName: string;
    practice: string | null;
    result:
      | { importKind: "devices"; runId: number }
      | { importKind: "paper_activity"; counts: { created: number; updated: number; unchanged: number; rejected: number } }
      | {
          importKind: "dspt";
          counts: {
            rowsRead: number;
            created: number;
            unchanged: number;
            skippedNotGp: number;
            skippedUnknown: number;
            rejected: number;
            practices: number;
          };
          issues: { row: number; column: string; message: string }[];
        }
      | {
          importKind: "cyber_essentials";
          counts: { rowsRead: number; created: number; updated: number; unchanged: number; rejected: number; practices: number };
          issues: { row: number; column: string; message: string }[];
        }
      | {
          importKind: "cbt";
          counts: {
            rowsRead: number;
            unassignedRows: number;
            rejectedRows: number;
            created: number;
            updated: number;
            unchanged: number;
            skippedUnknown: number;
            practices: number;
          };
          monthLabels: string[];
          issues: { row: number; column: string; message: string }[];
        }
      | null;
  };
}

/** "Saved 2,000 of 2,500 rows…": what an import job is doing now. */
export function importProgressText(j: Pick<ImportJobLike, "status" | "done" | "total" | "phase">) {
  if (j.status === "queued") return "Waiting to start";
  if (j.status === "done") return "Finished";
  if (j.status === "failed") return "Stopped";
  if (j.phase === "writing" && j.total) return `Saved ${formatNumber(j.done)} of ${plural(j.total, "row", "rows")}…`;
  if (j.phase === "rechecking" && j.total)
    return `Saved every row. Checking compliance again: ${formatNumber(j.done)} of ${plural(j.total, "practice", "practices")}…`;
  return "Checking every row again against the register as it is now…";
}

/** Where the person who started an import goes back to, by kind. */
export function importBackLink(j: Pick<ImportJobLike, "import">) {
  const { importKind, practice } = j.import;
  if (importKind === "paper_activity" && practice) return { label: "Paper and carbon", to: `/practices/${practice}/paper` };
  if (importKind === "dspt") return { label: "DSPT status import", to: "/admin/dspt" };
  if (importKind === "cyber_essentials") return { label: "Cyber Essentials certificates", to: "/cyber-essentials" };
  if (importKind === "cbt") return { label: "Cloud telephony data import", to: "/admin/cbt" };
  return { label: "Import devices", to: practice ? `/estate/import?practice=${practice}` : "/estate/import" };
}

/** A finished import: the same summary its import page showed when imports ran in the request. */
export function ImportJobResult({ job, deviceRun }: { job: ImportJobLike; deviceRun: DeviceRunLike | null }) {
  const r = job.import.result;
  if (!r) return null;
  if (r.importKind === "devices") return deviceRun ? <DeviceImportSummary run={deviceRun} headingLevel={2} /> : null;
  if (r.importKind === "paper_activity") {
    const c = r.counts;
    return (
      <>
        <div className="nhsuk-panel nhsuk-panel--confirmation" role="status">
          <h2 className="nhsuk-panel__title">Paper figures imported</h2>
        </div>
        <p>
          {formatNumber(c.created)} new, {formatNumber(c.updated)} changed and {plural(c.unchanged, "unchanged period")}.{" "}
          {c.rejected ? `${plural(c.rejected, "rejected row was", "rejected rows were")} left out.` : ""}
        </p>
        <Link className="nhsuk-button" to={`/practices/${job.import.practice}/paper`}>
          See paper and carbon
        </Link>
      </>
    );
  }
  const ce = r.importKind === "cyber_essentials";
  const back = ce
    ? { to: "/cyber-essentials", label: "Back to Cyber Essentials certificates" }
    : { to: "/admin/dspt", label: "Back to DSPT status imports" };
  return (
    <>
      <div className="nhsuk-card nhsuk-card--feature">
        <div className="nhsuk-card__content nhsuk-card__content--feature">
          <h2 className="nhsuk-card__heading nhsuk-card__heading--feature">{job.import.fileName} imported</h2>
          <p className="nhsuk-card__description">
            {r.importKind === "cbt" ? (
              <>
                {plural(r.counts.rowsRead, "row")} read for {r.monthLabels.join(", ") || "no month"}:{" "}
                {plural(r.counts.created, "practice-month")} added and {formatNumber(r.counts.updated)} updated,{" "}
                {formatNumber(r.counts.unchanged)} already held. {plural(r.counts.unassignedRows, "row was", "rows were")} for phone
                accounts shared by several practices (&quot;Unassigned&quot;),{" "}
                {plural(r.counts.skippedUnknown, "practice code is", "practice codes are")} not in the register and{" "}
                {plural(r.counts.rejectedRows, "row was", "rows were")} rejected.{" "}
                {plural(r.counts.practices, "practice was", "practices were")} re-checked.
              </>
            ) : r.importKind === "cyber_essentials" ? (
              <>
                {plural(r.counts.rowsRead, "row")} read: {plural(r.counts.created, "new certificate")} and {formatNumber(r.counts.updated)}{" "}
                corrected for {plural(r.counts.practices, "practice")} (re-checked), {formatNumber(r.counts.unchanged)} already held,{" "}
                {plural(r.counts.rejected, "row")} rejected.
              </>
            ) : (
              <>
                {plural(r.counts.rowsRead, "row")} read: {plural(r.counts.created, "new status", "new statuses")} for{" "}
                {plural(r.counts.practices, "practice")} (re-checked), {formatNumber(r.counts.unchanged)} already held,{" "}
                {plural(r.counts.skippedNotGp, "not a GP practice", "not GP practices")},{" "}
                {plural(r.counts.skippedUnknown, "GP code", "GP codes")} not in the register, {plural(r.counts.rejected, "row")} rejected.
              </>
            )}
          </p>
        </div>
      </div>
      {r.issues.length ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Problems in rejected rows</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col" className="app-numeric">
                Row
              </th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {r.issues.map((i) => (
              <tr key={`${i.row}-${i.column}`}>
                <td className="app-numeric">{i.row}</td>
                <td>{i.column}</td>
                <td>{i.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </>
  );
}
