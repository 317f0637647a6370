import { sql } from "kysely";
import type { DbHandle } from "./connect";

/**
 * Gives the embedded database's planner statistics of the data it holds. PostgreSQL's autovacuum
 * analyses tables as they change; PGlite has no autovacuum, so a PGlite database has never been
 * analysed and the planner guesses every join and filter from defaults. One such guess put an
 * aggregate over every gap on the inner side of a nested loop and made the demo's gap register
 * take 65 s (docs/performance.md, session 19). Run after seeding and at each `npm start` (data
 * imported since then changes the figures): about 1.3 s on the demo. Nothing to do on PostgreSQL.
 */
export async function analyseEmbedded(handle: DbHandle): Promise<boolean> {
  if (handle.kind !== "pglite") return false;
  await sql`analyze`.execute(handle.db);
  return true;
}
