import { randomUUID } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { createUpload, deleteStaleUploads } from "~/modules/devices/import/repository.server";
import { feedTransaction, claimFeedUpload, endFeedImport, feedRunOptions, upsertCounts } from "~/modules/feeds/import-run.server";
import { badRequest } from "~/utils/errors";
import { UnreadableFileError } from "~/utils/upload-limits";
import { aggregateCbtFile, PAGE_LIMITS, type CbtAggregate, type CbtProblem } from "./aggregate.server";
import { cloudPractices, KIND, knownPractices, recordPublications, upsertMonths } from "./repository.server";

export interface CbtImportCounts {
  rowsRead: number;
  /** Rows for "Unassigned" (a phone account shared by several practices): not given to any one practice. */
  unassignedRows: number;
  rejectedRows: number;
  months: string[];
  /** Practice-months added, updated, or already held as they are. */
  created: number;
  updated: number;
  unchanged: number;
  /** Practice codes in the file that are not practices in the register (closed, or not in England). */
  skippedUnknown: number;
  /** Practices re-checked (TEL-10). */
  practices: number;
}

export interface CbtImportResult {
  runId: number | null;
  counts: CbtImportCounts;
  problems: CbtProblem[];
}

/**
 * Stores a CBT file's practice-month sums (aggregate.server.ts) in one transaction with one
 * import run and one audit event, and re-checks TEL-10 in it: for the practices whose months
 * changed, and, when the file brings a month not seen before for a region, for every practice on
 * cloud telephony in that region (one missing from the month is judged by its absence). Rows with
 * problems are listed and left out; a dry run counts and rolls back.
 */
export async function importCbt(
  db: Db,
  opts: {
    aggregate: CbtAggregate;
    fileName: string;
    userId: number | null;
    actor?: string | null;
    dryRun?: boolean;
    recheck?: boolean;
    /** The stored upload this file came from: claimed by the transaction and deleted by it, so it is imported once. */
    upload?: { id: string; userId: number };
    /** The background job running this import, recorded on its import run. */
    jobId?: number;
    onProgress?: (p: { phase: "checking" | "writing" | "rechecking"; done: number; total: number }) => void;
  },
): Promise<CbtImportResult> {
  const started = new Date();
  const a = opts.aggregate;
  return feedTransaction<CbtImportResult>(db, async (trx, rollback) => {
    const dropUpload = await claimFeedUpload(trx, opts.upload, KIND);
    opts.onProgress?.({ phase: "writing", done: 0, total: a.rows.length });
    const codes = [...new Set(a.rows.map((r) => r.practiceCode))];
    const known = await knownPractices(trx, codes);
    const rows = a.rows.filter((r) => known.has(r.practiceCode));
    const written = await upsertMonths(trx, rows, opts.fileName);
    const newlyCovered = await recordPublications(trx, [...new Set(rows.map((r) => r.month))].sort(), opts.fileName);
    const changed = new Set(written.map((w) => w.practice_code));
    for (const c of await cloudPractices(trx, [...new Set(newlyCovered.map((x) => x.region_code))])) changed.add(c);
    const counts: CbtImportCounts = {
      rowsRead: a.rowsRead,
      unassignedRows: a.unassignedRows,
      rejectedRows: a.rejectedRows,
      months: a.months,
      ...upsertCounts(written, rows.length),
      skippedUnknown: codes.length - known.size,
      practices: changed.size,
    };
    return endFeedImport(
      trx,
      rollback,
      {
        kind: KIND,
        action: "cbt.import",
        ...feedRunOptions(opts, started),
        counts,
        issues: a.problems,
        practiceCodes: [...changed].sort(),
        after: dropUpload,
      },
      (runId) => ({ runId, counts, problems: a.problems }),
    );
  });
}

/**
 * Stores an uploaded CBT file (a region's CSV or a zip of them) for its import job, as the DSPT
 * page does: the file is read through once under the page's limits first, so one that cannot be
 * read, or is not a CBT practice-level file, is refused beside the upload field before anything
 * is queued. The job reads it again (the same code) when it runs.
 */
export async function storeCbtUpload(db: Db, opts: { userId: number; fileName: string; content: Uint8Array }) {
  let a: CbtAggregate;
  try {
    a = await aggregateCbtFile(opts.fileName, opts.content, PAGE_LIMITS);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw badRequest(e.message);
    throw e;
  }
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await deleteStaleUploads(trx, opts.userId);
    await createUpload(trx, {
      id,
      userId: opts.userId,
      kind: KIND,
      fileName: opts.fileName,
      content: opts.content,
      practiceCode: null,
      mapping: [],
    });
    // Who sent which file, its size and rows (the content itself is not copied), as for other uploads.
    await recordAudit(trx, {
      userId: opts.userId,
      action: "import_upload.create",
      entityType: "import_upload",
      entityId: id,
      after: { kind: KIND, file_name: opts.fileName, bytes: opts.content.length, rows: a.rowsRead, months: a.months, practice_code: null },
    });
  });
  return id;
}
