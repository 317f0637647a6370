import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ImportRunsTable, UploadForm } from "~/components/FileImport";
import { formatNumber as n, plural, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { storeCbtUpload, type CbtImportCounts } from "~/modules/cbt/import.server";
import { KIND, latestPublication, missingFromMonth } from "~/modules/cbt/repository.server";
import { listFeedRuns } from "~/modules/feeds/import-run.server";
import { monthName } from "~/modules/compliance/rules/cbt";
import { startImport } from "~/modules/jobs/import.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { readUploadedFile } from "~/utils/upload-form.server";
import { scrollRegion } from "~/components/scroll-region";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectToImportJob } from "~/modules/jobs/redirect.server";

export const meta: MetaFunction = () => [{ title: "Cloud telephony data import – GP digital estate" }];

/** NHS England's CBT publication covers every practice in England: admins import it, as the DSPT file. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  const db = getDb();
  const [latest, imports] = await Promise.all([latestPublication(db), listFeedRuns<CbtImportCounts>(db, KIND, { page: 1, pageSize: 10 })]);
  const missing = latest ? await missingFromMonth(db, latest.month, pageFromUrl(new URL(request.url))) : null;
  return { latest, missing, imports };
});

type Failure = { ok: false; fieldErrors: { file: string } };

/**
 * Reads the upload under the upload limits (a region's CSV or a zip of them), refuses at once a
 * file that cannot be read as one, stores it and queues its import as a background job of kind
 * "import" (as the DSPT page does); the job's page follows it and then shows what it imported.
 */
export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<Failure | Response> => {
  const { user } = await requirePermission(request, "user:manage");
  const fail = (message: string): Failure => ({ ok: false, fieldErrors: { file: message } });
  const upload = await readUploadedFile(request);
  let uploadId: string;
  try {
    uploadId = await storeCbtUpload(getDb(), { userId: user.id, fileName: upload.file.name, content: upload.file.content });
  } catch (e) {
    if (e instanceof AppError && e.status === 400) return fail(e.message);
    throw e;
  }
  const started = await startImport(getDb(), user, { importKind: "cbt", uploadId });
  return redirectToImportJob(request, started);
});

export default function CbtImportPage() {
  const { latest, missing, imports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData?.fieldErrors.file;
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Cloud telephony data import</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Upload NHS England's monthly <i>Cloud Based Telephony Data in General Practice</i> file at practice level: the{" "}
            <i>By Day and Time</i> or <i>By Durations</i> zip, or one of its regional CSVs, with the columns <code>Date</code>,{" "}
            <code>PRACTICE_CODE</code>, <code>Indicator</code>, <code>Time_Category</code> (or <code>Duration</code>) and <code>Value</code>
            . Calls are summed per practice and month. The national zip is larger than an upload may be: import it from the command line
            with <code>npm run -s feeds:import -- --kind cbt FILE</code>.
          </p>
          <p>
            TEL-10 (call data shared with NHS England) is then judged from the latest month, and TEL-04 (call-back) counts the call-backs
            made. Each practice's telephony page and each PCN's page show the months.
          </p>
          <UploadForm error={error} accept=".zip,.csv,text/csv,application/zip" />
        </div>
      </div>

      <h2>{latest ? `Practices on cloud telephony missing from ${monthName(latest.month)}` : "Practices missing from the data"}</h2>
      {!latest || !missing ? (
        <p>No cloud telephony data has been imported yet.</p>
      ) : missing.total === 0 ? (
        <p>
          Every practice recorded here as using cloud telephony is in the data for {monthName(latest.month)} ({n(latest.practices)}{" "}
          practices).
        </p>
      ) : (
        <>
          <p>
            {n(missing.total)} practices recorded here as using cloud telephony, in the NHS regions imported for {monthName(latest.month)} (
            {latest.regions.join(", ")}), are not in NHS England's data for it, which includes {plural(latest.practices, "practice")}. Some
            may share a phone account with other practices, which the data lists as "Unassigned".
          </p>
          <div className="app-table-wrap" {...scrollRegion("Practices missing from the data")}>
            <table className="nhsuk-table">
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Practice</th>
                  <th scope="col">ICB</th>
                  <th scope="col">Telephony supplier</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {missing.rows.map((p) => (
                  <tr key={p.ods_code}>
                    <td>
                      <Link to={`/practices/${p.ods_code}/telephony`}>{titleCase(p.name)}</Link> ({p.ods_code})
                    </td>
                    <td>{p.icb_code ?? "Not known"}</td>
                    <td>{p.supplier ?? "Not known"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={missing.page} pageCount={missing.pageCount} total={missing.total} noun="practices" />
        </>
      )}

      <h2>Latest imports</h2>
      {imports.total === 0 ? (
        <p>No cloud telephony file has been imported yet.</p>
      ) : (
        <ImportRunsTable
          rows={imports.rows}
          caption={`The last ${imports.rows.length} of ${n(imports.total)} imports`}
          columns={[
            { label: "Months", value: (c) => c.months.map(monthName).join(", "), numeric: false },
            { label: "Practice-months added", value: (c) => n(c.created) },
            { label: "Rejected rows", value: (c) => n(c.rejectedRows) },
          ]}
        />
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
