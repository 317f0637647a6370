import type { ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { formatDateTime } from "./Compliance";
import { ErrorSummary } from "./ErrorSummary";
import { scrollRegion } from "~/components/scroll-region";

/**
 * The upload form of the file imports that commit at once (DSPT status, Cyber Essentials
 * certificates, supplier contracts): one file field with its error next to it and the summary
 * above, as the NHS.UK error pattern asks. A feed that asks for more (the contracts file's date)
 * passes its fields as `children` and their errors in `fieldErrors`; `dryRun` adds the "check
 * only" box.
 */
export function UploadForm({
  error,
  submitLabel = "Import",
  accept = ".csv,.xlsx,text/csv",
  fieldErrors = {},
  dryRun = false,
  children,
}: {
  error?: string;
  submitLabel?: string;
  accept?: string;
  fieldErrors?: Record<string, string | undefined>;
  dryRun?: boolean;
  children?: ReactNode;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <ErrorSummary errors={{ ...fieldErrors, ...(error ? { file: error } : {}) }} />
      <Form method="post" encType="multipart/form-data">
        {children}
        <div className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
          <label className="nhsuk-label" htmlFor="field-file">
            Upload a file
          </label>
          {error ? (
            <span className="nhsuk-error-message" id="file-error">
              <span className="nhsuk-u-visually-hidden">Error:</span> {error}
            </span>
          ) : null}
          <input
            className="nhsuk-file-upload"
            id="field-file"
            name="file"
            type="file"
            accept={accept}
            aria-describedby={error ? "file-error" : undefined}
          />
        </div>
        {dryRun ? (
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <div className="nhsuk-checkboxes__item">
                <input className="nhsuk-checkboxes__input" id="field-dry_run" name="dry_run" type="checkbox" value="yes" />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="field-dry_run">
                  Check the file only: show what would change and write nothing
                </label>
              </div>
            </div>
          </div>
        ) : null}
        <button className="nhsuk-button" type="submit" disabled={busy}>
          {busy ? "Importing…" : submitLabel}
        </button>
      </Form>
    </>
  );
}

/** Each problem in the rows an import rejected, by row and column. */
export function RowProblems({ issues }: { issues: { row: number; column: string; message: string }[] }) {
  if (issues.length === 0) return null;
  return (
    <div className="app-table-wrap" {...scrollRegion("Problems in rejected rows")}>
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
          {issues.map((i) => (
            <tr key={`${i.row}-${i.column}`}>
              <td className="app-numeric">{i.row}</td>
              <td>{i.column}</td>
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RunRow<C> {
  id: number;
  file_name: string;
  finished_at: string | Date;
  user_name: string | null;
  actor: string | null;
  counts: C;
}

/** A feed's import runs: file, when, who, then the counts each feed reports (numbers right-aligned). */
export function ImportRunsTable<C>({
  rows,
  caption,
  columns,
}: {
  rows: RunRow<C>[];
  caption?: string;
  columns: { label: string; value: (c: C) => ReactNode; numeric?: boolean }[];
}) {
  return (
    <div className="app-table-wrap" {...scrollRegion(caption ?? "Import runs")}>
      <table className="nhsuk-table">
        {caption ? <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption> : null}
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">File</th>
            <th scope="col">Imported</th>
            <th scope="col">By</th>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.numeric === false ? undefined : "app-numeric"}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.file_name}</td>
              <td>{formatDateTime(r.finished_at)}</td>
              <td>{r.user_name ?? r.actor ?? "Unknown"}</td>
              {columns.map((c) => (
                <td key={c.label} className={c.numeric === false ? undefined : "app-numeric"}>
                  {c.value(r.counts)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
