import { sql, type Kysely } from "kysely";

/**
 * A one-time message on the session ("Device saved."): an action sets it before its redirect, the
 * next page shows it once and clears it. It replaces `?saved=`/`?done=` in addresses, which
 * showed the banner again on every reload and in every bookmark (issue 16).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table session add column flash text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table session drop column if exists flash`.execute(db);
}
