import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { API_TOKEN_USAGE, runApiTokenCli } from "~/modules/api/cli.server";
import { UsageError } from "~/utils/cli";
import { getEnv } from "~/utils/env.server";

// `npm run -s api:token -- --email USER --name NAME [--days N]`: prints a new API token.
const handle = createDbFromEnv(getEnv());
try {
  await migrateToLatest(handle.db);
  await runApiTokenCli(process.argv.slice(2), handle.db, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
} catch (e) {
  const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(e instanceof Error ? e.message : e);
  if (usage) console.error(API_TOKEN_USAGE);
  process.exitCode = usage ? 2 : 1;
} finally {
  await handle.db.destroy();
}
