import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ImportRunsTable, UploadForm } from "~/components/FileImport";
import { formatNumber } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { storeCeUpload, type CeImportCounts } from "~/modules/cyber-essentials/import.server";
import { KIND } from "~/modules/cyber-essentials/repository.server";
import { listFeedRuns } from "~/modules/feeds/import-run.server";
import { startImport } from "~/modules/jobs/import.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { pageTitle } from "~/utils/page-title";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { readUploadedFile } from "~/utils/upload-form.server";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectToImportJob } from "~/modules/jobs/redirect.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Cyber Essentials certificates") }];

/**
 * Cyber Essentials certificates are evidence the ICB holds for its practices, so the people who
 * verify evidence import them ("assessment:verify": ICB digital leads for their ICBs, admins for
 * all). Each row is checked against the importer's scope (import.server.ts).
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "assessment:verify");
  // Admins see every run; an ICB lead their own, since a run's problems name rows of the file sent.
  return {
    imports: await listFeedRuns<CeImportCounts>(getDb(), KIND, {
      page: pageFromUrl(new URL(request.url)),
      userId: scope.all ? undefined : user.id,
    }),
  };
});

type Failure = { ok: false; fieldErrors: { file: string } };

/**
 * Reads the upload under the upload limits, refuses at once a file that cannot be read or lacks
 * the certificate columns, stores it and queues its import as a background job of kind "import"
 * (as the device and DSPT imports do); the job's page shows its progress and, when it is done,
 * what it imported and the problems of any rejected rows. The job checks each row against the
 * importer's scope as it is when the job runs.
 */
export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<Failure | Response> => {
  const { user } = await requirePermission(request, "assessment:verify");
  const fail = (message: string): Failure => ({ ok: false, fieldErrors: { file: message } });
  const upload = await readUploadedFile(request);
  let uploadId: string;
  try {
    uploadId = await storeCeUpload(getDb(), { userId: user.id, fileName: upload.file.name, content: upload.file.content });
  } catch (e) {
    if (e instanceof AppError && e.status === 400) return fail(e.message);
    throw e;
  }
  const started = await startImport(getDb(), user, { importKind: "cyber_essentials", uploadId });
  return redirectToImportJob(request, started);
});

const n = (v: number) => formatNumber(v);

export default function CyberEssentialsImportPage() {
  const { imports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const error = actionData?.fieldErrors.file;
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Cyber Essentials certificates</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            There is no national file of Cyber Essentials certificates, so each ICB keeps the certificates its practices send it. Upload
            them as a CSV or Excel (.xlsx) file, one certificate per row, with the columns <code>ODS code</code>, <code>Level</code> (Cyber
            Essentials or Cyber Essentials Plus), <code>Certificate number</code> and <code>Issue date</code> (dd/mm/yyyy), and if you have
            them <code>Organisation name</code>, <code>Certification body</code> and <code>Expiry date</code>.
          </p>
          <p>
            A certificate is valid for 12 months from the day it is issued, so a blank expiry date is taken as 12 months after issue. Each
            practice keeps every certificate imported for it, and SEC-05 (Cyber Essentials Plus) is re-checked from the one in force: once a
            practice has a certificate here, its self-assessment answer no longer decides.
          </p>
          <p>The import runs in the background: you are taken to its page, which follows it and then shows what it imported.</p>
          <UploadForm error={error} />
        </div>
      </div>
      <h2>Imports</h2>
      {imports.total === 0 ? (
        <p>No certificate file has been imported yet.</p>
      ) : (
        <>
          <ImportRunsTable
            rows={imports.rows}
            columns={[
              { label: "New", value: (c) => n(c.created) },
              { label: "Corrected", value: (c) => n(c.updated) },
              { label: "Practices", value: (c) => n(c.practices) },
              { label: "Rejected", value: (c) => n(c.rejected) },
            ]}
          />
          <Pagination page={imports.page} pageCount={imports.pageCount} total={imports.total} noun="imports" />
        </>
      )}
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary };
