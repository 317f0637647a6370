import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { runEvaluateCli } from "~/modules/compliance/cli.server";
import { UsageError } from "~/utils/cli";
import { getEnv } from "~/utils/env.server";

// `npm run evaluate -- (--all | --icb CODE | --practice ODS) [--as-of YYYY-MM-DD] [--json]`
const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
const handle = createDbFromEnv(getEnv());
try {
  await migrateToLatest(handle.db);
  await runEvaluateCli(process.argv.slice(2), handle.db, io);
} catch (e) {
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(e instanceof Error ? e.message : e);
  if (usage) console.error("Usage: npm run evaluate -- (--all | --icb CODE | --practice ODS) [--as-of YYYY-MM-DD] [--json]");
  process.exitCode = usage ? 2 : 1;
} finally {
  await handle.db.destroy();
}
