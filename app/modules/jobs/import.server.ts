import { z } from "zod";
import type { Db } from "#db/connect";
import type { SessionUser } from "~/modules/auth/service.server";
import { recordAudit } from "~/modules/audit/repository.server";
import { commitUpload, type ImportCounts } from "~/modules/devices/import/commit.server";
import { parseUpload } from "~/modules/devices/import/parse.server";
import * as uploads from "~/modules/devices/import/repository.server";
import { KIND as DEVICES } from "~/modules/devices/import/service.server";
import { importDsptTable, KIND as DSPT, type DsptImportCounts } from "~/modules/dspt/import.server";
import { importCertificates, type CeImportCounts } from "~/modules/cyber-essentials/import.server";
import { KIND as CE } from "~/modules/cyber-essentials/repository.server";
import { aggregateCbtFile, PAGE_LIMITS as CBT_LIMITS } from "~/modules/cbt/aggregate.server";
import { importCbt, type CbtImportCounts } from "~/modules/cbt/import.server";
import { KIND as CBT } from "~/modules/cbt/repository.server";
import { monthName } from "~/modules/compliance/rules/cbt";
import { commitPaperImport, PAPER_IMPORT_KIND as PAPER, type PaperImportCounts } from "~/modules/paper/import.server";
import { listMemberships } from "~/modules/users/repository.server";
import { AppError, forbidden, notFound } from "~/utils/errors";
import { logFor } from "~/utils/log.server";
import { scopeCoversPractice, scopeFor, scopeIsEmpty } from "~/utils/permissions";
import { LARGE_WORK_ROWS } from "~/utils/reduce-heap.server";
import * as repo from "~/modules/queue/repository.server";
import { registerJobHandler, wakeJobWorker, type JobHandler } from "~/modules/queue/worker.server";

/**
 * Imports as background jobs (issue 12). The preview step is unchanged: the file is stored as an
 * upload and checked on its page. Confirming it queues a job of kind "import" for that upload
 * and returns at once; a worker then runs the same commit as before (the same checks, one
 * transaction, the same audit events) and the job's page follows it. The job's scope is the
 * upload, so the partial unique index on job refuses a second active import of the same file,
 * and the import run records the job, so a job run again after its process died cannot import twice.
 */
export const IMPORT = "import";

export const IMPORT_KINDS = [DEVICES, PAPER, DSPT, CE, CBT] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const uploadScope = (uploadId: string) => `upload:${uploadId}`;

const ExpectedSchema = z.object({
  create: z.number().int(),
  update: z.number().int(),
  rejected: z.number().int(),
  retire: z.number().int().optional(),
});

/** What an import job carries: which upload, what kind, and what the uploader confirmed on the preview. */
export const ImportParamsSchema = z.object({
  importKind: z.enum(IMPORT_KINDS),
  uploadId: z.string().uuid(),
  fileName: z.string().max(500),
  practice: z.string().max(10).nullable(),
  expected: ExpectedSchema.optional(),
});
export type ImportParams = z.infer<typeof ImportParamsSchema>;

/** What a finished import job stores and its page shows: the counts the import page showed before. */
export type ImportJobResult =
  | { importKind: typeof DEVICES; runId: number; counts: ImportCounts; retired: number }
  | { importKind: typeof PAPER; runId: number; counts: PaperImportCounts }
  | { importKind: typeof DSPT; runId: number | null; counts: DsptImportCounts; issues: { row: number; column: string; message: string }[] }
  | { importKind: typeof CE; runId: number | null; counts: CeImportCounts; issues: { row: number; column: string; message: string }[] }
  | {
      importKind: typeof CBT;
      runId: number | null;
      counts: CbtImportCounts;
      /** The file's months as the page names them ("August 2026"). */
      monthLabels: string[];
      issues: { row: number; column: string; message: string }[];
    };

const UPLOAD_GONE = "upload. It may have been imported already, or it was more than a day old";
const FAILED = "Sorry, the import failed and nothing was saved. Please try again; if it fails again, tell your administrator.";

export type StartImport =
  | { queued: true; jobId: number }
  | { queued: false; existing: { jobId: number; startedBy: string | null; createdAt: Date; status: string } };

const describe = (j: repo.JobRow) => ({ jobId: j.id, startedBy: j.created_by_name, createdAt: j.created_at, status: j.status });

/**
 * Queues the import of one of the user's stored uploads. The caller (the route) has checked the
 * user may import this kind of file; the upload must be theirs. A second request for the same
 * upload while its job is queued or running, or after it imported the file, is not queued: it
 * is told which job has it (two tabs, a double click, a back button).
 */
export async function startImport(
  db: Db,
  user: Pick<SessionUser, "id">,
  req: {
    importKind: ImportKind;
    uploadId: string;
    expected?: ImportParams["expected"];
    /** The practice whose page the request came from. */ practice?: string;
  },
): Promise<StartImport> {
  const uploadId = z.string().uuid().safeParse(req.uploadId);
  if (!uploadId.success) throw notFound(UPLOAD_GONE);
  const scope = uploadScope(uploadId.data);
  const found = await uploads.findUploadSummary(db, uploadId.data, user.id, req.importKind);
  const upload = found && (req.practice === undefined || found.practice_code === req.practice) ? found : undefined;
  if (!upload) {
    const last = await repo.findLatestJob(db, IMPORT, scope, user.id);
    if (last) return { queued: false, existing: describe(last) };
    throw notFound(UPLOAD_GONE);
  }
  const params: ImportParams = {
    importKind: req.importKind,
    uploadId: uploadId.data,
    fileName: upload.file_name,
    practice: upload.practice_code,
    expected: req.expected,
  };
  const jobId = await db.transaction().execute(async (trx) => {
    const id = await repo.insertJob(trx, { kind: IMPORT, scope, params, createdBy: user.id });
    if (id !== null) {
      await recordAudit(trx, {
        userId: user.id,
        action: "import.queue",
        entityType: "import_upload",
        entityId: uploadId.data,
        after: {
          jobId: id,
          kind: req.importKind,
          file_name: upload.file_name,
          practice_code: upload.practice_code,
          expected: req.expected ?? null,
        },
      });
    }
    return id;
  });
  if (jobId !== null) {
    wakeJobWorker();
    return { queued: true, jobId };
  }
  const active = (await repo.findActiveJob(db, IMPORT, scope)) ?? (await repo.findLatestJob(db, IMPORT, scope, user.id));
  if (!active) throw notFound(UPLOAD_GONE);
  return { queued: false, existing: describe(active) };
}

/** The queued or running import of an upload, for its preview page ("this file is being imported"). */
export async function activeImportOf(db: Db, uploadId: string) {
  const job = await repo.findActiveJob(db, IMPORT, uploadScope(uploadId));
  return job ? { jobId: job.id, status: job.status } : null;
}

/** Runs an import job: the same commit the pages ran inside the request, now in the worker. */
export const importJobHandler: JobHandler = {
  async run(db, job, progress) {
    const parsed = ImportParamsSchema.safeParse(job.params);
    if (!parsed.success || job.created_by === null)
      throw new Error("This job's details are not ones an import understands. Nothing was imported.");
    const p = parsed.data;
    // The transaction committed, but the process stopped before the job was marked done: the
    // import run says what it wrote, and nothing is written again.
    const earlier = await uploads.findImportRunOfJob(db, job.id);
    if (earlier) return resultOfRun(p.importKind, earlier.id, earlier.counts);
    if (!(await uploads.findUploadSummary(db, p.uploadId, job.created_by, p.importKind))) {
      const other = await repo.findLatestJob(db, IMPORT, job.scope, job.created_by);
      throw new Error(
        other && other.id !== job.id && other.status === "done"
          ? `This file was imported already (import ${other.id}). Nothing was imported twice.`
          : "The uploaded file is no longer stored (uploads are kept for a day). Nothing was imported: upload it again.",
      );
    }
    // Roles as they are now, not as they were when the job was queued.
    const user = { id: job.created_by, memberships: await listMemberships(db, job.created_by) };
    // Progress writes go on another connection while the import's transaction runs (on PGlite
    // they wait for it); chained so they land in order, never awaited inside the transaction.
    let pending: Promise<void> = Promise.resolve();
    const onProgress = (x: repo.JobProgress) => {
      pending = pending.then(() => progress(x)).catch(() => {});
    };
    try {
      const result = await runImport(db, p, user, job.id, onProgress);
      await pending;
      return result;
    } catch (e) {
      if (e instanceof AppError) throw new Error(e.message);
      logFor("import-job").error({ err: e, jobId: job.id, uploadId: p.uploadId }, "import job failed");
      throw new Error(FAILED);
    }
  },
  async finish(trx, job, outcome) {
    if (outcome.status === "done") return; // the import's own events committed with its rows
    const p = ImportParamsSchema.safeParse(job.params);
    await recordAudit(trx, {
      userId: job.created_by,
      action: "import.fail",
      entityType: "import_upload",
      entityId: p.success ? p.data.uploadId : job.scope,
      after: { jobId: job.id, kind: p.success ? p.data.importKind : null, error: outcome.error },
    });
  },
  // A device import holds its whole file and check (up to 100,000 rows) on this process's heap.
  // A failed one may have too (its size is not known then); failures are rare.
  reducesHeapAfter: (outcome) => outcome.status === "failed" || rowsReadBy(outcome.result as ImportJobResult) >= LARGE_WORK_ROWS,
};

/** How many rows of its file an import read (a paper file's are its months, counted by outcome). */
export function rowsReadBy(r: ImportJobResult): number {
  if (r.importKind === PAPER) return r.counts.created + r.counts.updated + r.counts.unchanged + r.counts.rejected;
  return r.counts.rowsRead;
}

async function runImport(
  db: Db,
  p: ImportParams,
  user: { id: number; memberships: Awaited<ReturnType<typeof listMemberships>> },
  jobId: number,
  onProgress: (x: repo.JobProgress) => void,
): Promise<ImportJobResult> {
  if (p.importKind === DEVICES) {
    const r = await commitUpload(db, { id: p.uploadId, user, expected: p.expected, onProgress, jobId });
    return { importKind: DEVICES, runId: r.runId, counts: r.counts, retired: r.retired };
  }
  if (p.importKind === PAPER) {
    const practice = p.practice ? await uploads.getPractice(db, p.practice) : undefined;
    if (!practice || !scopeCoversPractice(scopeFor(user.memberships, "estate.practice:write"), practice))
      throw forbidden("You can no longer change this practice's paper figures. Nothing was imported.");
    const { runId, ...counts } = await commitPaperImport(db, p.uploadId, user.id, practice.ods_code, { jobId, onProgress });
    return { importKind: PAPER, runId, counts };
  }
  if (p.importKind === CBT) {
    // NHS England's publication covers every practice in England: admins import it.
    if (!scopeFor(user.memberships, "user:manage").all)
      throw forbidden("Only an admin can import cloud telephony data. Nothing was imported.");
    const upload = await uploads.getUpload(db, p.uploadId, user.id, CBT);
    if (!upload) throw notFound(UPLOAD_GONE);
    onProgress({ phase: "checking", done: 0, total: 0 });
    const aggregate = await aggregateCbtFile(upload.file_name, upload.content, CBT_LIMITS);
    const r = await importCbt(db, {
      aggregate,
      fileName: upload.file_name,
      userId: user.id,
      upload: { id: upload.id, userId: user.id },
      jobId,
      onProgress,
    });
    return {
      importKind: CBT,
      runId: r.runId,
      counts: r.counts,
      monthLabels: r.counts.months.map(monthName),
      issues: r.problems.slice(0, 200).map((x) => ({ row: x.row, column: x.column, message: `${x.file}: ${x.message}` })),
    };
  }
  if (p.importKind === CE) {
    // The importer's scope as it is now: rows for practices outside it are refused row by row.
    const scope = scopeFor(user.memberships, "assessment:verify");
    if (scopeIsEmpty(scope)) throw forbidden("You can no longer import Cyber Essentials certificates. Nothing was imported.");
    const upload = await uploads.getUpload(db, p.uploadId, user.id, CE);
    if (!upload) throw notFound(UPLOAD_GONE);
    onProgress({ phase: "checking", done: 0, total: 0 });
    const r = await importCertificates(db, {
      table: await parseUpload(upload.content),
      fileName: upload.file_name,
      userId: user.id,
      scope,
      upload: { id: upload.id, userId: user.id },
      jobId,
      onProgress,
    });
    return { importKind: CE, runId: r.runId, counts: r.counts, issues: r.issues.slice(0, 200) };
  }
  if (!scopeFor(user.memberships, "user:manage").all)
    throw forbidden("Only an admin can import the DSPT status file. Nothing was imported.");
  const upload = await uploads.getUpload(db, p.uploadId, user.id, DSPT);
  if (!upload) throw notFound(UPLOAD_GONE);
  onProgress({ phase: "checking", done: 0, total: 0 });
  const table = await parseUpload(upload.content);
  const r = await importDsptTable(db, {
    table,
    fileName: upload.file_name,
    userId: user.id,
    upload: { id: upload.id, userId: user.id },
    jobId,
    onProgress,
  });
  return { importKind: DSPT, runId: r.runId, counts: r.counts, issues: r.issues.slice(0, 200) };
}

/** A finished job's result rebuilt from the import run it wrote (the counts are stored there too). */
function resultOfRun(kind: ImportKind, runId: number, raw: unknown): ImportJobResult {
  const c = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>;
  const n = (k: string) => Number(c[k] ?? 0);
  if (kind === DEVICES) {
    return {
      importKind: DEVICES,
      runId,
      counts: { rowsRead: n("rowsRead"), created: n("created"), updated: n("updated"), unchanged: n("unchanged"), rejected: n("rejected") },
      retired: n("retired"),
    };
  }
  if (kind === PAPER)
    return {
      importKind: PAPER,
      runId,
      counts: { created: n("created"), updated: n("updated"), unchanged: n("unchanged"), rejected: n("rejected") },
    };
  const issues = ((c.issues as { row: number; column: string; message: string; file?: string }[] | undefined) ?? []).slice(0, 200);
  if (kind === CBT) {
    const months = Array.isArray(c.months) ? (c.months as string[]) : [];
    return {
      importKind: CBT,
      runId,
      counts: {
        rowsRead: n("rowsRead"),
        unassignedRows: n("unassignedRows"),
        rejectedRows: n("rejectedRows"),
        months,
        created: n("created"),
        updated: n("updated"),
        unchanged: n("unchanged"),
        skippedUnknown: n("skippedUnknown"),
        practices: n("practices"),
      },
      monthLabels: months.map(monthName),
      issues: issues.map((x) => ({ row: x.row, column: x.column, message: x.file ? `${x.file}: ${x.message}` : x.message })),
    };
  }
  if (kind === CE)
    return {
      importKind: CE,
      runId,
      counts: {
        rowsRead: n("rowsRead"),
        created: n("created"),
        updated: n("updated"),
        unchanged: n("unchanged"),
        rejected: n("rejected"),
        practices: n("practices"),
      },
      issues,
    };
  const counts = {
    rowsRead: n("rowsRead"),
    created: n("created"),
    unchanged: n("unchanged"),
    skippedNotGp: n("skippedNotGp"),
    skippedUnknown: n("skippedUnknown"),
    rejected: n("rejected"),
    practices: n("practices"),
  };
  return {
    importKind: DSPT,
    runId,
    counts,
    issues,
  };
}

registerJobHandler(IMPORT, importJobHandler);
