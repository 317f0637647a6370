import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatNumber, plural, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { ColumnsForm } from "~/components/import/ColumnsForm";
import { ImpactPreview } from "~/components/import/ImpactPreview";
import { ValueMapping } from "~/components/import/ValueMapping";
import {
  commitLabel,
  Count,
  ImportCommitForm,
  IssueTable,
  ModeForm,
  ProblemGroups,
  RetireSection,
  Samples,
} from "~/components/import/CheckParts";
import { checkPageAction } from "~/modules/devices/import/check-page.server";
import { expectedFromForm } from "~/modules/devices/import/commit.server";
import { uploadPreview } from "~/modules/devices/import/service.server";
import { activeImportOf, startImport } from "~/modules/jobs/import.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectToImportJob } from "~/modules/jobs/redirect.server";

export const meta: MetaFunction = () => [{ title: "Check your device import – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const data = await uploadPreview(getDb(), params.id ?? "", user, pageFromUrl(new URL(request.url)));
  // Another tab (or this one, before going back) may already have confirmed this file.
  return { ...data, importing: await activeImportOf(getDb(), data.id) };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "commit") {
    // The import runs as a background job (app/modules/jobs/import.server.ts): this returns at
    // once and the job's page follows it. A second confirmation of the same file (a double
    // click, another tab) is sent to the job that already has it.
    const started = await startImport(getDb(), user, { importKind: "devices", uploadId: id, expected: expectedFromForm(form) });
    return redirectToImportJob(request, started);
  }
  const result = await checkPageAction(getDb(), id, user, intent, form);
  return "redirect" in result ? redirect(result.redirect) : result;
});

export default function ImportPreview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { preview, practice } = data;
  const crumbs: Crumb[] = [{ label: "Home", to: "/" }];
  if (practice) crumbs.push({ label: titleCase(practice.name), to: `/practices/${practice.ods_code}/devices` });
  crumbs.push({ label: "Import devices", to: practice ? `/estate/import?practice=${practice.ods_code}` : "/estate/import" });
  const retireCount = preview?.replace ? preview.retireCount : 0;
  const toWrite = preview ? preview.counts.create + preview.counts.update + retireCount : 0;
  const rejected = preview?.counts.rejected ?? 0;
  const fieldErrors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  const formError = actionData && !actionData.ok ? actionData.formError : undefined;

  return (
    <>
      <Breadcrumbs items={crumbs} />
      <ErrorSummary errors={fieldErrors} formError={formError ?? (data.problems.length ? data.problems.join(" ") : undefined)} />
      <span className="nhsuk-caption-l">
        {data.fileName}
        {practice ? ` · ${titleCase(practice.name)} (${practice.ods_code})` : ""}
      </span>
      <h1>Check your device import</h1>
      <p>Nothing has been saved yet. Check the columns and the rows below, then confirm the import at the bottom of the page.</p>

      <h2 id="columns">Columns</h2>
      <ColumnsForm columns={data.columns} busy={busy} />

      {preview ? (
        <>
          <ValueMapping lines={preview.values.lines} total={preview.values.total} errors={fieldErrors} busy={busy} />
          {preview.prefixRules?.length ? (
            <p>
              {`Rows with no practice code are placed by the start of their device name: ${preview.prefixRules.map((r) => `${r.value} → ${r.practice_code}`).join(", ")}. `}
              <Link to="/estate/import">Upload again to change them</Link>
            </p>
          ) : null}
          <h2>What this file would change</h2>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Rows in the file, by what happens to them</caption>
            <tbody className="nhsuk-table__body">
              <Count label="Rows read" value={data.rowsRead} />
              <Count label="New devices to add" value={preview.counts.create} />
              <Count label="Devices to update" value={preview.counts.update} />
              <Count label="Unchanged (already recorded exactly)" value={preview.counts.unchanged} />
              <Count label="Rejected rows (will not be imported)" value={rejected} />
              {preview.replace ? <Count label="Devices not in the file, to retire" value={retireCount} /> : null}
            </tbody>
          </table>
          {preview.notes.map((n) => (
            <p key={n} className="nhsuk-body-s">
              {n}
            </p>
          ))}

          {practice ? <ModeForm replace={preview.replace} practiceName={titleCase(practice.name)} busy={busy} /> : null}
          {preview.replace ? (
            <RetireSection retire={preview.retire} count={preview.retireCount} practiceName={titleCase(practice?.name ?? "")} />
          ) : null}

          {preview.impact ? (
            <ImpactPreview impact={preview.impact} assumptions={preview.assumptions} links={preview.assumptionLinks} />
          ) : preview.assumptions.length > 0 ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <h2 className="nhsuk-heading-s">What we assumed where the file says nothing</h2>
              <ul className="nhsuk-list nhsuk-list--bullet">
                {preview.assumptions.map((a) => (
                  <li key={a}>
                    {a}{" "}
                    {preview.assumptionLinks[a] ? (
                      <Link to={preview.assumptionLinks[a].href}>{preview.assumptionLinks[a].label}</Link>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          {preview.issues.total > 0 ? (
            <>
              <h2 id="rejected">Rejected rows</h2>
              <p>{plural(rejected, "row has", "rows have")} problems. Row numbers are as Excel shows them (the header is row 1).</p>
              <ProblemGroups groups={preview.groups} total={preview.groupCount} />
              <details className="nhsuk-details" open={preview.issues.page > 1}>
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">Every problem, row by row ({formatNumber(preview.issues.total)})</span>
                </summary>
                <div className="nhsuk-details__text">
                  <IssueTable caption="Problems in rejected rows" issues={preview.issues.rows} />
                  <Pagination
                    page={preview.issues.page}
                    pageCount={preview.issues.pageCount}
                    total={preview.issues.total}
                    noun="problems"
                  />
                </div>
              </details>
            </>
          ) : null}

          {preview.warningCount > 0 ? (
            <>
              <h2>Warnings</h2>
              <p>These rows will be imported, but are worth a second look.</p>
              <IssueTable caption="Warnings" issues={preview.warnings} />
              {preview.warningCount > preview.warnings.length ? (
                <p className="nhsuk-body-s">
                  Showing the first {formatNumber(preview.warnings.length)} of {plural(preview.warningCount, "warning")}.
                </p>
              ) : null}
            </>
          ) : null}

          <Samples title="New devices" rows={preview.samples.create} total={preview.counts.create} />
          <Samples title="Devices to update" rows={preview.samples.update} total={preview.counts.update} showChanges />
          <Samples title="Unchanged devices" rows={preview.samples.unchanged} total={preview.counts.unchanged} />

          <h2>Import</h2>
          {data.importing ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                This file is {data.importing.status === "queued" ? "waiting to be imported" : "being imported"}.{" "}
                <Link to={`/jobs/${data.importing.jobId}`}>See its progress</Link>.
              </p>
            </div>
          ) : toWrite === 0 ? (
            <div className="nhsuk-inset-text">
              <p>
                {rejected > 0
                  ? "There is nothing to import: every row is either rejected or already recorded exactly. Fix the rejected rows in your file and upload it again."
                  : "There is nothing to import: every row is already recorded exactly."}
              </p>
            </div>
          ) : (
            <>
              {rejected > 0 ? (
                <div className="nhsuk-warning-callout">
                  <h3 className="nhsuk-warning-callout__label">
                    <span role="text">
                      <span className="nhsuk-u-visually-hidden">Important: </span>
                      {plural(rejected, "rejected row")}
                    </span>
                  </h3>
                  <p>
                    You can import the {plural(toWrite, "valid row")} now and skip the rejected ones, or fix your file and upload it again
                    to import everything at once.
                  </p>
                </div>
              ) : null}
              <ImportCommitForm
                expected={{ create: preview.counts.create, update: preview.counts.update, rejected, retire: retireCount }}
                label={commitLabel(toWrite - retireCount, rejected, retireCount)}
              />
            </>
          )}
        </>
      ) : null}

      <Form method="post">
        <input type="hidden" name="intent" value="cancel" />
        {practice ? <input type="hidden" name="practice" value={practice.ods_code} /> : null}
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
          Cancel and upload a different file
        </button>
      </Form>
      {practice ? (
        <p>
          <Link to={`/practices/${practice.ods_code}/devices`}>Back to the devices at {titleCase(practice.name)}</Link>
        </p>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
