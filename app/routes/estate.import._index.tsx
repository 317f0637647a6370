import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatNumber, plural, titleCase } from "~/utils/format";
import { MAX_UPLOAD_MB } from "~/modules/devices/import/limits";
import { UnreadableFileError } from "~/modules/devices/import/parse.server";
import { practiceChoices, practiceForImport, prefixRulesForImport, startUpload } from "~/modules/devices/import/service.server";
import { TextareaField } from "~/components/fields";
import { z } from "zod";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { requirePermission } from "~/modules/auth/permissions.server";
import { readUploadedFile } from "~/utils/upload-form.server";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Import devices – GP digital estate" }];

// The practice search on this page: a name, ODS code or postcode fragment.
const ChoiceQuery = z.object({ q: z.string().trim().max(100).catch("") });

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const url = new URL(request.url);
  const code = url.searchParams.get("practice");
  const practice = await practiceForImport(getDb(), user.memberships, code);
  // "Which practice is this file for?": only when the upload did not start from a practice.
  const { q } = ChoiceQuery.parse({ q: url.searchParams.get("q") ?? "" });
  const choices = practice ? null : { q, ...(await practiceChoices(getDb(), user.memberships, q)) };
  return { practice, choices };
});

type ActionResult = { ok: false; fieldErrors: Record<string, string>; formError?: string };

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const code = new URL(request.url).searchParams.get("practice");
  const practice = await practiceForImport(getDb(), user.memberships, code);
  const fail = (message: string): ActionResult => ({ ok: false, fieldErrors: { file: message } });

  const upload = await readUploadedFile(request);
  // The practice chosen on this page: checked on the server like the one in the address (a code
  // outside the user's scope is not found, one they may only read is refused).
  const chosen = practice ? null : await practiceForImport(getDb(), user.memberships, upload.fields.practice || null);
  const into = practice ?? chosen;
  // Or a rule per device-name prefix ("LCP- F84003"), placing each row as the Intune sync does.
  const prefixText = practice ? "" : (upload.fields.prefixes ?? "").slice(0, 20_000);
  if (chosen && prefixText.trim())
    return { ok: false, fieldErrors: { prefixes: "Choose the practice or give device-name prefixes, not both" } } satisfies ActionResult;
  const prefixes = prefixText.trim() ? await prefixRulesForImport(getDb(), user.memberships, prefixText) : null;
  if (prefixes && !prefixes.ok) return { ok: false, fieldErrors: { prefixes: prefixes.message } } satisfies ActionResult;
  try {
    const id = await startUpload(getDb(), {
      userId: user.id,
      fileName: upload.file.name,
      content: upload.file.content,
      practiceCode: into?.ods_code ?? null,
      prefixRules: prefixes?.rules,
    });
    return redirect(`/estate/import/${id}`);
  } catch (e) {
    if (e instanceof UnreadableFileError) return fail(e.message);
    if (e instanceof AppError && e.status === 400) return fail(e.message);
    throw e;
  }
});

export default function ImportDevices() {
  const { practice, choices } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
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
          <p>
            Upload a spreadsheet of devices to add new devices and update the ones already recorded. You can check every row before anything
            is saved.
          </p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            <li>
              CSV (comma, semicolon or tab separated) or Excel .xlsx (the first sheet is read), up to {MAX_UPLOAD_MB} MB and{" "}
              {UPLOAD_LIMITS.rows.toLocaleString("en-GB")} rows.
            </li>
            <li>The first row must name the columns. You can say which column is which on the next page.</li>
            <li>Devices are matched by asset tag, or by serial number if there is no asset tag match, at the same practice.</li>
            <li>
              Values your file writes its own way (&quot;Desktops&quot;, &quot;Co-managed&quot;) can be mapped on the next page; your
              choices are saved. <Link to="/estate/import/mappings">See your saved choices</Link>.
            </li>
            {practice ? (
              <li>Rows without a practice ODS code are added to {practice.ods_code}. Rows for another practice are rejected.</li>
            ) : (
              <li>
                Choose the practice below if the file is for one practice (an Intune "All devices" export has no practice column), or give
                the start of the device names each practice uses. Otherwise each row needs the practice ODS code, in a column such as
                "Practice code" or "ODS".
              </li>
            )}
            <li>
              An Intune "All devices" export can be uploaded as it comes: its OS version (such as 10.0.26100.3476) gives the Windows
              release, and Last check-in the day the device was last seen.
            </li>
            <li>
              Columns that are not in your file are left as they are for devices already recorded. Dates can be written as 31/03/2024.
            </li>
          </ul>
          <p>
            To start from what is recorded now, <a href={exportLink}>download the devices as a spreadsheet</a>, edit it and upload it here.
          </p>
          {choices ? (
            <Form method="get" role="search" className="nhsuk-u-margin-bottom-4">
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-label--s" htmlFor="field-q">
                  Find the practice
                </label>
                <div className="nhsuk-hint" id="field-q-hint">
                  Name, ODS code or postcode
                </div>
                <input
                  className="nhsuk-input nhsuk-input--width-20"
                  id="field-q"
                  name="q"
                  type="search"
                  defaultValue={choices.q}
                  aria-describedby="field-q-hint"
                />
              </div>
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Search practices
              </button>
            </Form>
          ) : null}
          <Form method="post" encType="multipart/form-data" noValidate>
            {choices ? (
              <div className={`nhsuk-form-group${errors.practice ? " nhsuk-form-group--error" : ""}`}>
                <label className="nhsuk-label nhsuk-label--s" htmlFor="field-practice">
                  Which practice is this file for?
                </label>
                <div className="nhsuk-hint" id="field-practice-hint">
                  {choices.total > choices.choices.length
                    ? `Showing ${formatNumber(choices.choices.length)} of ${plural(choices.total, "practice")} you can import into: search above to find others.`
                    : choices.q
                      ? `${plural(choices.total, "practice matches", "practices match")} "${choices.q}".`
                      : "Leave this as it is if the file has a practice code column."}
                </div>
                <select
                  className="nhsuk-select"
                  id="field-practice"
                  name="practice"
                  defaultValue={choices.choices.length === 1 && choices.q ? choices.choices[0].ods_code : ""}
                  aria-describedby="field-practice-hint"
                >
                  <option value="">The file has a practice code column</option>
                  {choices.choices.map((c) => (
                    <option key={c.ods_code} value={c.ods_code}>
                      {`${titleCase(c.name)} (${c.ods_code}${c.postcode ? `, ${c.postcode}` : ""})`}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            {choices ? (
              <TextareaField
                name="prefixes"
                label="Or place each row by the start of its device name"
                hint={`For a file covering several practices with no practice column. One a line: the start of the device name, then the practice's ODS code, such as "LCP- F84003". The longest matching start wins, as in an Intune sync.`}
                error={errors.prefixes}
                rows={3}
                spellCheck={false}
              />
            ) : null}
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
            <button className="nhsuk-button" type="submit" disabled={pending}>
              {pending ? "Reading the file…" : "Upload and check"}
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
