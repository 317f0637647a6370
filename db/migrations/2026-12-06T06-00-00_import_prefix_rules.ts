import { sql, type Kysely } from "kysely";

/**
 * A device import can place its rows by the start of each device's name (issue 17): the upload
 * keeps the prefix → practice rules the importer gave ([{ value, practice_code }], null when the
 * file is for one practice or has a practice code column).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table import_upload add column prefix_rules jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table import_upload drop column if exists prefix_rules`.execute(db);
}
