import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { Unit } from "~/modules/catalogue/rule-types";

/**
 * The set statements of the gap sync (sync.server.ts): each takes every gap of the call at once,
 * so a sync is a handful of statements whatever the number of practices.
 */

export interface GapInsert {
  practice_code: string;
  requirement_id: string;
  result_status: string;
  reason: string;
  units: Unit[];
  deadline: string;
  deadline_basis: string | null;
}
export type GapUpdate = Omit<GapInsert, "practice_code" | "requirement_id"> & { id: number };
export interface GapEventInsert {
  gap_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  detail: string;
}

/** Which of these practices have results stored after `asOf` (a run for `asOf` is back-dated for them). */
export async function practicesEvaluatedAfter(db: Db, codes: string[], asOf: string): Promise<Set<string>> {
  const newer = await db
    .selectFrom("evaluation_result")
    .select("practice_code")
    .distinct()
    .where("practice_code", "in", codes)
    .where("as_of", ">", asOf)
    .execute();
  return new Set(newer.map((r) => r.practice_code));
}

/** The practices' open gaps. */
export function openGapsOf(db: Db, codes: string[]) {
  return db
    .selectFrom("gap")
    .select([
      "id",
      "practice_code",
      "requirement_id",
      "status",
      "result_status",
      "reason",
      "units",
      "first_seen",
      "deadline",
      "deadline_basis",
    ])
    .where("practice_code", "in", codes)
    .where("closed_on", "is", null)
    .execute();
}

/** Opens the gaps, first seen on `asOf`; returns each new gap's id and reason. */
export async function insertGaps(db: Db, inserts: GapInsert[], asOf: string) {
  const rows = await sql<{ id: number; reason: string }>`
      insert into gap (practice_code, requirement_id, result_status, reason, units, first_seen, deadline, deadline_basis)
      select x.practice_code, x.requirement_id, x.result_status, x.reason, x.units, ${asOf}::date, x.deadline, x.deadline_basis
      from jsonb_to_recordset(${JSON.stringify(inserts)}::jsonb) as x(practice_code text, requirement_id text, result_status text, reason text, units jsonb, deadline date, deadline_basis text)
      returning id, reason`.execute(db);
  return rows.rows;
}

/** Writes the open gaps' new result, reason, extent and deadline. */
export async function updateGapFacts(db: Db, updates: GapUpdate[]) {
  await sql`
      update gap set result_status = x.result_status, reason = x.reason, units = x.units, deadline = x.deadline, deadline_basis = x.deadline_basis,
        updated_at = now(), version = gap.version + 1
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id int, result_status text, reason text, units jsonb, deadline date, deadline_basis text)
      where gap.id = x.id`.execute(db);
}

/** Closes the gaps on `asOf`. */
export async function closeGaps(db: Db, ids: number[], asOf: string) {
  await db
    .updateTable("gap")
    .set((eb) => ({ status: "closed", closed_on: asOf, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "in", ids)
    .execute();
}

/** Records the gaps' events, all dated `asOf`. */
export async function insertGapEvents(db: Db, events: GapEventInsert[], asOf: string) {
  await sql`
      insert into gap_event (gap_id, on_date, kind, from_status, to_status, detail)
      select x.gap_id, ${asOf}::date, x.kind, x.from_status, x.to_status, x.detail
      from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as x(gap_id int, kind text, from_status text, to_status text, detail text)`.execute(
    db,
  );
}
