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
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createDbFromEnv, type Db } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { importDsptTable } from "~/modules/dspt/import.server";
import { parseUpload, UnreadableFileError, type ParsedTable } from "~/modules/devices/import/parse.server";
import { AppError } from "~/utils/errors";
import { getEnv } from "~/utils/env.server";
import { LIMIT_MESSAGES, UPLOAD_LIMITS } from "~/utils/upload-limits";
import { cliActor } from "./estate-import";

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

type Io = { out: (s: string) => void; err: (s: string) => void };

function fail(io: Io, args: DsptCliArgs, message: string) {
  io.err(message);
  if (args.json) io.out(JSON.stringify({ error: message }));
  return 1;
}

/** Reads and parses the file under the upload limits (~/utils/upload-limits) before any database is opened. */
export async function readDsptFile(args: DsptCliArgs, io: Io): Promise<ParsedTable | number> {
  let content: Uint8Array;
  try {
    const { size } = await fs.stat(args.file);
    if (size > UPLOAD_LIMITS.fileBytes) return fail(io, args, `${args.file}: ${LIMIT_MESSAGES.fileBytes()}`);
    content = new Uint8Array(await fs.readFile(args.file));
  } catch (e) {
    return fail(io, args, `Cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return await parseUpload(content);
  } catch (e) {
    if (e instanceof UnreadableFileError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}

export async function runDsptCli(db: Db, args: DsptCliArgs, io: Io, table?: ParsedTable): Promise<number> {
  const read = table ?? (await readDsptFile(args, io));
  if (typeof read === "number") return read;
  try {
    const r = await importDsptTable(db, { table: read, fileName: path.basename(args.file), userId: null, actor: cliActor(), dryRun: args.dryRun });
    if (args.json) io.out(JSON.stringify({ ...r.counts, issues: r.issues }));
    else {
      const c = r.counts;
      const verb = args.dryRun ? "would be" : "were";
      io.out(`${args.file}: ${c.rowsRead} rows read${args.dryRun ? " (dry run: nothing written)" : ""}`);
      io.out(`  ${c.created} new statuses ${verb} added for ${c.practices} practices, ${c.unchanged} already held, ${c.skippedNotGp} rows not GP practices, ${c.skippedUnknown} GP codes not in the register, ${c.rejected} rows rejected`);
      for (const x of r.issues.slice(0, 20)) io.out(`  row ${x.row}, ${x.column}: ${x.message}`);
      if (r.issues.length > 20) io.out(`  … ${r.issues.length - 20} more problems (--json lists them all)`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AppError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}

async function main() {
  let args: DsptCliArgs;
  try {
    args = parseDsptArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) };
  const table = await readDsptFile(args, io);
  if (typeof table === "number") {
    process.exitCode = table;
    return;
  }
  const handle = createDbFromEnv(getEnv());
  try {
    await migrateToLatest(handle.db);
    process.exitCode = await runDsptCli(handle.db, args, io, table);
  } catch (e) {
    console.error("Import failed, nothing was written:", e instanceof Error ? e.message : e);
    if (args.json) console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
    process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
