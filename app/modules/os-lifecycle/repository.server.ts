import type { Insertable } from "kysely";
import type { Db } from "#db/connect";
import type { OsLifecycleTable } from "#db/types";
import type { OsLifecycleInput } from "./schema";

/** The whole table: a few dozen rows of reference data. */
export function listLifecycle(db: Db) {
  return db
    .selectFrom("os_lifecycle")
    .selectAll()
    .orderBy("family")
    .orderBy("edition")
    .orderBy("end_of_support", (ob) => ob.desc().nullsLast())
    .orderBy("id")
    .execute();
}

export function findLifecycle(db: Db, id: number) {
  return db.selectFrom("os_lifecycle").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findLifecycleByKey(db: Db, key: { family: string; edition: string; version: string }, exceptId?: number) {
  let q = db
    .selectFrom("os_lifecycle")
    .select("id")
    .where("family", "=", key.family)
    .where("edition", "=", key.edition)
    .where("version", "=", key.version);
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return q.executeTakeFirst();
}

export function insertLifecycle(db: Db, values: OsLifecycleInput) {
  return db.insertInto("os_lifecycle").values(values as Insertable<OsLifecycleTable>).returningAll().executeTakeFirstOrThrow();
}

/** Updates only when the row is still at `versionNo`; undefined means someone changed it first. */
export function updateLifecycle(db: Db, id: number, versionNo: number, values: OsLifecycleInput) {
  return db
    .updateTable("os_lifecycle")
    .set((eb) => ({ ...values, version_no: eb("version_no", "+", 1), updated_at: new Date() }))
    .where("id", "=", id)
    .where("version_no", "=", versionNo)
    .returningAll()
    .executeTakeFirst();
}
