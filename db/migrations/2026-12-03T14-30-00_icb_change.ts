import { sql, type Kysely } from "kysely";

/**
 * Per-ICB change stamps (app/utils/icb-cache.server.ts). Every write to a table an ICB's figures
 * depend on appends a row naming the ICB it touched ('*' for national reference data, which every
 * ICB depends on), from statement-level triggers: one row per ICB per statement, whichever code
 * path made the change (pages, imports, evaluation, the seed, SQL by hand), in the writer's own
 * transaction. A process's cached figures are keyed on sum(weight):max(id) over its ICB's rows
 * and '*', read from the database, so several server processes agree on when to recompute.
 *
 * Append-only rather than one counter row per ICB: a counter row would be locked from the first
 * write until commit, queueing every other writer in the ICB behind a long import. The sum of
 * weights (not max(id) alone) moves when a transaction that took an earlier id commits late.
 * Rows are folded into one per ICB (weight = how many it replaces, so the sum is unchanged)
 * every 1,000 ids by whichever writer crosses the mark, so a stamp reads a handful of rows.
 */
const PRACTICE_TABLES = [
  "practice_pcn_membership",
  "practice_list_size",
  "site",
  "device",
  "telephony_system",
  "digital_service",
  "evaluation_result",
  "assessment",
  "result_dispute",
  "gap",
  "lloyd_george_record",
  "paper_activity",
] as const;
const ICB_TABLES = ["practice", "icb_policy", "price_list_entry", "icb_budget", "funding_request", "assessment_cycle"] as const;
const NATIONAL_TABLES = ["os_lifecycle", "emission_factor", "framework", "requirement", "region", "icb", "sub_icb", "pcn"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  // The status in force per practice and requirement, read from the index alone: the summaries
  // over an ICB or all of England (statusesAt, england/repository.server.ts) walk it without
  // touching the wide result rows. It replaces the same index without the status.
  await sql`create index evaluation_result_status_idx on evaluation_result (practice_code, requirement_id, as_of desc) include (status)`.execute(
    db,
  );
  await sql`drop index evaluation_result_latest_idx`.execute(db);

  await sql`
    create table icb_change (
      id bigserial primary key,
      icb_code text not null,
      weight bigint not null default 1,
      changed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index icb_change_icb_idx on icb_change (icb_code, id) include (weight)`.execute(db);
  await sql`insert into icb_change (icb_code) values ('*')`.execute(db);

  await sql`
    create function icb_change_note(codes text[]) returns void language plpgsql as $$
    declare
      n bigint;
      last bigint;
    begin
      insert into icb_change (icb_code) select distinct c from unnest(codes) as c where c is not null;
      get diagnostics n = row_count;
      if n = 0 then return; end if;
      last := currval(pg_get_serial_sequence('icb_change', 'id'));
      -- Fold when this statement crossed a multiple of 1,000; one folder at a time.
      if last / 1000 > (last - n) / 1000 and pg_try_advisory_xact_lock(hashtext('icb_change_fold')) then
        with crowded as (select icb_code from icb_change group by icb_code having count(*) > 1),
        gone as (delete from icb_change where icb_code in (select icb_code from crowded) returning icb_code, weight)
        insert into icb_change (icb_code, weight) select icb_code, sum(weight) from gone group by icb_code;
      end if;
    end $$`.execute(db);

  // Rows keyed by practice_code: the practice's ICB, before and after the change.
  await sql`
    create function icb_change_by_practice() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform icb_change_note(array(select distinct p.icb_code from new_rows r join practice p on p.ods_code = r.practice_code));
      elsif tg_op = 'UPDATE' then
        perform icb_change_note(array(select distinct p.icb_code from (select practice_code from new_rows union select practice_code from old_rows) r join practice p on p.ods_code = r.practice_code));
      else
        perform icb_change_note(array(select distinct p.icb_code from old_rows r join practice p on p.ods_code = r.practice_code));
      end if;
      return null;
    end $$`.execute(db);

  // Rows keyed by icb_code; null is the national default (the price list), which every ICB uses.
  await sql`
    create function icb_change_by_icb() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform icb_change_note(array(select distinct coalesce(icb_code, '*') from new_rows));
      elsif tg_op = 'UPDATE' then
        perform icb_change_note(array(select coalesce(icb_code, '*') from new_rows union select coalesce(icb_code, '*') from old_rows));
      else
        perform icb_change_note(array(select distinct coalesce(icb_code, '*') from old_rows));
      end if;
      return null;
    end $$`.execute(db);

  await sql`
    create function icb_change_national() returns trigger language plpgsql as $$
    begin
      perform icb_change_note(array['*']);
      return null;
    end $$`.execute(db);

  // National reference data: every ICB, when a row was written (an upsert that changed nothing,
  // as the catalogue sync and price book defaults run on every start, writes none).
  await sql`
    create function icb_change_national_rows() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if exists (select from old_rows) then perform icb_change_note(array['*']); end if;
      elsif exists (select from new_rows) then
        perform icb_change_note(array['*']);
      end if;
      return null;
    end $$`.execute(db);

  // An ICB's attestation answers: through the assessment they belong to.
  await sql`
    create function icb_change_by_assessment() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform icb_change_note(array(select distinct p.icb_code from old_rows r join assessment a on a.id = r.assessment_id join practice p on p.ods_code = a.practice_code));
      else
        perform icb_change_note(array(select distinct p.icb_code from new_rows r join assessment a on a.id = r.assessment_id join practice p on p.ods_code = a.practice_code));
      end if;
      return null;
    end $$`.execute(db);

  const rowTriggers = async (table: string, fn: string) => {
    await sql
      .raw(
        `create trigger ${table}_icb_change_ins after insert on ${table} referencing new table as new_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_icb_change_upd after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_icb_change_del after delete on ${table} referencing old table as old_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    // TRUNCATE carries no rows: count it as a national change.
    await sql
      .raw(`create trigger ${table}_icb_change_trunc after truncate on ${table} for each statement execute function icb_change_national()`)
      .execute(db);
  };
  for (const t of PRACTICE_TABLES) await rowTriggers(t, "icb_change_by_practice");
  for (const t of ICB_TABLES) await rowTriggers(t, "icb_change_by_icb");
  await rowTriggers("assessment_answer", "icb_change_by_assessment");
  for (const t of NATIONAL_TABLES) await rowTriggers(t, "icb_change_national_rows");
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [...PRACTICE_TABLES, ...ICB_TABLES, ...NATIONAL_TABLES, "assessment_answer"]) {
    for (const s of ["ins", "upd", "del", "trunc"]) await sql.raw(`drop trigger if exists ${t}_icb_change_${s} on ${t}`).execute(db);
  }
  for (const f of [
    "icb_change_by_practice",
    "icb_change_by_icb",
    "icb_change_national",
    "icb_change_national_rows",
    "icb_change_by_assessment",
  ])
    await sql.raw(`drop function if exists ${f}()`).execute(db);
  await sql`drop function if exists icb_change_note(text[])`.execute(db);
  await sql`drop table if exists icb_change`.execute(db);
  await sql`create index if not exists evaluation_result_latest_idx on evaluation_result (practice_code, requirement_id, as_of desc)`.execute(
    db,
  );
  await sql`drop index if exists evaluation_result_status_idx`.execute(db);
}
