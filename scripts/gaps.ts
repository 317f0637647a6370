import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { UsageError } from "~/utils/cli";
import { GAPS_USAGE, runGapsCli } from "~/modules/gaps/cli.server";
import { getEnv } from "~/utils/env.server";

// `npm run -s gaps -- (--all | --icb CODE | --practice ODS) [--format csv|json]`: the gap register on stdout.
const out = (text: string) =>
  new Promise<void>((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once("drain", () => resolve())));
// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
const handle = createDbFromEnv(getEnv());
try {
  await migrateToLatest(handle.db);
  await runGapsCli(process.argv.slice(2), handle.db, { out, err: (t) => process.stderr.write(t) });
} catch (e) {
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(e instanceof Error ? e.message : e);
  if (usage) console.error(GAPS_USAGE);
  process.exitCode = usage ? 2 : 1;
} finally {
  await handle.db.destroy();
}
