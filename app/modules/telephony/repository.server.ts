import type { Insertable, Selectable } from "kysely";
import type { Db } from "#db/connect";
import type { TelephonySystemTable } from "#db/types";
import type { TelephonyInput } from "./schema";

export type TelephonyRow = Selectable<TelephonySystemTable>;

// Every query filters by the practice code from the URL, so an id from a form can never reach
// another practice's record.

export function findCurrent(db: Db, practiceCode: string) {
  return db
    .selectFrom("telephony_system")
    .selectAll()
    .where("practice_code", "=", practiceCode)
    .where("is_current", "=", true)
    .executeTakeFirst();
}

export function findById(db: Db, practiceCode: string, id: number) {
  return db.selectFrom("telephony_system").selectAll().where("id", "=", id).where("practice_code", "=", practiceCode).executeTakeFirst();
}

/** Past systems, most recently ended first. */
export function listPast(db: Db, practiceCode: string) {
  return db
    .selectFrom("telephony_system")
    .selectAll()
    .where("practice_code", "=", practiceCode)
    .where("is_current", "=", false)
    .orderBy("ended_on", (o) => o.desc().nullsLast())
    .orderBy("id", "desc")
    .execute();
}

/** Every system, current first, for exports. */
export function listAll(db: Db, practiceCode: string) {
  return db
    .selectFrom("telephony_system")
    .selectAll()
    .where("practice_code", "=", practiceCode)
    .orderBy("is_current", "desc")
    .orderBy("ended_on", (o) => o.desc().nullsLast())
    .orderBy("id", "desc")
    .execute();
}

export function insertCurrent(db: Db, practiceCode: string, input: TelephonyInput) {
  const row: Insertable<TelephonySystemTable> = { ...input, practice_code: practiceCode, is_current: true, ended_on: null };
  return db.insertInto("telephony_system").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates the current system if it is still at the version the editor opened; undefined otherwise. */
export function updateCurrent(db: Db, practiceCode: string, id: number, version: number, input: TelephonyInput) {
  return db
    .updateTable("telephony_system")
    .set((eb) => ({ ...input, version: eb("version", "+", 1), updated_at: new Date() }))
    .where("id", "=", id)
    .where("practice_code", "=", practiceCode)
    .where("is_current", "=", true)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

/** Makes the current system a past one, ended on the given date. */
export function endCurrent(db: Db, practiceCode: string, id: number, version: number, endedOn: string) {
  return db
    .updateTable("telephony_system")
    .set((eb) => ({ is_current: false, ended_on: endedOn, version: eb("version", "+", 1), updated_at: new Date() }))
    .where("id", "=", id)
    .where("practice_code", "=", practiceCode)
    .where("is_current", "=", true)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a past system (never the current one) at the version the person confirmed. */
export function deletePast(db: Db, practiceCode: string, id: number, version: number) {
  return db
    .deleteFrom("telephony_system")
    .where("id", "=", id)
    .where("practice_code", "=", practiceCode)
    .where("is_current", "=", false)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

/** Open sites with the number of analogue lines recorded for each (for the PSTN switch-off). */
export function listSiteAnalogueLines(db: Db, practiceCode: string) {
  return db
    .selectFrom("site")
    .select(["code", "name", "kind", "analogue_lines"])
    .where("practice_code", "=", practiceCode)
    .where("close_date", "is", null)
    .orderBy("kind", "desc")
    .orderBy("code")
    .execute();
}
