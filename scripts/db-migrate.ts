import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { getEnv } from "~/utils/env.server";

// Migrates the configured database: PostgreSQL when DATABASE_URL is set, else the embedded one.
const handle = createDbFromEnv(getEnv());
try {
  await migrateToLatest(handle.db, (l) => console.log(l));
  // Reference data that lives in typed files rather than migrations (the app also syncs on first use).
  const os = await syncLifecycleReference(handle.db);
  console.log(`OS lifecycle reference data: ${os.inserted} added, ${os.updated} updated, ${os.retired} retired.`);
  console.log(`Database is up to date (${handle.where}).`);
} catch (e) {
  console.error("Migration failed:", e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await handle.db.destroy();
}
