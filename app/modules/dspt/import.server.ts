import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { createUpload, deleteStaleUploads } from "~/modules/devices/import/repository.server";
import {
  feedTransaction,
  laterRowWins,
  listFeedRuns,
  claimFeedUpload,
  endFeedImport,
  feedRunOptions,
  rejectedRows,
} from "~/modules/feeds/import-run.server";
import { badRequest } from "~/utils/errors";
import { isGpSector, validateRows, type DsptRow, type RowIssue } from "./parse";
import { randomUUID } from "node:crypto";
import { parseUpload, UnreadableFileError, type ParsedTable } from "~/modules/devices/import/parse.server";
import { uploadEvent } from "~/modules/devices/import/service.server";
import { insertStatuses, knownPracticeCodes } from "./repository.server";

export const KIND = "dspt";

export interface DsptImportCounts {
  rowsRead: number;
  /** New statuses stored (a status already held for the practice, text and date alike, is unchanged). */
  created: number;
  unchanged: number;
  /** Rows whose Primary Sector is not GP (trusts, social care, …): not practices, not errors. */
  skippedNotGp: number;
  /** GP rows whose code is not a practice in the register: not errors either. */
  skippedUnknown: number;
  rejected: number;
  /** Practices whose history gained a status, and so were re-checked. */
  practices: number;
}

export interface DsptImportResult {
  runId: number | null;
  counts: DsptImportCounts;
  issues: RowIssue[];
}

const key = (r: DsptRow) => `${r.practiceCode}|${r.cycle ?? ""}|${r.status}|${r.publishedOn ?? ""}`;

/**
 * Imports a DSPT status file in one transaction: rows are validated first (each problem named
 * with its row and column, and the row skipped), rows for organisations that are not GP
 * practices in the register are counted and skipped, new statuses are added to each practice's
 * history (an identical status is left as it is, so a second import creates nothing), and the
 * practices that gained a status are re-checked in the same transaction, so SEC-01 commits with
 * the data it was judged on, as estate changes do (estate/reevaluate.server.ts). A dry run does
 * all of this except the re-check and rolls back.
 */
export async function importDsptTable(
  db: Db,
  opts: {
    table: ParsedTable;
    fileName: string;
    userId: number | null;
    actor?: string | null;
    dryRun?: boolean;
    /** The stored upload this file came from: claimed by the transaction and deleted by it, so it is imported once. */
    upload?: { id: string; userId: number };
    /** The background job running this import, recorded on its import run. */
    jobId?: number;
    onProgress?: (p: { phase: "checking" | "writing" | "rechecking"; done: number; total: number }) => void;
    /** False when the caller re-checks the practices itself straight after (feeds/import-run.server.ts). */
    recheck?: boolean;
  },
): Promise<DsptImportResult> {
  const started = new Date();
  const { rows, issues } = checkDsptColumns(opts.table);
  const gpRows = rows.filter((r) => isGpSector(r.sector));
  const skippedNotGp = rows.length - gpRows.length;
  return feedTransaction<DsptImportResult>(db, async (trx, rollback) => {
    const dropUpload = await claimFeedUpload(trx, opts.upload, KIND);
    opts.onProgress?.({ phase: "writing", done: 0, total: gpRows.length });
    const codes = [...new Set(gpRows.map((r) => r.practiceCode))];
    const known = await knownPracticeCodes(trx, codes);
    const mine = gpRows.filter((r) => known.has(r.practiceCode));
    // A file listing the same status twice stores it once.
    const unique = laterRowWins(mine, key);
    const inserted = await insertStatuses(trx, unique, { fileName: opts.fileName, userId: opts.userId, actor: opts.actor ?? null });
    const changed = [...new Set(inserted.map((r) => r.practice_code))].sort();
    const counts: DsptImportCounts = {
      rowsRead: opts.table.rows.length,
      created: inserted.length,
      unchanged: mine.length - inserted.length,
      skippedNotGp,
      skippedUnknown: gpRows.length - mine.length,
      rejected: rejectedRows(issues),
      practices: changed.length,
    };
    opts.onProgress?.({ phase: "writing", done: gpRows.length, total: gpRows.length });
    return endFeedImport(
      trx,
      rollback,
      {
        kind: KIND,
        action: "dspt.import",
        ...feedRunOptions(opts, started),
        counts,
        issues,
        practiceCodes: changed,
        after: dropUpload,
      },
      (runId) => ({ runId, counts, issues }),
    );
  });
}

/**
 * The file's rows checked one by one; refused as a whole (400) when it lacks a column a DSPT
 * status file has. The upload page calls this before storing a file, so a wrong file is told at once.
 */
export function checkDsptColumns(table: ParsedTable) {
  const { rows, issues, missing } = validateRows(table);
  if (missing.length) {
    throw badRequest(
      `The file has no ${missing.map((m) => ({ code: "Code", status: "Status", published: "Date Of Publication", name: "Organisation Name", sector: "Primary Sector" })[m]).join(", ")} column. A DSPT status file has the columns Code, Organisation Name, Status, Date Of Publication and Primary Sector.`,
    );
  }
  return { rows, issues };
}

/**
 * Stores a DSPT status file for its import job, once it has been read and has the columns a
 * status file has (a wrong file is refused here, at once, with a 400). Returns the upload's id.
 */
export async function storeDsptUpload(db: Db, opts: { userId: number; fileName: string; content: Uint8Array }) {
  let table: ParsedTable;
  try {
    table = await parseUpload(opts.content);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw badRequest(e.message);
    throw e;
  }
  if (table.rows.length === 0) throw badRequest("The file has a header row but no rows of organisations.");
  checkDsptColumns(table);
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
    await recordAudit(trx, uploadEvent(id, KIND, { ...opts, practiceCode: null }, table));
  });
  return id;
}

/** DSPT imports, newest first, a page at a time (the feeds' shared run list). */
export function listDsptImports(db: Db, page: number) {
  return listFeedRuns<DsptImportCounts>(db, KIND, { page });
}
