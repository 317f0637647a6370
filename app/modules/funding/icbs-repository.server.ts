import type { Db } from "#db/connect";
import type { Scope } from "~/utils/permissions";

/** The ICBs a filter can offer: those in scope (every ICB with a request, for admins). */
export async function listIcbsInScope(db: Db, scope: Scope) {
  if (scope.all) {
    return db
      .selectFrom("icb")
      .select(["code", "name"])
      .where((eb) => eb.exists(eb.selectFrom("funding_request as fr").select("fr.id").whereRef("fr.icb_code", "=", "icb.code")))
      .orderBy("code")
      .execute();
  }
  if (scope.icbCodes.length === 0) return [];
  return db.selectFrom("icb").select(["code", "name"]).where("code", "in", scope.icbCodes).orderBy("code").execute();
}
