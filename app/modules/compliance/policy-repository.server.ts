import type { Db } from "#db/connect";

/**
 * Queries for an ICB's local policy values (policy.server.ts). Each write checks the version the
 * page showed, so two people changing one value cannot overwrite each other unseen.
 */

export async function icbExists(db: Db, icbCode: string): Promise<boolean> {
  return !!(await db.selectFrom("icb").select("code").where("code", "=", icbCode).executeTakeFirst());
}

export function findPolicyValue(db: Db, icbCode: string, key: string) {
  return db.selectFrom("icb_policy").selectAll().where("icb_code", "=", icbCode).where("key", "=", key).executeTakeFirst();
}

/** Sets a value the ICB has not set before; undefined when someone else has just set it. */
export function insertPolicyValue(db: Db, row: { icb_code: string; key: string; value: string; set_by: number }) {
  return db
    .insertInto("icb_policy")
    .values(row)
    .onConflict((oc) => oc.columns(["icb_code", "key"]).doNothing())
    .returning("version")
    .executeTakeFirst();
}

/** Changes a value still at `version`, moving the version on; undefined when it is not. */
export function updatePolicyValue(db: Db, icbCode: string, key: string, version: number, change: { value: string; set_by: number }) {
  return db
    .updateTable("icb_policy")
    .set((eb) => ({ ...change, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("icb_code", "=", icbCode)
    .where("key", "=", key)
    .where("version", "=", version)
    .returning("version")
    .executeTakeFirst();
}

/** Removes a value still at `version` (the national default applies again); undefined when it is not. */
export function deletePolicyValue(db: Db, icbCode: string, key: string, version: number) {
  return db
    .deleteFrom("icb_policy")
    .where("icb_code", "=", icbCode)
    .where("key", "=", key)
    .where("version", "=", version)
    .returning(["value", "version"])
    .executeTakeFirst();
}
