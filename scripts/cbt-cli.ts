/**
 * The CBT import on the command line (`npm run -s feeds:import -- --kind cbt [--dry-run] [--json]
 * FILE`): FILE is NHS England's practice-level zip or one of its CSVs. Read as a stream, not under
 * the upload limits (national files run to millions of rows); memory stays bounded by practices
 * × months (app/modules/cbt/aggregate.server.ts).
 *
 * --json prints one JSON object: { rowsRead, unassignedRows, rejectedRows, months, created,
 * updated, unchanged, skippedUnknown, practices, issues: [{ file, row, column, message }] }.
 */
import path from "node:path";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { aggregateCbtPath } from "~/modules/cbt/aggregate.server";
import { importCbt } from "~/modules/cbt/import.server";
import type { Db } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { UnreadableFileError } from "~/utils/upload-limits";
import { cliActor, fail, type Io } from "./cli-import";

export async function runCbtCli(db: Db, args: { file: string; dryRun: boolean; json: boolean }, io: Io): Promise<number> {
  let aggregate;
  try {
    aggregate = await aggregateCbtPath(args.file, path.basename(args.file));
  } catch (e) {
    if (e instanceof UnreadableFileError) return fail(io, args, `${args.file}: ${e.message}`);
    if (e instanceof Error && "code" in e && (e as NodeJS.ErrnoException).code === "ENOENT")
      return fail(io, args, `Cannot read ${args.file}: ENOENT`);
    throw e;
  }
  const r = await importCbt(db, { aggregate, fileName: path.basename(args.file), userId: null, actor: cliActor(), dryRun: args.dryRun });
  if (args.json) io.out(JSON.stringify({ ...r.counts, issues: r.problems }));
  else {
    const c = r.counts;
    const verb = args.dryRun ? "would be" : "were";
    io.out(
      `${args.file}: ${c.rowsRead} rows read for ${c.months.join(", ") || "no month"}${args.dryRun ? " (dry run: nothing written)" : ""}`,
    );
    io.out(
      `  ${c.created} practice-months ${verb} added and ${c.updated} updated, ${c.unchanged} already held; ${c.unassignedRows} rows for shared (Unassigned) accounts, ${c.skippedUnknown} codes not in the register, ${c.rejectedRows} rows rejected; ${c.practices} practices re-checked`,
    );
    for (const x of r.problems.slice(0, 20)) io.out(`  ${x.file} row ${x.row}, ${x.column}: ${x.message}`);
  }
  return 0;
}

/** Its own main: the file is streamed, so it is not read up front under the upload limits as the other kinds are. */
export async function cbtMain(args: { file: string; dryRun: boolean; json: boolean }) {
  const io: Io = { out: (s) => console.log(s), err: (s) => console.error(s) };
  const handle = createDbFromEnv(getEnv());
  try {
    await migrateToLatest(handle.db);
    process.exitCode = await runCbtCli(handle.db, args, io);
  } catch (e) {
    console.error("Import failed, nothing was written:", e instanceof Error ? e.message : e);
    if (args.json) console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
    process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}
