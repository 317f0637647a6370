import { sql, type Kysely } from "kysely";

/**
 * The two columns that hold large values are compressed with lz4 where the server has it
 * (PostgreSQL built --with-lz4, as the Debian and Docker images are; PGlite is not, and keeps
 * pglz). A re-check after a large import rewrites results whose evidence lists every device of a
 * practice (about 10 KB each, 55 MB for the benchmark's 50,000-row import), and pglz compressing
 * them was about a fifth of the database's CPU for those writes; an upload stores the whole file.
 * Only how new values are stored changes: values already stored stay pglz and read as before,
 * and every value reads back the same (issue 12, session 15 in docs/performance.md).
 */
const COLUMNS = [
  ["evaluation_result", "evidence"],
  ["import_upload", "content"],
] as const;

async function hasLz4(db: Kysely<any>) {
  const r = await sql<{ lz4: boolean }>`
    select coalesce(bool_or('lz4' = any(enumvals)), false) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(db);
  return r.rows[0]?.lz4 === true;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(await hasLz4(db))) return;
  for (const [table, column] of COLUMNS)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression lz4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of COLUMNS)
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression default`.execute(db);
}
