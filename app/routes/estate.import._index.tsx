import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/components/format";
import { MAX_UPLOAD_MB } from "~/modules/devices/import/limits";
import { UnreadableFileError } from "~/modules/devices/import/parse.server";
import { practiceForImport, startUpload } from "~/modules/devices/import/service.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { handle, requirePermission } from "~/utils/permissions.server";
import { readUploadedFile } from "~/utils/upload-form.server";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";

export const meta: MetaFunction = () => [{ title: "Import devices – GP digital estate" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requirePermission(request, "estate.icb:write");
  const code = new URL(request.url).searchParams.get("practice");
  const practice = await handle(() => practiceForImport(getDb(), user.memberships, code));
  return { practice };
}

type ActionResult = { ok: false; fieldErrors: Record<string, string>; formError?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requirePermission(request, "estate.icb:write");
  const code = new URL(request.url).searchParams.get("practice");
  const practice = await handle(() => practiceForImport(getDb(), user.memberships, code));
  const fail = (message: string): ActionResult => ({ ok: false, fieldErrors: { file: message } });

  const upload = await readUploadedFile(request);
  if (!upload.ok) return fail(upload.message);
  try {
    const id = await startUpload(getDb(), {
      userId: user.id,
      fileName: upload.file.name,
      content: upload.file.content,
      practiceCode: practice?.ods_code ?? null,
    });
    return redirect(`/estate/import/${id}`);
  } catch (e) {
    if (e instanceof UnreadableFileError) return fail(e.message);
    if (e instanceof AppError && e.status === 400) return fail(e.message);
    throw e;
  }
}

export default function ImportDevices() {
  const { practice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const crumbs: Crumb[] = [{ label: "Home", to: "/" }];
  if (practice) {
    crumbs.push({ label: titleCase(practice.name), to: `/practices/${practice.ods_code}` });
    crumbs.push({ label: "Devices", to: `/practices/${practice.ods_code}/devices` });
  }
  const exportLink = practice ? `/practices/${practice.ods_code}/devices/export?format=xlsx` : "/estate/devices/export?format=xlsx";
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          {practice ? <span className="nhsuk-caption-l">{`${titleCase(practice.name)} (${practice.ods_code})`}</span> : null}
          <h1>Import devices</h1>
          <p>Upload a spreadsheet of devices to add new devices and update the ones already recorded. You can check every row before anything is saved.</p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            <li>CSV (comma, semicolon or tab separated) or Excel .xlsx (the first sheet is read), up to {MAX_UPLOAD_MB} MB and {UPLOAD_LIMITS.rows.toLocaleString("en-GB")} rows.</li>
            <li>The first row must name the columns. You can say which column is which on the next page.</li>
            <li>Devices are matched by asset tag, or by serial number if there is no asset tag match, at the same practice.</li>
            {practice ? (
              <li>Rows without a practice ODS code are added to {practice.ods_code}. Rows for another practice are rejected.</li>
            ) : (
              <li>Each row needs the practice ODS code, in a column such as "Practice code" or "ODS".</li>
            )}
            <li>
              Columns that are not in your file are left as they are for devices already recorded. Dates can be written as 31/03/2024.
            </li>
          </ul>
          <p>
            To start from what is recorded now, <a href={exportLink}>download the devices as a spreadsheet</a>, edit it and upload it here.
          </p>
          <Form method="post" encType="multipart/form-data" noValidate>
            <div className={`nhsuk-form-group${errors.file ? " nhsuk-form-group--error" : ""}`}>
              <label className="nhsuk-label nhsuk-label--s" htmlFor="field-file">
                Upload a file
              </label>
              <div className="nhsuk-hint" id="field-file-hint">
                CSV or Excel (.xlsx)
              </div>
              {errors.file ? (
                <span className="nhsuk-error-message" id="field-file-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.file}
                </span>
              ) : null}
              <input
                className={`nhsuk-file-upload${errors.file ? " nhsuk-file-upload--error" : ""}`}
                id="field-file"
                name="file"
                type="file"
                accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                aria-describedby={`field-file-hint${errors.file ? " field-file-error" : ""}`}
              />
            </div>
            <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
              {navigation.state === "submitting" ? "Reading the file…" : "Upload and check"}
            </button>
          </Form>
          {practice ? (
            <p>
              <Link to={`/practices/${practice.ods_code}/devices`}>Back to the devices at {titleCase(practice.name)}</Link>
            </p>
          ) : null}
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
