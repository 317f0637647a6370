import { sql } from "kysely";
import type { Db } from "./connect";

/**
 * Runs `run` with `mb` MiB of memory for each sort and hash of its statements (PostgreSQL's
 * `work_mem`, 4 MB by default), in a transaction of its own so the setting ends with it. For a
 * statement that adds up a national table in memory: at 4 MB its hash tables spill to disk and
 * its sorts merge from disk, which took the gap register's cube from 0.6 s to 0.9-1 s. Inside a
 * caller's transaction `run` runs there as it is (the setting would outlive the statement).
 */
export async function withWorkMem<T>(db: Db, mb: number, run: (db: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return run(db);
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('work_mem', ${`${mb}MB`}, true)`.execute(trx);
    return run(trx);
  });
}
