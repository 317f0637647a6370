import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { formatDateTime } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { UploadForm } from "~/components/FileImport";
import { Pagination } from "~/components/Pagination";
import { listDsptImports, storeDsptUpload } from "~/modules/dspt/import.server";
import { startImport } from "~/modules/jobs/import.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { readUploadedFile } from "~/utils/upload-form.server";
import { scrollRegion } from "~/components/scroll-region";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectToImportJob } from "~/modules/jobs/redirect.server";

export const meta: MetaFunction = () => [{ title: "DSPT status import – GP digital estate" }];

/**
 * The DSPT organisation status file (app/modules/dspt/parse.ts for the layout) covers every
 * organisation in England, so only admins import it: "user:manage" is held by admins alone
 * (app/utils/permissions.ts), as on the other national pages.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return { imports: await listDsptImports(getDb(), pageFromUrl(new URL(request.url))) };
});

type Failure = { ok: false; fieldErrors: { file: string } };

/**
 * Reads the upload under the upload limits (~/utils/upload-limits), refuses a file that is not a
 * DSPT status file at once, stores it and queues its import as a background job (the file covers
 * every organisation in England); the job's page shows its progress and what it did.
 */
export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<Failure | Response> => {
  const { user } = await requirePermission(request, "user:manage");
  const fail = (message: string): Failure => ({ ok: false, fieldErrors: { file: message } });
  const upload = await readUploadedFile(request);
  let uploadId: string;
  try {
    uploadId = await storeDsptUpload(getDb(), { userId: user.id, fileName: upload.file.name, content: upload.file.content });
  } catch (e) {
    if (e instanceof AppError && e.status === 400) return fail(e.message);
    throw e;
  }
  const started = await startImport(getDb(), user, { importKind: "dspt", uploadId });
  return redirectToImportJob(request, started);
});

const n = (v: number) => v.toLocaleString("en-GB");

export default function DsptImportPage() {
  const { imports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: { file?: string } = actionData ? actionData.fieldErrors : {};
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>DSPT status import</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Upload the Data Security and Protection Toolkit organisation status file as a CSV or Excel (.xlsx) file with the columns{" "}
            <code>Code</code>, <code>Organisation Name</code>, <code>Status</code> (such as "2025-26 Standards Met" or "Not Published"),{" "}
            <code>Date Of Publication</code> (dd/mm/yyyy) and <code>Primary Sector</code>. Rows for trusts and other sectors, and for codes
            that are not practices here, are counted and skipped. Each practice keeps its history of statuses, and SEC-01 is re-checked from
            the latest.
          </p>
          <UploadForm error={errors.file} />
          <p>
            The other data feeds: <Link to="/cyber-essentials">Cyber Essentials certificates</Link> and{" "}
            <Link to="/admin/cbt">NHS England's cloud telephony data</Link>.
          </p>
        </div>
      </div>
      <h2>Imports</h2>
      {imports.total === 0 ? (
        <p>No DSPT status file has been imported yet.</p>
      ) : (
        <>
          <div className="app-table-wrap" {...scrollRegion("DSPT files imported")}>
            <table className="nhsuk-table">
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Imported</th>
                  <th scope="col">By</th>
                  <th scope="col" className="app-numeric">
                    New
                  </th>
                  <th scope="col" className="app-numeric">
                    Practices
                  </th>
                  <th scope="col" className="app-numeric">
                    Skipped
                  </th>
                  <th scope="col" className="app-numeric">
                    Rejected
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {imports.rows.map((r) => (
                  <tr key={r.id}>
                    <td>{r.file_name}</td>
                    <td>{formatDateTime(r.finished_at)}</td>
                    <td>{r.user_name ?? r.actor ?? "Unknown"}</td>
                    <td className="app-numeric">{n(r.counts.created)}</td>
                    <td className="app-numeric">{n(r.counts.practices)}</td>
                    <td className="app-numeric">{n(r.counts.skippedNotGp + r.counts.skippedUnknown)}</td>
                    <td className="app-numeric">{n(r.counts.rejected)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={imports.page} pageCount={imports.pageCount} total={imports.total} noun="imports" />
        </>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
