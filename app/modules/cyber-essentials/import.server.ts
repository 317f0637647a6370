import { randomUUID } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { parseUpload, UnreadableFileError, type ParsedTable } from "~/modules/devices/import/parse.server";
import { createUpload, deleteStaleUploads } from "~/modules/devices/import/repository.server";
import { uploadEvent } from "~/modules/devices/import/service.server";
import {
  feedTransaction,
  laterRowWins,
  claimFeedUpload,
  endFeedImport,
  feedRunOptions,
  rejectedRows,
  upsertCounts,
} from "~/modules/feeds/import-run.server";
import { badRequest } from "~/utils/errors";
import { scopeCoversPractice, type Scope } from "~/utils/permissions";
import { COLUMN_TITLES, validateRows, type RowIssue } from "./parse";
import { findPractices, KIND, upsertCertificates } from "./repository.server";

export interface CeImportCounts {
  rowsRead: number;
  created: number;
  /** Certificates already held whose body or dates the file corrected. */
  updated: number;
  unchanged: number;
  rejected: number;
  /** Practices whose certificates changed, and so were re-checked. */
  practices: number;
}

export interface CeImportResult {
  runId: number | null;
  counts: CeImportCounts;
  issues: RowIssue[];
}

/**
 * Imports a certificate file in one transaction. Every row is checked first (parse.ts), then
 * against the register and the importer's scope: a code that is not a practice here, or a
 * practice outside the importer's ICBs, is a problem on that row, not a silent skip, because the
 * file is the ICB's own list. Valid rows are added or corrected, the practices whose
 * certificates changed are re-checked in the same transaction (SEC-05 commits with the data it
 * was judged on), and one import run and one audit event record it. A dry run rolls back after
 * counting.
 */
export async function importCertificates(
  db: Db,
  opts: {
    table: ParsedTable;
    fileName: string;
    userId: number | null;
    scope: Scope;
    actor?: string | null;
    dryRun?: boolean;
    recheck?: boolean;
    /** The stored upload this file came from: claimed by the transaction and deleted by it, so it is imported once. */
    upload?: { id: string; userId: number };
    /** The background job running this import, recorded on its import run. */
    jobId?: number;
    onProgress?: (p: { phase: "checking" | "writing" | "rechecking"; done: number; total: number }) => void;
  },
): Promise<CeImportResult> {
  const started = new Date();
  const { rows, issues } = checkCeColumns(opts.table);
  return feedTransaction<CeImportResult>(db, async (trx, rollback) => {
    const dropUpload = await claimFeedUpload(trx, opts.upload, KIND);
    opts.onProgress?.({ phase: "writing", done: 0, total: rows.length });
    const practices = new Map((await findPractices(trx, [...new Set(rows.map((r) => r.practiceCode))])).map((p) => [p.ods_code, p]));
    const accepted = rows.filter((r) => {
      const p = practices.get(r.practiceCode);
      const message = !p
        ? `${r.practiceCode} is not a GP practice in the register`
        : !scopeCoversPractice(opts.scope, p)
          ? `${r.practiceCode} is not a practice you can update`
          : null;
      if (message) issues.push({ row: r.row, column: COLUMN_TITLES.code, message });
      return !message;
    });
    issues.sort((a, b) => a.row - b.row);
    const unique = laterRowWins(accepted, (r) => `${r.practiceCode}|${r.level}|${r.certificateNumber}`);
    const written = await upsertCertificates(trx, unique, { fileName: opts.fileName, userId: opts.userId, actor: opts.actor ?? null });
    const changed = [...new Set(written.map((w) => w.practice_code))].sort();
    const counts: CeImportCounts = {
      rowsRead: opts.table.rows.length,
      ...upsertCounts(written, unique.length),
      rejected: rejectedRows(issues),
      practices: changed.length,
    };
    return endFeedImport(
      trx,
      rollback,
      {
        kind: KIND,
        action: "cyber_essentials.import",
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
 * The file's rows checked one by one; refused as a whole (400) when it lacks a column a
 * certificate file has. The page calls this before storing a file, so a wrong file is told at once.
 */
export function checkCeColumns(table: ParsedTable) {
  const { rows, issues, missing } = validateRows(table);
  if (missing.length) {
    throw badRequest(
      `The file has no ${missing.map((m) => COLUMN_TITLES[m]).join(", ")} column. A Cyber Essentials certificate file has the columns ODS code, Level, Certificate number and Issue date, and may add Organisation name, Certification body and Expiry date.`,
    );
  }
  return { rows, issues };
}

/**
 * Stores an uploaded certificate file for its import job (as the DSPT page does): unreadable
 * files, files with no rows and files without the certificate columns are refused here, beside
 * the upload field, before anything is queued.
 */
export async function storeCeUpload(db: Db, opts: { userId: number; fileName: string; content: Uint8Array }) {
  let table: ParsedTable;
  try {
    table = await parseUpload(opts.content);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw badRequest(e.message);
    throw e;
  }
  checkCeColumns(table);
  if (table.rows.length === 0) throw badRequest("The file has a header row but no certificates.");
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
