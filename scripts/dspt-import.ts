/**
 * Imports a DSPT organisation status file (the NHSX snapshot layout: Code, Organisation Name,
 * Status, Date Of Publication, Primary Sector; see app/modules/dspt/parse.ts) with admin scope,
 * through the same checks and writes as the admin page.
 *
 *   npm run -s dspt:import -- [--dry-run] [--json] FILE
 *
 * --json prints exactly one JSON object on stdout: { rowsRead, created, unchanged, skippedNotGp,
 * skippedUnknown, rejected, practices, issues: [{ row, column, message }] }. Rows for
 * organisations that are not GP practices in the register are counted and skipped; rows with
 * problems are skipped and listed; the rest are imported in one transaction with the practices
 * re-checked. Exit code 1 when the file cannot be read or the import fails, 2 for bad arguments.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "#db/connect";
import { importDsptTable } from "~/modules/dspt/import.server";
import { AppError } from "~/utils/errors";
import { cliActor, fail, importMain, readImportFile, type CliFile, type Io } from "./cli-import";

const USAGE = "usage: npm run -s dspt:import -- [--dry-run] [--json] FILE";

export interface DsptCliArgs {
  file: string;
  dryRun: boolean;
  json: boolean;
}

export function parseDsptArgs(argv: string[]): DsptCliArgs {
  let dryRun = false;
  let json = false;
  const files: string[] = [];
  for (const a of argv) {
    if (a === "--dry-run") dryRun = true;
    else if (a === "--json") json = true;
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new Error(`give exactly one file\n${USAGE}`);
  return { file: files[0], dryRun, json };
}

export async function runDsptCli(db: Db, args: DsptCliArgs, io: Io, file?: CliFile): Promise<number> {
  const got = file ?? (await readImportFile(args, io));
  if (typeof got === "number") return got;
  const read = got.table;
  try {
    const r = await importDsptTable(db, {
      table: read,
      fileName: path.basename(args.file),
      userId: null,
      actor: cliActor(),
      dryRun: args.dryRun,
    });
    if (args.json) io.out(JSON.stringify({ ...r.counts, issues: r.issues }));
    else {
      const c = r.counts;
      const verb = args.dryRun ? "would be" : "were";
      io.out(`${args.file}: ${c.rowsRead} rows read${args.dryRun ? " (dry run: nothing written)" : ""}`);
      io.out(
        `  ${c.created} new statuses ${verb} added for ${c.practices} practices, ${c.unchanged} already held, ${c.skippedNotGp} rows not GP practices, ${c.skippedUnknown} GP codes not in the register, ${c.rejected} rows rejected`,
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await importMain(parseDsptArgs, runDsptCli);
