import { sql, type Kysely } from "kysely";

/**
 * NHS England's Cloud Based Telephony data, summed per practice and month (issue 15; the sums
 * are app/modules/cbt/aggregate.server.ts). `cbt_publication` records each month and NHS region
 * the imported data covered (a region counts as covered when any of its practices is in the
 * data), so a practice missing from a month's data can be told from a month, or a region, nobody
 * has imported: an upload of one region's CSV says nothing about the other regions.
 * Measures are null when the files imported for the month did not carry that indicator.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table cbt_month (
      practice_code text not null references practice (ods_code),
      month date not null check (extract(day from month) = 1),
      inbound integer check (inbound >= 0),
      ivr_ended integer check (ivr_ended >= 0),
      answered integer check (answered >= 0),
      missed integer check (missed >= 0),
      callback_requested integer check (callback_requested >= 0),
      callback_made integer check (callback_made >= 0),
      source_file text not null,
      imported_at timestamptz not null default now(),
      primary key (practice_code, month)
    )`.execute(db);
  await sql`
    create table cbt_publication (
      month date not null check (extract(day from month) = 1),
      region_code text not null,
      source_file text not null,
      practices integer not null,
      imported_at timestamptz not null default now(),
      primary key (month, region_code)
    )`.execute(db);
  // TEL-10 on the ICB pages follows the practice rows: per-ICB change stamps, as for DSPT status.
  for (const [suffix, clause] of [
    ["ins", "after insert on cbt_month referencing new table as new_rows for each statement execute function icb_change_by_practice()"],
    [
      "upd",
      "after update on cbt_month referencing old table as old_rows new table as new_rows for each statement execute function icb_change_by_practice()",
    ],
    ["del", "after delete on cbt_month referencing old table as old_rows for each statement execute function icb_change_by_practice()"],
    ["trunc", "after truncate on cbt_month for each statement execute function icb_change_national()"],
  ]) {
    await sql.raw(`create trigger cbt_month_icb_change_${suffix} ${clause}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists cbt_month`.execute(db);
  await sql`drop table if exists cbt_publication`.execute(db);
}
