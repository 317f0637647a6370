import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { startImport } from "~/modules/jobs/import.server";
import { cancelPaperUpload, paperPreview, startPaperUpload } from "~/modules/paper/import.server";
import { formatCount, monthLong } from "~/modules/paper/format";
import { ACTIVITY_COLUMNS } from "~/modules/paper/schema";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { readUploadedFile } from "~/utils/upload-form.server";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectToImportJob } from "~/modules/jobs/redirect.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Import paper and post figures") }];

/** A year of monthly figures per site is a few kilobytes; 5 MB is far more than any real file. */
const MAX_MB = 5;

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, user } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const id = new URL(request.url).searchParams.get("upload");
  const preview = id ? await paperPreview(getDb(), id, user.id, practice.ods_code) : null;
  return { practice, preview };
});

type Failure = { ok: false; fieldErrors: Record<string, string>; formError?: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<Failure | Response> => {
  const { practice, user } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const db = getDb();
  const base = `/practices/${practice.ods_code}/paper/import`;
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const fail = (message: string): Failure => ({ ok: false, fieldErrors: { file: message } });
    const upload = await readUploadedFile(request, MAX_MB * 1024 * 1024);
    try {
      const id = await startPaperUpload(db, {
        userId: user.id,
        ods: practice.ods_code,
        fileName: upload.file.name,
        content: upload.file.content,
      });
      return redirect(`${base}?upload=${id}`);
    } catch (e) {
      if (e instanceof AppError && e.status === 400) return fail(e.message);
      throw e;
    }
  }
  const form = await request.formData();
  const id = String(form.get("upload") ?? "");
  if (form.get("intent") === "cancel") {
    await cancelPaperUpload(db, id, user.id);
    return redirect(base);
  }
  if (form.get("intent") !== "commit" || !id) return { ok: false, fieldErrors: { file: "Select a CSV or Excel (.xlsx) file" } };
  // The import runs as a background job; its page shows progress and, at the end, what it did.
  const started = await startImport(db, user, { importKind: "paper_activity", uploadId: id, practice: practice.ods_code });
  return redirectToImportJob(request, started);
});

const ACTION_LABEL = { create: "New", update: "Changes", unchanged: "Unchanged" } as const;

export default function PaperImportPage() {
  const { practice, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const busy = pending;
  const paper = `/practices/${practice.ods_code}/paper`;
  const crumbs = [
    { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
    { label: "Paper and carbon", to: paper },
  ];
  const errors = actionData ? actionData.fieldErrors : {};
  if (!preview) {
    return (
      <>
        <Breadcrumbs items={crumbs} />
        <PracticeHeader ods={practice.ods_code} name={practice.name} section="Import paper and post figures" />
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <p>Upload a CSV or Excel (.xlsx) file with one row per month (or per month and site). Columns, in any order:</p>
            <p>
              <code>{ACTIVITY_COLUMNS.join(", ")}</code>
            </p>
            <p>
              Months can be written as 10/2026, 2026-10 or October 2026. The export from the{" "}
              <a href={`${paper}/export?format=csv`}>paper and carbon page</a> has other columns too; only these are read. You will see
              every row checked before anything is saved.
            </p>
            <ErrorSummary errors={errors} />
            <Form method="post" encType="multipart/form-data">
              <div className={`nhsuk-form-group${errors.file ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label" htmlFor="file">
                  Upload a file
                </label>
                {errors.file ? (
                  <span className="nhsuk-error-message" id="file-error">
                    <span className="nhsuk-u-visually-hidden">Error:</span> {errors.file}
                  </span>
                ) : null}
                <input
                  className="nhsuk-file-upload"
                  id="file"
                  name="file"
                  type="file"
                  accept=".csv,.xlsx,text/csv"
                  aria-describedby={errors.file ? "file-error" : undefined}
                />
              </div>
              <button className="nhsuk-button" type="submit" disabled={busy}>
                Upload and check
              </button>
            </Form>
          </div>
        </div>
      </>
    );
  }
  const importable = preview.counts.create + preview.counts.update;
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Check your paper import" />
      <p>
        {preview.fileName}: {formatCount(preview.counts.rows)} rows. {formatCount(preview.counts.create)} new,{" "}
        {formatCount(preview.counts.update)} changed, {formatCount(preview.counts.unchanged)} unchanged and{" "}
        {formatCount(preview.counts.rejected)} rejected.
      </p>
      {preview.ignored.length ? <p className="app-muted">Columns not read: {preview.ignored.join(", ")}.</p> : null}
      <ErrorSummary errors={errors} formError={preview.problems.join(" ") || undefined} />
      {preview.issues.length ? (
        <table className="nhsuk-table" id="rejected">
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
            {preview.issues.map((i) => (
              <tr key={`${i.row}-${i.column}-${i.message}`}>
                <td className="app-numeric">{i.row}</td>
                <td>{i.column}</td>
                <td>{i.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.rows.length ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Rows that would be imported</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col" className="app-numeric">
                Row
              </th>
              <th scope="col">Period</th>
              <th scope="col">Site</th>
              <th scope="col" className="app-numeric">
                Sheets
              </th>
              <th scope="col" className="app-numeric">
                Letters
              </th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {preview.rows.map((r) => (
              <tr key={r.row}>
                <td className="app-numeric">{r.row}</td>
                <td>
                  {monthLong(r.period_start.slice(0, 7))}
                  {r.period_end && r.period_end.slice(0, 7) !== r.period_start.slice(0, 7)
                    ? ` to ${monthLong(r.period_end.slice(0, 7))}`
                    : ""}
                </td>
                <td>{r.site_code ?? "Whole practice"}</td>
                <td className="app-numeric">{formatCount(r.sheets_printed)}</td>
                <td className="app-numeric">{formatCount(r.letters_posted)}</td>
                <td>{ACTION_LABEL[r.action]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Form method="post" className="nhsuk-button-group">
        <input type="hidden" name="upload" value={preview.id} />
        {importable > 0 && !preview.problems.length ? (
          <button className="nhsuk-button" type="submit" name="intent" value="commit" disabled={busy}>
            Import {importable} {importable === 1 ? "row" : "rows"}
          </button>
        ) : null}
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="cancel" disabled={busy}>
          Cancel and upload a different file
        </button>
      </Form>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
