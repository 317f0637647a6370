import { sql, type Kysely } from "kysely";

// Frozen. "The result in force on a date" is the latest change point on or before it, read with
// DISTINCT ON (practice, requirement) ordered by as_of descending. The unique key runs as_of
// ascending, so PostgreSQL sorted every ICB-wide read; this index hands the rows over in order.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index evaluation_result_latest_idx on evaluation_result (practice_code, requirement_id, as_of desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists evaluation_result_latest_idx`.execute(db);
}
