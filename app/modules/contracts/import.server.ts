import type { Db } from "#db/connect";
import type { ParsedTable } from "~/modules/devices/import/parse.server";
import { endFeedImport, feedTransaction, laterRowWins, rejectedRows, upsertCounts } from "~/modules/feeds/import-run.server";
import { badRequest } from "~/utils/errors";
import { scopeCoversIcb, scopeCoversPractice, type Scope } from "~/utils/permissions";
import { COLUMN_TITLES, validateRows, type RowIssue } from "./parse";
import { findIcbs, findPractices, KIND, upsertContracts } from "./repository.server";

export interface ContractImportCounts {
  rowsRead: number;
  created: number;
  /** Contracts already held (same holder, supplier and reference) whose facts the file changed. */
  updated: number;
  unchanged: number;
  rejected: number;
  /** The date of the file (the register's "as at" date), as given with the upload. */
  fileDate: string;
}

export interface ContractImportResult {
  runId: number | null;
  counts: ContractImportCounts;
  issues: RowIssue[];
}

/**
 * Imports a supplier contracts file in one transaction. Every row is checked with the form's
 * rules (parse.ts), then against the register and the importer's scope ("contract:manage"): a
 * code that is neither a practice nor an ICB here, or one outside the importer's scope, is a
 * problem on its row. Valid rows are added or updated by their natural key (holder, supplier,
 * reference), so a second run of the same file changes nothing; one import run and one audit
 * event record it, with the file's date. Contracts feed no compliance rule, so nothing is
 * re-checked. A dry run rolls back after counting.
 */
export async function importContracts(
  db: Db,
  opts: {
    table: ParsedTable;
    fileName: string;
    fileDate: string;
    userId: number | null;
    scope: Scope;
    actor?: string | null;
    dryRun?: boolean;
  },
): Promise<ContractImportResult> {
  const started = new Date();
  const { rows, issues, missing } = validateRows(opts.table);
  if (missing.length) {
    throw badRequest(
      `The file has no ${missing.map((m) => COLUMN_TITLES[m]).join(", ")} column. A contracts file has the columns ODS code, Supplier, Category, Start date, End date, Annual cost (£ ex VAT), Paid by and Contract reference, and may add Product or service, Framework and Notice period (months).`,
    );
  }
  return feedTransaction<ContractImportResult>(db, async (trx, rollback) => {
    const codes = [...new Set(rows.map((r) => r.holderCode))];
    const practices = new Map((await findPractices(trx, codes)).map((p) => [p.ods_code, p]));
    const icbs = await findIcbs(
      trx,
      codes.filter((c) => !practices.has(c)),
    );
    const accepted = [];
    for (const r of rows) {
      const p = practices.get(r.holderCode);
      const isIcb = !p && icbs.has(r.holderCode);
      const message =
        !p && !isIcb
          ? `${r.holderCode} is not a GP practice or ICB in the register`
          : p
            ? scopeCoversPractice(opts.scope, p)
              ? null
              : `${r.holderCode} is not a practice whose contracts you can change`
            : scopeCoversIcb(opts.scope, r.holderCode)
              ? null
              : `${r.holderCode} is not an ICB whose contracts you can change`;
      if (message) issues.push({ row: r.row, column: COLUMN_TITLES.ods_code, message });
      else accepted.push({ ...r, practiceCode: p ? r.holderCode : null, icbCode: p ? null : r.holderCode });
    }
    issues.sort((a, b) => a.row - b.row);
    const unique = laterRowWins(accepted, (r) => `${r.holderCode}|${r.supplier.toLowerCase()}|${r.reference.toLowerCase()}`);
    const written = await upsertContracts(trx, unique, { fileName: opts.fileName, fileDate: opts.fileDate });
    const counts: ContractImportCounts = {
      rowsRead: opts.table.rows.length,
      ...upsertCounts(written, unique.length),
      rejected: rejectedRows(issues),
      fileDate: opts.fileDate,
    };
    return endFeedImport(
      trx,
      rollback,
      {
        kind: KIND,
        action: "contracts.import",
        fileName: opts.fileName,
        userId: opts.userId,
        actor: opts.actor ?? null,
        startedAt: started,
        counts,
        issues,
        practiceCodes: [],
        dryRun: opts.dryRun,
      },
      (runId) => ({ runId, counts, issues }),
    );
  });
}
