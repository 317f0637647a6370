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

/** An admin's new row: owned by the admin (no reference version), so the reference sync leaves it alone. */
export function insertLifecycle(db: Db, values: OsLifecycleInput) {
  return db
    .insertInto("os_lifecycle")
    .values({ ...toColumns(values), reference_version: null } as Insertable<OsLifecycleTable>)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The form's ESU year list is stored as JSON; extended_end is always the last ESU year's end. */
function toColumns(values: OsLifecycleInput) {
  const { esu_year_ends, ...rest } = values;
  return { ...rest, esu_year_ends: JSON.stringify(esu_year_ends) as unknown as string[], extended_end: esu_year_ends.at(-1) ?? null };
}

/** Updates only when the row is still at `versionNo`; undefined means someone changed it first. */
export function updateLifecycle(db: Db, id: number, versionNo: number, values: OsLifecycleInput) {
  return (
    db
      .updateTable("os_lifecycle")
      // An admin's edit takes the row over from the reference data: the sync never overwrites it.
      .set((eb) => ({ ...toColumns(values), reference_version: null, version_no: eb("version_no", "+", 1), updated_at: new Date() }))
      .where("id", "=", id)
      .where("version_no", "=", versionNo)
      .returningAll()
      .executeTakeFirst()
  );
}

/** Every row with the columns the reference sync compares. */
export function listLifecycleForSync(db: Db) {
  return db.selectFrom("os_lifecycle").selectAll().execute();
}

export interface ReferenceValues {
  family: string;
  edition: string;
  version: string;
  build: string | null;
  mainstream_end: string | null;
  end_of_support: string | null;
  extended_end: string | null;
  esu_year_ends: string[];
  source: string;
  notes: string | null;
}

export function insertReferenceRow(db: Db, values: ReferenceValues, referenceVersion: string) {
  return (
    db
      .insertInto("os_lifecycle")
      .values({
        ...values,
        esu_year_ends: JSON.stringify(values.esu_year_ends) as unknown as string[],
        reference_version: referenceVersion,
      })
      // Another sync running at the same time inserted it first: theirs is the same row.
      .onConflict((oc) => oc.constraint("os_lifecycle_key").doNothing())
      .returningAll()
      .executeTakeFirst()
  );
}

/** Rewrites a row the reference data still owns; skipped (undefined) if an admin took it over meanwhile. */
export function updateReferenceRow(db: Db, id: number, values: ReferenceValues, referenceVersion: string) {
  return db
    .updateTable("os_lifecycle")
    .set((eb) => ({
      ...values,
      esu_year_ends: JSON.stringify(values.esu_year_ends) as unknown as string[],
      reference_version: referenceVersion,
      version_no: eb("version_no", "+", 1),
      updated_at: new Date(),
    }))
    .where("id", "=", id)
    .where("reference_version", "is not", null)
    .returningAll()
    .executeTakeFirst();
}

export function deleteReferenceRow(db: Db, id: number) {
  return db.deleteFrom("os_lifecycle").where("id", "=", id).where("reference_version", "is not", null).returningAll().executeTakeFirst();
}

export async function referenceVersionOf(db: Db, name: string) {
  return (await db.selectFrom("reference_data").select("version").where("name", "=", name).executeTakeFirst())?.version ?? null;
}

export function setReferenceVersion(db: Db, name: string, version: string) {
  return db
    .insertInto("reference_data")
    .values({ name, version })
    .onConflict((oc) => oc.column("name").doUpdateSet({ version, synced_at: new Date() }))
    .execute();
}
