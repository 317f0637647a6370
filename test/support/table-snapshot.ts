import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Every row of the tables that hold stored results and the gap register, as text, in a fixed
 * order: two snapshots are equal only when nothing was inserted, changed or deleted.
 */
export async function snapshotStored(db: Db) {
  const out: Record<string, string> = {};
  for (const [table, order] of [
    ["evaluation_result", "id"],
    ["evaluation_run", "id"],
    ["gap", "id"],
    ["gap_event", "id"],
  ] as const) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t order by ${sql.ref(order)}`.execute(db);
    out[table] = rows.rows.map((r) => r.row).join("\n");
  }
  return out;
}
