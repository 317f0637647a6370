import { sql, type Kysely } from "kysely";

// Frozen. Who did something when it was not a signed-in user: the command-line importer records
// "command line (user@host)" so its runs and audit events say who ran them.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_event add column actor text`.execute(db);
  await sql`alter table import_run add column actor text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table import_run drop column if exists actor`.execute(db);
  await sql`alter table audit_event drop column if exists actor`.execute(db);
}
