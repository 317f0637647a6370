/**
 * Imports an estate file into the configured database, through the same checks and writes as the
 * import page, with admin scope. Columns are matched by their headers.
 *
 *   npm run -s estate:import -- --kind devices [--dry-run] [--json] FILE
 *
 * --dry-run checks every row and writes nothing. --json prints exactly one JSON object on stdout:
 * { rowsRead, created, updated, unchanged, rejected: [{ row, column, message }] } (in a dry run the
 * counts are what would happen). Rejected rows are skipped; the rest are imported in one
 * transaction. Exit code 1 when the file cannot be read or the import fails, 2 for bad arguments.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createDbFromEnv, type Db } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { importDeviceFile, type ImportCounts } from "~/modules/devices/import/commit.server";
import { UnreadableFileError } from "~/modules/devices/import/parse.server";
import { todayAsOf } from "~/modules/devices/import/service.server";
import type { RowIssue } from "~/modules/devices/import/validate";
import { AppError } from "~/utils/errors";
import { getEnv } from "~/utils/env.server";

const KINDS = ["devices"] as const;
const USAGE = "usage: npm run estate:import -- --kind devices [--dry-run] [--json] FILE";

export interface CliArgs {
  kind: (typeof KINDS)[number];
  file: string;
  dryRun: boolean;
  json: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  let kind: string | undefined;
  let dryRun = false;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dry-run") dryRun = true;
    else if (a === "--json") json = true;
    else if (a === "--kind") kind = argv[++i];
    else if (a.startsWith("--kind=")) kind = a.slice("--kind=".length);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (!kind) throw new Error(`--kind is required\n${USAGE}`);
  if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--kind must be one of: ${KINDS.join(", ")}`);
  if (files.length !== 1) throw new Error(`give exactly one file\n${USAGE}`);
  return { kind: kind as CliArgs["kind"], file: files[0], dryRun, json };
}

export interface CliOutput extends Omit<ImportCounts, "rejected"> {
  rejected: RowIssue[];
}

/** Runs one import; `out` receives what goes to stdout, `err` progress and messages for people. */
export async function runCli(db: Db, args: CliArgs, io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  let content: Uint8Array;
  try {
    content = new Uint8Array(await fs.readFile(args.file));
  } catch (e) {
    return fail(io, args, `Cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const started = Date.now();
  try {
    const result = await importDeviceFile(db, {
      content,
      fileName: path.basename(args.file),
      userId: null,
      scope: { all: true },
      fixedPractice: null,
      asOf: todayAsOf(),
      dryRun: args.dryRun,
      onProgress: (p) => {
        if (!args.json && p.phase === "writing" && p.total > 0) io.err(`  written ${p.done.toLocaleString("en-GB")} of ${p.total.toLocaleString("en-GB")}`);
      },
    });
    const output: CliOutput = { ...result.counts, rejected: result.issues };
    if (args.json) io.out(JSON.stringify(output));
    else printSummary(io, args, output, result.counts.rejected, (Date.now() - started) / 1000);
    return 0;
  } catch (e) {
    if (e instanceof UnreadableFileError || e instanceof AppError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}

function fail(io: { out: (s: string) => void; err: (s: string) => void }, args: CliArgs, message: string) {
  io.err(message);
  if (args.json) io.out(JSON.stringify({ error: message }));
  return 1;
}

function printSummary(io: { out: (s: string) => void }, args: CliArgs, o: CliOutput, rejectedRows: number, seconds: number) {
  const n = (v: number) => v.toLocaleString("en-GB");
  const verb = args.dryRun ? "would be" : "were";
  io.out(`${args.file}: ${n(o.rowsRead)} rows read in ${seconds.toFixed(1)} s${args.dryRun ? " (dry run: nothing written)" : ""}`);
  io.out(`  ${n(o.created)} new devices ${verb} added, ${n(o.updated)} ${verb} updated, ${n(o.unchanged)} unchanged, ${n(rejectedRows)} rows rejected`);
  for (const x of o.rejected.slice(0, 20)) io.out(`  row ${x.row}, ${x.column}: ${x.message}`);
  if (o.rejected.length > 20) io.out(`  … ${n(o.rejected.length - 20)} more problems (--json lists them all)`);
}

async function main() {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) };
  // An unreadable file fails before the database is opened.
  try {
    await fs.access(args.file, fs.constants.R_OK);
  } catch (e) {
    process.exitCode = fail(io, args, `Cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return;
  }
  const handle = createDbFromEnv(getEnv());
  try {
    await migrateToLatest(handle.db);
    process.exitCode = await runCli(handle.db, args, io);
  } catch (e) {
    console.error("Import failed, nothing was written:", e instanceof Error ? e.message : e);
    if (args.json) console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
    process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
