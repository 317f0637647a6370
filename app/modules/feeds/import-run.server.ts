import type { Db, Trx } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { claimUpload, deleteUpload, insertImportRun } from "~/modules/devices/import/repository.server";
import { conflict } from "~/utils/errors";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { listImportRuns } from "./repository.server";

/**
 * What the data-feed imports (DSPT status, Cyber Essentials certificates, cloud telephony data)
 * share: one transaction that a dry run rolls back once it has its counts, and, for a real run,
 * the import run, one audit event and the re-check of the practices it changed, in that same
 * transaction, so the results commit with the data they were judged on.
 */

class RolledBack extends Error {
  constructor(readonly result: unknown) {
    super("dry run");
  }
}

/**
 * Runs `work` in one transaction. `rollback(result)` ends a dry run: everything written is
 * undone and `result` is returned.
 */
export async function feedTransaction<R>(db: Db, work: (trx: Trx, rollback: (result: R) => never) => Promise<R>): Promise<R> {
  try {
    return await db.transaction().execute((trx) =>
      work(trx, (result) => {
        throw new RolledBack(result);
      }),
    );
  } catch (e) {
    if (e instanceof RolledBack) return e.result as R;
    throw e;
  }
}

export interface FeedRun {
  kind: string;
  /** The audit action, e.g. "dspt.import". */
  action: string;
  fileName: string;
  userId: number | null;
  actor: string | null;
  startedAt: Date;
  counts: object;
  /** Problems found in rows; the first 500 are kept with the run. */
  issues: unknown[];
  /** Practices whose data changed: re-checked now, the first 50 kept with the run. */
  practiceCodes: string[];
  /** The background job running the import, recorded on its run. */
  jobId?: number;
  /** Progress of the re-check (a job's progress bar). */
  onRecheck?: (p: { done: number; total: number }) => void;
  /**
   * False when the caller checks these practices itself straight after, in the same process
   * (the demo seed, whose full check of the ICB follows its feed imports). Default true.
   */
  recheck?: boolean;
}

/** Records a committed feed import and re-checks the practices it changed, in the caller's transaction. Returns the run's id. */
export async function recordFeedRun(trx: Trx, run: FeedRun): Promise<number> {
  const runId = await insertImportRun(trx, {
    kind: run.kind,
    fileName: run.fileName,
    userId: run.userId,
    actor: run.actor,
    counts: { ...run.counts, issues: run.issues.slice(0, 500), practiceCodes: run.practiceCodes.slice(0, 50) },
    startedAt: run.startedAt,
    jobId: run.jobId,
  });
  await recordAudit(trx, {
    userId: run.userId,
    actor: run.actor,
    action: run.action,
    entityType: "import_run",
    entityId: String(runId),
    after: { file_name: run.fileName, ...run.counts },
  });
  if (run.recheck !== false) await reevaluateAfterChange(trx, run.practiceCodes, run.userId, run.onRecheck);
  return runId;
}

/**
 * A feed's import runs, newest first, a page at a time, with their counts parsed. `userId`
 * limits them to one user's runs (a run's problems name rows of a file that user sent).
 */
export async function listFeedRuns<C>(db: Db, kind: string, opts: { page: number; pageSize?: number; userId?: number }) {
  const size = opts.pageSize ?? PAGE_SIZE;
  const { rows, total } = await listImportRuns(db, kind, { limit: size, offset: (opts.page - 1) * size, userId: opts.userId });
  const parsed = rows.map((r) => ({ ...r, counts: (typeof r.counts === "string" ? JSON.parse(r.counts) : r.counts) as C }));
  return toPage(parsed, total, opts.page, size);
}

/**
 * How a feed import ends: a dry run rolls back with its result (no run); a real run is recorded
 * (recordFeedRun), then `after` runs (in the same transaction: e.g. the job's stored upload is
 * deleted with the import it fed), and the run's id is returned in the result. `result` builds
 * the import's own result shape from the run's id, so the rolled-back and the committed answers
 * cannot differ otherwise.
 */
export async function endFeedImport<R>(
  trx: Trx,
  rollback: (result: R) => never,
  { dryRun, after, ...run }: FeedRun & { dryRun?: boolean; after?: (runId: number) => Promise<unknown> },
  result: (runId: number | null) => R,
): Promise<R> {
  if (dryRun) rollback(result(null));
  const runId = await recordFeedRun(trx, run);
  await after?.(runId);
  return result(runId);
}

/** What a feed import's caller (a page's check, a job, a script) tells it besides the file itself. */
export interface FeedImportOptions {
  fileName: string;
  userId: number | null;
  actor?: string | null;
  dryRun?: boolean;
  /** False when the caller re-checks the practices itself straight after (FeedRun.recheck). */
  recheck?: boolean;
  /** The background job running this import, recorded on its import run. */
  jobId?: number;
  onProgress?: (p: { phase: "checking" | "writing" | "rechecking"; done: number; total: number }) => void;
}

/** The fields of a feed's run (and endFeedImport's dryRun) that come straight from its caller's options. */
export function feedRunOptions(opts: FeedImportOptions, startedAt: Date) {
  return {
    fileName: opts.fileName,
    userId: opts.userId,
    actor: opts.actor ?? null,
    startedAt,
    jobId: opts.jobId,
    onRecheck: (p: { done: number; total: number }) => opts.onProgress?.({ phase: "rechecking", ...p }),
    recheck: opts.recheck,
    dryRun: opts.dryRun,
  };
}

/** A file a user stored for an import job to read (the upload table). */
export interface FeedUpload {
  id: string;
  userId: number;
}

/**
 * Claims the stored file a job imports, in the import's transaction, so that a file sent twice is
 * imported once (409 for the second). Returns endFeedImport's `after` step, which deletes the file
 * once its run is recorded; nothing to do without a stored file (a script's import).
 */
export async function claimFeedUpload(trx: Trx, upload: FeedUpload | undefined, kind: string) {
  if (!upload) return undefined;
  if (!(await claimUpload(trx, upload.id, upload.userId, kind))) {
    throw conflict("This file is already being imported, or has been imported already (it was sent twice). Nothing was imported twice.");
  }
  return () => deleteUpload(trx, upload.id, upload.userId);
}

/** The same record twice in one file: the later row wins, as a correction would. */
export function laterRowWins<T>(rows: T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r])).values()];
}

/** Counts from an upsert that returns only the rows it inserted or changed, out of `offered`. */
export function upsertCounts(written: { inserted: boolean }[], offered: number) {
  const created = written.filter((w) => w.inserted).length;
  return { created, updated: written.length - created, unchanged: offered - written.length };
}

/** How many rows of a file were rejected: rows with at least one problem (a row may have several). */
export function rejectedRows(issues: { row: number }[]): number {
  return new Set(issues.map((i) => i.row)).size;
}
