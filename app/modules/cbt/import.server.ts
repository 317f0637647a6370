import type { Db } from "#db/connect";
import { feedTransaction, recordFeedRun } from "~/modules/feeds/import-run.server";
import type { CbtAggregate, CbtProblem } from "./aggregate.server";
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
  opts: { aggregate: CbtAggregate; fileName: string; userId: number | null; actor?: string | null; dryRun?: boolean; recheck?: boolean },
): Promise<CbtImportResult> {
  const started = new Date();
  const a = opts.aggregate;
  return feedTransaction<CbtImportResult>(db, async (trx, rollback) => {
    const codes = [...new Set(a.rows.map((r) => r.practiceCode))];
    const known = await knownPractices(trx, codes);
    const rows = a.rows.filter((r) => known.has(r.practiceCode));
    const written = await upsertMonths(trx, rows, opts.fileName);
    const newlyCovered = await recordPublications(trx, [...new Set(rows.map((r) => r.month))].sort(), opts.fileName);
    const changed = new Set(written.map((w) => w.practice_code));
    for (const c of await cloudPractices(trx, [...new Set(newlyCovered.map((x) => x.region_code))])) changed.add(c);
    const created = written.filter((w) => w.inserted).length;
    const counts: CbtImportCounts = {
      rowsRead: a.rowsRead,
      unassignedRows: a.unassignedRows,
      rejectedRows: a.rejectedRows,
      months: a.months,
      created,
      updated: written.length - created,
      unchanged: rows.length - written.length,
      skippedUnknown: codes.length - known.size,
      practices: changed.size,
    };
    if (opts.dryRun) rollback({ runId: null, counts, problems: a.problems });
    const runId = await recordFeedRun(trx, {
      kind: KIND,
      action: "cbt.import",
      fileName: opts.fileName,
      userId: opts.userId,
      actor: opts.actor ?? null,
      startedAt: started,
      counts,
      issues: a.problems,
      practiceCodes: [...changed].sort(),
      recheck: opts.recheck,
    });
    return { runId, counts, problems: a.problems };
  });
}
