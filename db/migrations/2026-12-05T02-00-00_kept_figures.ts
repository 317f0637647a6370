import { sql, type Kysely } from "kysely";

/**
 * Figures worked out from the database and kept in it, so every server process (and the next one
 * after a restart) reuses them instead of working them out again (issue 12): the ICB dashboard's
 * forecast share of each practice (kind 'forecast_part', owner the practice's ODS code), the
 * dashboard's figures of each ICB (kind 'icb_dashboard', owner the ICB code) and each ICB's part of
 * the all-of-England page (kind 'england_part', owner the ICB code). `key` holds
 * everything a value was worked out on (the date, the change stamps and reference digests it read,
 * the code's digest): a reader uses a row only when the key it would compute now is the same, so
 * a stale row is never served, only replaced. One row per kind and owner: bounded by the number of
 * practices and ICBs. Not audited: nothing here is a fact anyone entered, and every row can be
 * deleted at any time at the cost of working it out again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table kept_figure (
      kind text not null check (kind in ('forecast_part', 'icb_dashboard', 'england_part')),
      owner text not null,
      key text not null,
      value jsonb not null,
      computed_at timestamptz not null default now(),
      primary key (kind, owner)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists kept_figure`.execute(db);
}
