import { sql, type Kysely } from "kysely";

/**
 * A housekeeping task that only one server process should run per sweep round (the next day's
 * forecast shares: seconds of CPU for a large ICB, the same rows whichever process works them out)
 * claims the round in kept_figure (kind 'sweep_claim', owner the task's name, key the round's UTC
 * hour, app/modules/housekeeping/schedule.server.ts). kept_figure already is the table every
 * process reads and any row of which may be deleted at the cost of working it out again: losing a
 * claim costs one more run of the task, nothing else. One row a task, so nothing to clear away.
 */
const KINDS_BEFORE = ["forecast_part", "icb_dashboard", "england_part", "gap_cube"];

async function allowKinds(db: Kysely<any>, kinds: string[]) {
  await sql`alter table kept_figure drop constraint if exists kept_figure_kind_check`.execute(db);
  await sql`alter table kept_figure add constraint kept_figure_kind_check check (kind in (${sql.join(kinds.map((k) => sql.lit(k)))}))`.execute(
    db,
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await allowKinds(db, [...KINDS_BEFORE, "sweep_claim"]);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from kept_figure where kind = 'sweep_claim'`.execute(db);
  await allowKinds(db, KINDS_BEFORE);
}
