import fs from "node:fs/promises";
import path from "node:path";
import { createPgliteDb } from "#db/connect";
import { migrateToLatest } from "#db/migrate";

const SNAPSHOT = path.resolve(".cache/test-pglite-migrated.tar.gz");

/**
 * Migrate an embedded database once per run and snapshot it, so each test file starts from a
 * migrated copy instead of re-running migrations. On PostgreSQL each worker migrates its own
 * database instead (test/support/db.ts).
 */
export default async function globalSetup({ provide }: { provide: (k: string, v: unknown) => void }) {
  if (process.env.DATABASE_URL) return;
  const handle = createPgliteDb();
  await migrateToLatest(handle.db);
  const blob = await handle.pglite!.dumpDataDir("gzip");
  await fs.mkdir(path.dirname(SNAPSHOT), { recursive: true });
  await fs.writeFile(SNAPSHOT, Buffer.from(await blob.arrayBuffer()));
  await handle.db.destroy();
  provide("pgliteSnapshot", SNAPSHOT);
}
