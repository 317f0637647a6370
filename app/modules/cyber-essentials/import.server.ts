import type { Db } from "#db/connect";
import type { ParsedTable } from "~/modules/devices/import/parse.server";
import { feedTransaction, recordFeedRun } from "~/modules/feeds/import-run.server";
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
  },
): Promise<CeImportResult> {
  const started = new Date();
  const { rows, issues, missing } = validateRows(opts.table);
  if (missing.length) {
    throw badRequest(
      `The file has no ${missing.map((m) => COLUMN_TITLES[m]).join(", ")} column. A Cyber Essentials certificate file has the columns ODS code, Level, Certificate number and Issue date, and may add Organisation name, Certification body and Expiry date.`,
    );
  }
  return feedTransaction<CeImportResult>(db, async (trx, rollback) => {
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
    // The same certificate twice in one file: the later row wins, as a correction would.
    const unique = [...new Map(accepted.map((r) => [`${r.practiceCode}|${r.level}|${r.certificateNumber}`, r])).values()];
    const written = await upsertCertificates(trx, unique, { fileName: opts.fileName, userId: opts.userId, actor: opts.actor ?? null });
    const changed = [...new Set(written.map((w) => w.practice_code))].sort();
    const created = written.filter((w) => w.inserted).length;
    const counts: CeImportCounts = {
      rowsRead: opts.table.rows.length,
      created,
      updated: written.length - created,
      unchanged: unique.length - written.length,
      rejected: new Set(issues.map((i) => i.row)).size,
      practices: changed.length,
    };
    if (opts.dryRun) rollback({ runId: null, counts, issues });
    const runId = await recordFeedRun(trx, {
      kind: KIND,
      action: "cyber_essentials.import",
      fileName: opts.fileName,
      userId: opts.userId,
      actor: opts.actor ?? null,
      startedAt: started,
      counts,
      issues,
      practiceCodes: changed,
      recheck: opts.recheck,
    });
    return { runId, counts, issues };
  });
}
