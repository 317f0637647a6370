import { sql } from "kysely";
import { createDbFromEnv, type Db, type DbHandle } from "#db/connect";
import { getEnv } from "./env.server";

// Kept on globalThis so Vite's dev reloads do not open a second pool or PGlite instance.
const g = globalThis as unknown as { __dbHandle?: DbHandle };

export function getDbHandle(): DbHandle {
  if (!g.__dbHandle) g.__dbHandle = createDbFromEnv(getEnv());
  return g.__dbHandle;
}

export function getDb(): Db {
  return getDbHandle().db;
}

/** Tests and scripts install their own handle (an in-memory PGlite, a per-worker database). */
export function setDbHandle(handle: DbHandle | undefined) {
  g.__dbHandle = handle;
}

/** Graceful shutdown: closes the pool (or the embedded database) if this process opened one. */
export async function closeDbHandle() {
  const handle = g.__dbHandle;
  g.__dbHandle = undefined;
  await handle?.db.destroy();
}

/** One round trip (`select 1`): the health check's test that the database answers. */
export async function pingDatabase(db: Db) {
  await sql`select 1`.execute(db);
}
