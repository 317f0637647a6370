/**
 * What every file-import command shares (estate:import, dspt:import): who did it, reading the
 * file under the upload limits before any database is opened, one JSON error object with
 * --json, and the main that opens the database, migrates and closes it whatever happens.
 * Exit codes: 1 when the file cannot be read or the import fails, 2 for bad arguments.
 */
import fs from "node:fs/promises";
import os from "node:os";
import { createDbFromEnv, type Db } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { parseUpload, UnreadableFileError, type ParsedTable } from "~/modules/devices/import/parse.server";
import { getEnv } from "~/utils/env.server";
import { LIMIT_MESSAGES, UPLOAD_LIMITS } from "~/utils/upload-limits";

export type Io = { out: (s: string) => void; err: (s: string) => void };

/** The arguments every import command has. */
export interface ImportArgs {
  file: string;
  json: boolean;
}

export interface CliFile {
  content: Uint8Array;
  table: ParsedTable;
}

/** Recorded as the import's actor: "command line (user@host)". */
export function cliActor(): string {
  let user = process.env.USER ?? "unknown";
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `command line (${user}@${os.hostname()})`;
}

/** Says why it failed (and, with --json, as the one JSON object on stdout); returns exit code 1. */
export function fail(io: Io, args: Pick<ImportArgs, "json">, message: string) {
  io.err(message);
  if (args.json) io.out(JSON.stringify({ error: message }));
  return 1;
}

/** Reads and parses the file under the upload limits (~/utils/upload-limits): the size is checked before it is read. */
export async function readImportFile(args: ImportArgs, io: Io): Promise<CliFile | number> {
  let content: Uint8Array;
  try {
    const { size } = await fs.stat(args.file);
    if (size > UPLOAD_LIMITS.fileBytes) return fail(io, args, `${args.file}: ${LIMIT_MESSAGES.fileBytes()}`);
    content = new Uint8Array(await fs.readFile(args.file));
  } catch (e) {
    return fail(io, args, `Cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return { content, table: await parseUpload(content) };
  } catch (e) {
    if (e instanceof UnreadableFileError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}

/**
 * The command's main: arguments (exit 2 on a bad one), the file (before the database, so a file
 * that cannot be read or passes a limit never opens it), then the import on a migrated database.
 */
export async function importMain<A extends ImportArgs>(
  parseArgs: (argv: string[]) => A,
  run: (db: Db, args: A, io: Io, file: CliFile) => Promise<number>,
) {
  let args: A;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  const io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) };
  const file = await readImportFile(args, io);
  if (typeof file === "number") {
    process.exitCode = file;
    return;
  }
  const handle = createDbFromEnv(getEnv());
  try {
    await migrateToLatest(handle.db);
    process.exitCode = await run(handle.db, args, io, file);
  } catch (e) {
    console.error("Import failed, nothing was written:", e instanceof Error ? e.message : e);
    if (args.json) console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
    process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}
