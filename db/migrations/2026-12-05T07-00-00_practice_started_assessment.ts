import { sql, type Kysely } from "kysely";

/**
 * A practice can start a self-assessment itself, without waiting for its ICB to open a cycle
 * (issue 17): that assessment sits in a cycle of its own, which records the practice that started
 * it (null for the cycles an ICB opens). The ICB sees it among its cycles and in its review queue.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table assessment_cycle add column started_by_practice text references practice (ods_code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table assessment_cycle drop column if exists started_by_practice`.execute(db);
}
