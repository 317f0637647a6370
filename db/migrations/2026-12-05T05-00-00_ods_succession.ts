import { sql, type Kysely } from "kysely";

/**
 * Organisation successions from the ODS successor file (succ.csv) and the April 2026 ICB
 * mergers (docs/ods.md, ADR 0006). One row per (kind, old code, new code) as the file states it;
 * chains (A→B, B→C) are walked when applied, so the row keeps what the file said and
 * `final_code` records where the estate actually went. `carried` counts what was moved.
 * No foreign keys: an ICB successor (e.g. D7T5G) may be created by the same import, a practice
 * succession is kept even when the old practice is later removed by hand, and import_run may be
 * truncated (tests do) without taking the succession history with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ods_succession (
      id serial primary key,
      kind text not null check (kind in ('practice', 'icb')),
      old_code text not null,
      new_code text not null,
      final_code text not null,
      effective_date date not null,
      source_file text not null,
      import_run_id integer,
      carried jsonb not null default '{}',
      applied_at timestamptz not null default now(),
      unique (kind, old_code, new_code),
      check (old_code <> new_code)
    )`.execute(db);
  await sql`create index ods_succession_new_idx on ods_succession (kind, new_code)`.execute(db);
  await sql`create index ods_succession_final_idx on ods_succession (kind, final_code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists ods_succession`.execute(db);
}
