import { sql, type Kysely } from "kysely";

/**
 * The latest day any gap closed, found from an index (app/modules/gaps/repository.server.ts,
 * closingDayPriceDigests): the gap register keeps its closed gaps' figures on the prices in force up
 * to that day, and a gap closed by an ODS succession can be dated after today. Partial: open gaps,
 * most of the table on any day, are not in it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists gap_closed_on_idx on gap (closed_on) where closed_on is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists gap_closed_on_idx`.execute(db);
}
