import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { DateField } from "~/components/fields";
import { ImportRunsTable, RowProblems, UploadForm } from "~/components/FileImport";
import { formatNumber } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { importContracts, type ContractImportCounts, type ContractImportResult } from "~/modules/contracts/import.server";
import { KIND } from "~/modules/contracts/repository.server";
import { parseUpload, UnreadableFileError } from "~/modules/devices/import/parse.server";
import { listFeedRuns } from "~/modules/feeds/import-run.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { formatDate } from "~/utils/format";
import { pageTitle } from "~/utils/page-title";
import { pageFromUrl } from "~/utils/pagination";
import { readUploadedFile } from "~/utils/upload-form.server";
import { optionalDate } from "~/utils/zod-fields";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Import supplier contracts") }];

/**
 * Supplier contracts are the ICB's register: ICB digital leads (their ICBs), delivery partners
 * (the ICBs or practices they serve) and admins import them ("contract:manage"). Each row is
 * checked against the importer's scope (import.server.ts).
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "contract:manage");
  // Admins see every run; others their own, since a run's problems name rows of the file sent.
  return {
    today: todayInEngland(),
    imports: await listFeedRuns<ContractImportCounts>(getDb(), KIND, {
      page: pageFromUrl(new URL(request.url)),
      userId: scope.all ? undefined : user.id,
    }),
  };
});

type Failure = { ok: false; fieldErrors: { file?: string; file_date?: string } };
type Done = { ok: true; fileName: string; dryRun: boolean } & Pick<ContractImportResult, "counts" | "issues">;

const fileDateField = optionalDate("The date of the file");

export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<Failure | Done> => {
  const { user, scope } = await requirePermission(request, "contract:manage");
  const upload = await readUploadedFile(request);
  const date = fileDateField.safeParse(upload.fields.file_date ?? "");
  const today = todayInEngland();
  if (!date.success) return { ok: false, fieldErrors: { file_date: date.error.issues[0].message } };
  if (date.data && date.data > today) return { ok: false, fieldErrors: { file_date: "The date of the file cannot be in the future" } };
  const dryRun = upload.fields.dry_run === "yes";
  try {
    const table = await parseUpload(upload.file.content);
    const r = await importContracts(getDb(), {
      table,
      fileName: upload.file.name,
      fileDate: date.data ?? today,
      userId: user.id,
      scope,
      dryRun,
    });
    return { ok: true, fileName: upload.file.name, dryRun, counts: r.counts, issues: r.issues.slice(0, 200) };
  } catch (e) {
    if (e instanceof UnreadableFileError || (e instanceof AppError && e.status === 400))
      return { ok: false, fieldErrors: { file: e.message } };
    throw e;
  }
});

const n = (v: number) => formatNumber(v);

export default function ContractsImportPage() {
  const { imports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && !actionData.ok ? actionData.fieldErrors : {};
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Import supplier contracts</h1>
      {actionData?.ok ? (
        <div className="nhsuk-card nhsuk-card--feature">
          <div className="nhsuk-card__content nhsuk-card__content--feature">
            <h2 className="nhsuk-card__heading nhsuk-card__heading--feature">
              {actionData.fileName} {actionData.dryRun ? "checked: nothing was written" : "imported"}
            </h2>
            <p className="nhsuk-card__description">
              {n(actionData.counts.rowsRead)} rows read (file dated {formatDate(actionData.counts.fileDate)}):{" "}
              {n(actionData.counts.created)} new contracts and {n(actionData.counts.updated)} changed
              {actionData.dryRun ? " would be stored" : ""}, {n(actionData.counts.unchanged)} already held, {n(actionData.counts.rejected)}{" "}
              rows rejected.
            </p>
          </div>
        </div>
      ) : null}
      {actionData?.ok ? <RowProblems issues={actionData.issues} /> : null}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Upload the ICB&apos;s contracts register as a CSV or Excel (.xlsx) file, one contract per row, with the columns{" "}
            <code>ODS code</code> (the practice&apos;s, or the ICB&apos;s for a contract it holds), <code>Supplier</code>,{" "}
            <code>Category</code> (Telephony, Clinical system modules, Online consultation, Connectivity, Support or Other),{" "}
            <code>Start date</code> and <code>End date</code> (dd/mm/yyyy), <code>Annual cost (£ ex VAT)</code>, <code>Paid by</code> (ICB,
            Practice or Other) and <code>Contract reference</code>, and if you have them <code>Product or service</code>,{" "}
            <code>Framework</code> and <code>Notice period (months)</code>. A register downloaded from this service imports as it is.
          </p>
          <p>
            A contract is the same one when its practice or ICB, supplier and reference match: importing the file again changes only what
            the file changed. Rows for practices or ICBs you do not look after are refused, each on its row.
          </p>
          <UploadForm error={errors.file} fieldErrors={{ file_date: errors.file_date }} dryRun>
            <DateField
              name="file_date"
              label="Date of the file (optional)"
              hint="The date the register was exported or last checked, for example, 01/12/2026. Blank means today."
              error={errors.file_date}
            />
          </UploadForm>
        </div>
      </div>
      <h2>Imports</h2>
      {imports.total === 0 ? (
        <p>No contracts file has been imported yet.</p>
      ) : (
        <>
          <ImportRunsTable
            rows={imports.rows}
            columns={[
              { label: "File dated", value: (c) => formatDate(c.fileDate), numeric: false },
              { label: "New", value: (c) => n(c.created) },
              { label: "Changed", value: (c) => n(c.updated) },
              { label: "Unchanged", value: (c) => n(c.unchanged) },
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
