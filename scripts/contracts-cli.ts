/**
 * The supplier contracts import on the command line, with admin scope, through the same checks
 * and writes as the page (app/modules/contracts/import.server.ts). Run it through
 * `npm run -s feeds:import -- --kind contracts [--dry-run] [--json] FILE`. The file's date is
 * its modification date (in England).
 *
 * --json prints exactly one JSON object on stdout: { rowsRead, created, updated, unchanged,
 * rejected, fileDate, issues: [{ row, column, message }] }.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "#db/connect";
import { importContracts } from "~/modules/contracts/import.server";
import { todayInEngland } from "~/modules/telephony/contract";
import { AppError } from "~/utils/errors";
import { cliActor, fail, type CliFile, type Io } from "./cli-import";

export async function runContractsCli(
  db: Db,
  args: { file: string; dryRun: boolean; json: boolean },
  io: Io,
  file: CliFile,
): Promise<number> {
  const modified = await fs.stat(args.file).then(
    (s) => s.mtime,
    () => new Date(),
  );
  try {
    const r = await importContracts(db, {
      table: file.table,
      fileName: path.basename(args.file),
      fileDate: todayInEngland(modified),
      userId: null,
      scope: { all: true },
      actor: cliActor(),
      dryRun: args.dryRun,
    });
    if (args.json) io.out(JSON.stringify({ ...r.counts, issues: r.issues }));
    else {
      const c = r.counts;
      const verb = args.dryRun ? "would be" : "were";
      io.out(`${args.file} (dated ${c.fileDate}): ${c.rowsRead} rows read${args.dryRun ? " (dry run: nothing written)" : ""}`);
      io.out(
        `  ${c.created} new contracts and ${c.updated} changes ${verb} stored, ${c.unchanged} already held, ${c.rejected} rows rejected`,
      );
      for (const x of r.issues.slice(0, 20)) io.out(`  row ${x.row}, ${x.column}: ${x.message}`);
      if (r.issues.length > 20) io.out(`  … ${r.issues.length - 20} more problems (--json lists them all)`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AppError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}
