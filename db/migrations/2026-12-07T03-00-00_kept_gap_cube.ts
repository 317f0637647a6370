import { sql, type Kysely } from "kysely";

/**
 * The gap register's cube of each ICB (kind 'gap_cube', owner the cube half and the ICB code) is
 * kept with the other figures worked out from the database (migration
 * 2026-12-05T02-00-00_kept_figures), so a new server process, or the next one after a restart,
 * reads it instead of pricing every gap of England again (issue 12). Two rows an ICB at most.
 */
const KINDS_BEFORE = ["forecast_part", "icb_dashboard", "england_part"];

async function allowKinds(db: Kysely<any>, kinds: string[]) {
  await sql`alter table kept_figure drop constraint if exists kept_figure_kind_check`.execute(db);
  await sql`alter table kept_figure add constraint kept_figure_kind_check check (kind in (${sql.join(kinds.map((k) => sql.lit(k)))}))`.execute(
    db,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await allowKinds(db, [...KINDS_BEFORE, "gap_cube"]);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from kept_figure where kind = 'gap_cube'`.execute(db);
  await allowKinds(db, KINDS_BEFORE);
}
