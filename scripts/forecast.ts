import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { UsageError } from "~/utils/cli";
import { FORECAST_USAGE, runForecastCli } from "~/modules/compliance/forecast/cli.server";
import { getEnv } from "~/utils/env.server";

// `npm run -s forecast -- (--icb CODE | --practice ODS) [--months N] [--json]`: reads only.
const io = { out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };
const handle = createDbFromEnv(getEnv());
try {
  await migrateToLatest(handle.db);
  await runForecastCli(process.argv.slice(2), handle.db, io);
} catch (e) {
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(e instanceof Error ? e.message : e);
  if (usage) console.error(FORECAST_USAGE);
  process.exitCode = usage ? 2 : 1;
} finally {
  await handle.db.destroy();
}
