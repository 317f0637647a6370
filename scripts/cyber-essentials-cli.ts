/**
 * The Cyber Essentials certificate import on the command line, with admin scope, through the
 * same checks and writes as the page (app/modules/cyber-essentials/import.server.ts). Run it
 * through `npm run -s feeds:import -- --kind cyber-essentials [--dry-run] [--json] FILE`.
 *
 * --json prints exactly one JSON object on stdout: { rowsRead, created, updated, unchanged,
 * rejected, practices, issues: [{ row, column, message }] }.
 */
import path from "node:path";
import type { Db } from "#db/connect";
import { importCertificates } from "~/modules/cyber-essentials/import.server";
import { AppError } from "~/utils/errors";
import { cliActor, fail, type CliFile, type Io } from "./cli-import";

export async function runCyberEssentialsCli(
  db: Db,
  args: { file: string; dryRun: boolean; json: boolean },
  io: Io,
  file: CliFile,
): Promise<number> {
  try {
    const r = await importCertificates(db, {
      table: file.table,
      fileName: path.basename(args.file),
      userId: null,
      scope: { all: true },
      actor: cliActor(),
      dryRun: args.dryRun,
    });
    if (args.json) io.out(JSON.stringify({ ...r.counts, issues: r.issues }));
    else {
      const c = r.counts;
      const verb = args.dryRun ? "would be" : "were";
      io.out(`${args.file}: ${c.rowsRead} rows read${args.dryRun ? " (dry run: nothing written)" : ""}`);
      io.out(
        `  ${c.created} new certificates and ${c.updated} corrections ${verb} stored for ${c.practices} practices, ${c.unchanged} already held, ${c.rejected} rows rejected`,
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
