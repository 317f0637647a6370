import { sql, type Kysely } from "kysely";

// Frozen. Large imports run as background jobs (issue 12). A job says which phase it is in
// ("checking", "writing", "rechecking"), so its page can say more than a count; an import run
// names the job that wrote it, and at most one run per job can exist, so a job run again after
// its process died (its transaction either committed or left nothing) can never import twice.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table job add column phase text`.execute(db);
  await sql`alter table import_run add column job_id integer references job (id)`.execute(db);
  await sql`create unique index import_run_job_idx on import_run (job_id) where job_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists import_run_job_idx`.execute(db);
  await sql`alter table import_run drop column if exists job_id`.execute(db);
  await sql`alter table job drop column if exists phase`.execute(db);
}
