import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { insertImportRun } from "~/modules/devices/import/repository.server";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
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

class DryRunDone extends Error {
  constructor(readonly result: CbtImportResult) {
    super("dry run");
  }
}

/**
 * Stores a CBT file's practice-month sums (aggregate.server.ts) in one transaction with one
 * import run and one audit event, and re-checks TEL-10 in it: for the practices whose months
 * changed, and, when the file brings a month not seen before, for every practice on cloud
 * telephony (a practice missing from the new month is judged by its absence). Rows with
 * problems are listed and left out; a dry run counts and rolls back.
 */
export async function importCbt(
  db: Db,
  opts: { aggregate: CbtAggregate; fileName: string; userId: number | null; actor?: string | null; dryRun?: boolean },
): Promise<CbtImportResult> {
  const started = new Date();
  const a = opts.aggregate;
  try {
    return await db.transaction().execute(async (trx) => {
      const codes = [...new Set(a.rows.map((r) => r.practiceCode))];
      const known = await knownPractices(trx, codes);
      const rows = a.rows.filter((r) => known.has(r.practiceCode));
      const written = await upsertMonths(trx, rows, opts.fileName);
      const newMonths = await recordPublications(trx, [...new Set(rows.map((r) => r.month))].sort(), opts.fileName);
      const changed = new Set(written.map((w) => w.practice_code));
      if (newMonths.length) for (const c of await cloudPractices(trx)) changed.add(c);
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
      if (opts.dryRun) throw new DryRunDone({ runId: null, counts, problems: a.problems });
      const runId = await insertImportRun(trx, {
        kind: KIND,
        fileName: opts.fileName,
        userId: opts.userId,
        actor: opts.actor ?? null,
        counts: { ...counts, issues: a.problems.slice(0, 500) },
        startedAt: started,
      });
      await recordAudit(trx, {
        userId: opts.userId,
        actor: opts.actor ?? null,
        action: "cbt.import",
        entityType: "import_run",
        entityId: String(runId),
        after: { file_name: opts.fileName, ...counts },
      });
      await reevaluateAfterChange(trx, [...changed].sort(), opts.userId);
      return { runId, counts, problems: a.problems };
    });
  } catch (e) {
    if (e instanceof DryRunDone) return e.result;
    throw e;
  }
}
