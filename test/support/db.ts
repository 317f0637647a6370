import fs from "node:fs/promises";
import { sql } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { createPgliteDb, createPostgresDb, type DbHandle } from "#db/connect";
import { migrateToLatest } from "#db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

/**
 * A migrated, empty database for one test file: an in-memory PGlite restored from the run's
 * snapshot, or (with DATABASE_URL) a PostgreSQL database of this worker's own, so parallel
 * workers never see each other's rows.
 */
export async function openTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const file = inject("pgliteSnapshot");
    const data = await fs.readFile(file);
    return createPgliteDb(undefined, new Blob([data]));
  }
  const worker = process.env.VITEST_POOL_ID ?? "1";
  const base = new URL(url);
  const name = `${base.pathname.slice(1) || "test"}_w${worker}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  const handle = createPostgresDb(base.toString(), 4);
  await migrateToLatest(handle.db);
  await truncateAll(handle);
  return handle;
}

/** Empties every application table (not the migration bookkeeping). */
export async function truncateAll({ db }: DbHandle) {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables
    where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db);
  if (tables.rows.length === 0) return;
  const list = tables.rows.map((t) => `"${t.tablename}"`).join(", ");
  await sql.raw(`truncate ${list} restart identity cascade`).execute(db);
}
