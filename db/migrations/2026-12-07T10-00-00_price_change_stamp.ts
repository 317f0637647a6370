import { sql, type Kysely } from "kysely";

/**
 * Price changes get stamps of their own (issue 12). A change to the price list moved every ICB's
 * stamp like any other change (a national price moves all of England), so the gap register read
 * its page of rows and its filter choices again, although no price decides either: the work that
 * competed, on the same two cores, with pricing every gap of England again.
 *
 * Writes to price_list_entry now note '$' + the ICB's code ('$*' for the national price list) in
 * icb_change instead of the code itself. Every stamp that depends on prices folds '$X' into X and
 * '$*' into '*' (app/utils/icb-cache.server.ts), so it moves exactly as before; the register's
 * rows and choices, and the device list, read the stamps without them.
 */
const CHANNELS = ["ins", "upd", "del", "trunc"] as const;

async function dropTriggers(db: Kysely<any>) {
  for (const s of CHANNELS) await sql.raw(`drop trigger if exists price_list_entry_icb_change_${s} on price_list_entry`).execute(db);
}

async function createTriggers(db: Kysely<any>, fn: string, truncateFn: string) {
  const table = "price_list_entry";
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
  await sql
    .raw(`create trigger ${table}_icb_change_trunc after truncate on ${table} for each statement execute function ${truncateFn}()`)
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function icb_change_by_price() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform icb_change_note(array(select distinct '$' || coalesce(icb_code, '*') from new_rows));
      elsif tg_op = 'UPDATE' then
        perform icb_change_note(array(select '$' || coalesce(icb_code, '*') from new_rows union select '$' || coalesce(icb_code, '*') from old_rows));
      else
        perform icb_change_note(array(select distinct '$' || coalesce(icb_code, '*') from old_rows));
      end if;
      return null;
    end $$`.execute(db);
  // TRUNCATE carries no rows: every price list, so the national one.
  await sql`
    create function icb_change_price_national() returns trigger language plpgsql as $$
    begin
      perform icb_change_note(array['$*']);
      return null;
    end $$`.execute(db);
  await dropTriggers(db);
  await createTriggers(db, "icb_change_by_price", "icb_change_price_national");
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTriggers(db);
  await createTriggers(db, "icb_change_by_icb", "icb_change_national");
  await sql`drop function if exists icb_change_by_price()`.execute(db);
  await sql`drop function if exists icb_change_price_national()`.execute(db);
  // Fold the price rows back into the codes they stand for, so every stamp's sum is unchanged.
  await sql`update icb_change set icb_code = substr(icb_code, 2) where icb_code like '$%'`.execute(db);
}
