import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { DsptRow } from "./parse";

/** Which of these codes are practices in the register. */
export async function knownPracticeCodes(db: Db, codes: string[]): Promise<Set<string>> {
  return new Set(
    codes.length
      ? (await db.selectFrom("practice").select("ods_code").where("ods_code", "in", codes).execute()).map((p) => p.ods_code)
      : [],
  );
}

/**
 * Adds the statuses to the practices' histories in one statement; a status already held (text
 * and date alike) is left as it is. Returns the practice of each status added.
 */
export async function insertStatuses(db: Db, rows: DsptRow[], from: { fileName: string; userId: number | null; actor: string | null }) {
  if (rows.length === 0) return [];
  const result = await sql<{ practice_code: string }>`
    insert into dspt_status (practice_code, cycle, status, outcome, published_on, source_file, imported_by, actor)
    select x.practice_code, x.cycle, x.status, x.outcome, x.published_on, ${from.fileName}, ${from.userId}, ${from.actor}
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ practice_code: r.practiceCode, cycle: r.cycle, status: r.status, outcome: r.outcome, published_on: r.publishedOn })))}::jsonb)
      as x(practice_code text, cycle text, status text, outcome text, published_on date)
    on conflict (practice_code, coalesce(cycle, ''), status, coalesce(published_on, '0001-01-01'::date)) do nothing
    returning practice_code`.execute(db);
  return result.rows;
}

/** A practice's DSPT history, newest first, for its page and the admin page. */
export function listDsptHistory(db: Db, practiceCode: string, limit = 20) {
  return db
    .selectFrom("dspt_status")
    .select(["id", "cycle", "status", "outcome", "published_on", "source_file", "imported_at"])
    .where("practice_code", "=", practiceCode)
    .orderBy("published_on", (ob) => ob.desc().nullsLast())
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
