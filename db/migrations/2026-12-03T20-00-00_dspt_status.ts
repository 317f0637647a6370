import { sql, type Kysely } from "kysely";

/**
 * DSPT organisation status per GP practice, as published on the Data Security and Protection
 * Toolkit and read from the bulk snapshot layout NHSX used (see
 * /work/wt/shared/reference/feeds.md section 2). A dated history: every status a file brought in
 * is kept, the latest one published on or before a date is the one SEC-01 reads.
 *
 * `cycle` is the prefix as the file gives it ("22/23" or "2025-26"); null for "Not Published",
 * which carries no year. `status` is the rest of the text ("Standards Met"); `outcome` its
 * normalised meaning. The same practice, status text and publication date is one row, so a file
 * imported twice adds nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table dspt_status (
      id bigserial primary key,
      practice_code text not null references practice (ods_code),
      cycle text,
      status text not null,
      outcome text not null check (outcome in ('met', 'exceeded', 'approaching', 'not_met', 'not_published')),
      published_on date,
      source_file text not null,
      imported_at timestamptz not null default now(),
      imported_by integer references app_user (id),
      actor text
    )`.execute(db);
  await sql`create unique index dspt_status_identity on dspt_status (practice_code, coalesce(cycle, ''), status, coalesce(published_on, '0001-01-01'::date))`.execute(
    db,
  );
  await sql`create index dspt_status_practice_idx on dspt_status (practice_code, published_on desc, id desc)`.execute(db);
  // SEC-01 results on the ICB pages follow this table: per-ICB change stamps, as for the other
  // practice registers (migration 2026-12-03T14-30-00_icb_change).
  await sql
    .raw(
      `create trigger dspt_status_icb_change_ins after insert on dspt_status referencing new table as new_rows for each statement execute function icb_change_by_practice()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger dspt_status_icb_change_upd after update on dspt_status referencing old table as old_rows new table as new_rows for each statement execute function icb_change_by_practice()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger dspt_status_icb_change_del after delete on dspt_status referencing old table as old_rows for each statement execute function icb_change_by_practice()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger dspt_status_icb_change_trunc after truncate on dspt_status for each statement execute function icb_change_national()`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists dspt_status`.execute(db);
}
