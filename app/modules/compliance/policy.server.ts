import type { Db } from "#db/connect";
import type { SessionUser } from "~/modules/auth/service.server";
import { recordAudit } from "~/modules/audit/repository.server";
import { badRequest, conflict, forbidden, notFound } from "~/utils/errors";
import { scopeCoversIcb, scopeFor } from "~/utils/permissions";
import { DEFAULT_POLICY, POLICY, isPolicyKey, policyValueSchema, resolvePolicy, type PolicyKey, type PolicyValues } from "./policy";
import { loadPolicyOverrides } from "./repository.server";

/**
 * An ICB's policy: every key with its value, the national default, whether the ICB changed it,
 * its source and whether the default is unconfirmed. A null ICB gets the national defaults.
 */
export async function getPolicy(db: Db, icbCode: string | null) {
  const rows = icbCode ? await loadPolicyOverrides(db, [icbCode]) : [];
  return resolvePolicy(rows);
}

/** Policy values for many ICBs in one query (for evaluation runs). */
export async function getPolicies(db: Db, icbCodes?: string[]): Promise<Map<string, PolicyValues>> {
  const rows = await loadPolicyOverrides(db, icbCodes);
  const byIcb = new Map<string, typeof rows>();
  for (const r of rows) byIcb.set(r.icb_code, [...(byIcb.get(r.icb_code) ?? []), r]);
  return new Map([...byIcb.entries()].map(([icb, list]) => [icb, resolvePolicy(list).values]));
}

export { policyFor } from "./policy";

async function authorise(db: Db, user: SessionUser, icbCode: string) {
  const icb = await db.selectFrom("icb").select("code").where("code", "=", icbCode).executeTakeFirst();
  if (!icb) throw notFound("ICB");
  if (!scopeCoversIcb(scopeFor(user.memberships, "policy:manage"), icbCode)) throw forbidden("Only the ICB's digital lead can change its local policy.");
}

const STALE = "Someone else changed this policy value since you opened it. Check the current value and try again.";

/**
 * Sets an ICB's value for one key. `version` is the override's version the user saw, or null
 * when they saw the national default; a mismatch is a conflict, never a silent overwrite.
 */
export async function setPolicyValue(db: Db, user: SessionUser, input: { icbCode: string; key: string; value: unknown; version: number | null }) {
  if (!isPolicyKey(input.key)) throw badRequest("That is not a local policy setting.");
  const key: PolicyKey = input.key;
  const parsed = policyValueSchema(key).safeParse(input.value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? `Enter a valid value for ${POLICY[key].label}`);
  await authorise(db, user, input.icbCode);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("icb_policy").selectAll().where("icb_code", "=", input.icbCode).where("key", "=", key).executeTakeFirst();
    const value = JSON.stringify(parsed.data);
    let version: number;
    if (!before) {
      if (input.version !== null) throw conflict(STALE);
      const row = await trx
        .insertInto("icb_policy")
        .values({ icb_code: input.icbCode, key, value, set_by: user.id })
        .onConflict((oc) => oc.columns(["icb_code", "key"]).doNothing())
        .returning("version")
        .executeTakeFirst();
      if (!row) throw conflict(STALE);
      version = row.version;
    } else {
      const row = await trx
        .updateTable("icb_policy")
        .set((eb) => ({ value, set_by: user.id, updated_at: new Date(), version: eb("version", "+", 1) }))
        .where("icb_code", "=", input.icbCode)
        .where("key", "=", key)
        .where("version", "=", input.version ?? -1)
        .returning("version")
        .executeTakeFirst();
      if (!row) throw conflict(STALE);
      version = row.version;
    }
    await recordAudit(trx, {
      userId: user.id,
      action: "policy.set",
      entityType: "icb_policy",
      entityId: `${input.icbCode}:${key}`,
      before: before ? { value: before.value, version: before.version } : { value: POLICY[key].default, default: true },
      after: { value: parsed.data, version },
    });
    return { key, value: parsed.data, version };
  });
}

/** Removes an ICB's override so the national default applies again. */
export async function resetPolicyValue(db: Db, user: SessionUser, input: { icbCode: string; key: string; version: number }) {
  if (!isPolicyKey(input.key)) throw badRequest("That is not a local policy setting.");
  const key: PolicyKey = input.key;
  await authorise(db, user, input.icbCode);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom("icb_policy")
      .where("icb_code", "=", input.icbCode)
      .where("key", "=", key)
      .where("version", "=", input.version)
      .returning(["value", "version"])
      .executeTakeFirst();
    if (!row) throw conflict(STALE);
    await recordAudit(trx, {
      userId: user.id,
      action: "policy.reset",
      entityType: "icb_policy",
      entityId: `${input.icbCode}:${key}`,
      before: { value: row.value, version: row.version },
      after: { value: POLICY[key].default, default: true },
    });
    return { key, value: POLICY[key].default };
  });
}
