import { sql, type Kysely } from "kysely";

// Frozen. Background jobs (issue 12): a re-check of an ICB or of all of England runs outside
// the request that asked for it. The row is the job: it survives a restart, carries its
// progress for the job page, and the partial unique index refuses a second active job for the
// same kind and scope (two re-checks of one ICB at once would only race each other).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table job (
      id serial primary key,
      kind text not null,
      scope text not null,
      params jsonb not null default '{}'::jsonb,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      created_by integer references app_user (id),
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      heartbeat_at timestamptz,
      worker text,
      attempts integer not null default 0,
      done integer not null default 0,
      total integer,
      result jsonb,
      error text
    )`.execute(db);
  await sql`create unique index job_one_active_idx on job (kind, scope) where status in ('queued', 'running')`.execute(db);
  await sql`create index job_queued_idx on job (id) where status = 'queued'`.execute(db);
  await sql`create index job_scope_idx on job (scope, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists job`.execute(db);
}
