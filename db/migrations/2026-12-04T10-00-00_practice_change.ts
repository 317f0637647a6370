import { sql, type Kysely } from "kysely";

/**
 * Per-practice change stamps for the estate (app/utils/practice-stamp.server.ts), the same
 * scheme as the per-ICB stamps (migration 2026-12-03T14-30-00_icb_change) one level down, and
 * only for the tables a practice's estate is read from (compliance/repository.server.ts
 * loadEstateRows). The ICB dashboard's forecast is a pure function of one practice's estate,
 * the ICB's policy and price list, the OS lifecycle table and the date, so it is kept per
 * practice on this stamp: a change to one device recomputes one practice's forecast instead of
 * the ICB's 400, and a re-evaluation (results, gaps), which writes no estate, recomputes none.
 *
 * Statement-level triggers append one row per practice a statement touched, in the writer's own
 * transaction; the stamp is sum(weight):max(id) over the practice's rows (the sum moves when a
 * transaction that took an earlier id commits late). Rows are folded into one per practice
 * every 5,000 ids by whichever writer crosses the mark.
 */
const ESTATE_TABLES = [
  "site",
  "device",
  "telephony_system",
  "digital_service",
  "lloyd_george_record",
  "paper_activity",
  "dspt_status",
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table practice_change (
      id bigserial primary key,
      practice_code text not null,
      weight bigint not null default 1
    )`.execute(db);
  await sql`create index practice_change_practice_idx on practice_change (practice_code, id) include (weight)`.execute(db);

  await sql`
    create function practice_change_note(codes text[]) returns void language plpgsql as $$
    declare
      n bigint;
      last bigint;
    begin
      insert into practice_change (practice_code) select distinct c from unnest(codes) as c where c is not null;
      get diagnostics n = row_count;
      if n = 0 then return; end if;
      last := currval(pg_get_serial_sequence('practice_change', 'id'));
      if last / 5000 > (last - n) / 5000 and pg_try_advisory_xact_lock(hashtext('practice_change_fold')) then
        with crowded as (select practice_code from practice_change group by practice_code having count(*) > 1),
        gone as (delete from practice_change where practice_code in (select practice_code from crowded) returning practice_code, weight)
        insert into practice_change (practice_code, weight) select practice_code, sum(weight) from gone group by practice_code;
      end if;
    end $$`.execute(db);

  await sql`
    create function practice_change_by_practice() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform practice_change_note(array(select practice_code from new_rows));
      elsif tg_op = 'UPDATE' then
        perform practice_change_note(array(select practice_code from new_rows union select practice_code from old_rows));
      else
        perform practice_change_note(array(select practice_code from old_rows));
      end if;
      return null;
    end $$`.execute(db);

  // The practice row itself (name, ICB, PCN, list size, clinical system).
  await sql`
    create function practice_change_by_ods() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform practice_change_note(array(select ods_code from new_rows));
      elsif tg_op = 'UPDATE' then
        perform practice_change_note(array(select n.ods_code from new_rows n join old_rows o on o.ods_code = n.ods_code where n is distinct from o
                                           union select ods_code from new_rows where ods_code not in (select ods_code from old_rows)
                                           union select ods_code from old_rows where ods_code not in (select ods_code from new_rows)));
      else
        perform practice_change_note(array(select ods_code from old_rows));
      end if;
      return null;
    end $$`.execute(db);

  // TRUNCATE carries no rows: every practice's stamp must move, so one row per practice.
  await sql`
    create function practice_change_all() returns trigger language plpgsql as $$
    begin
      perform practice_change_note(array(select ods_code from practice));
      return null;
    end $$`.execute(db);

  const triggers = async (table: string, fn: string) => {
    await sql
      .raw(
        `create trigger ${table}_practice_change_ins after insert on ${table} referencing new table as new_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_practice_change_upd after update on ${table} referencing old table as old_rows new table as new_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_practice_change_del after delete on ${table} referencing old table as old_rows for each statement execute function ${fn}()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_practice_change_trunc after truncate on ${table} for each statement execute function practice_change_all()`,
      )
      .execute(db);
  };
  for (const t of ESTATE_TABLES) await triggers(t, "practice_change_by_practice");
  await triggers("practice", "practice_change_by_ods");
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [...ESTATE_TABLES, "practice"]) {
    for (const s of ["ins", "upd", "del", "trunc"]) await sql.raw(`drop trigger if exists ${t}_practice_change_${s} on ${t}`).execute(db);
  }
  for (const f of ["practice_change_by_practice", "practice_change_by_ods", "practice_change_all"])
    await sql.raw(`drop function if exists ${f}()`).execute(db);
  await sql`drop function if exists practice_change_note(text[])`.execute(db);
  await sql`drop table if exists practice_change`.execute(db);
}
