import type { Db, Trx } from "#db/connect";
import type { SessionUser } from "~/modules/auth/service.server";
import { recordAudit } from "~/modules/audit/repository.server";
import { badRequest, conflict, forbidden, notFound } from "~/utils/errors";
import { scopeCoversIcb, scopeFor } from "~/utils/permissions";
import { POLICY, isPolicyKey, policyValueSchema, resolvePolicy, type PolicyKey, type PolicyValues } from "~/modules/catalogue/policy";
import { loadPolicyOverrides } from "./repository.server";
import * as policyRepo from "./policy-repository.server";
import * as jobs from "~/modules/queue/repository.server";
import { wakeJobWorker } from "~/modules/queue/worker.server";
import { todayIso } from "~/utils/today";

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

export { policyFor } from "~/modules/catalogue/policy";

async function authorise(db: Db, user: SessionUser, icbCode: string) {
  if (!(await policyRepo.icbExists(db, icbCode))) throw notFound("ICB");
  if (!scopeCoversIcb(scopeFor(user.memberships, "policy:manage"), icbCode))
    throw forbidden("Only the ICB's digital lead can change its local policy.");
}

const STALE = "Someone else changed this policy value since you opened it. Check the current value and try again.";

/** Settings whose change alters which requirements every practice in the ICB is judged on. */
const RECHECK_ON_CHANGE: ReadonlySet<PolicyKey> = new Set(["framework_version"]);

/** What happened to the re-check a framework version change asks for. */
export type PolicyRecheck =
  | { queued: true; jobId: number }
  | { queued: false; existing: { jobId: number; status: string; startedBy: string | null; createdAt: Date } };

/**
 * Queues a re-check of the whole ICB in the change's own transaction (the kind and scope are
 * the re-check job's, app/modules/jobs/recheck.server.ts), so the change and the job that
 * applies it commit together; the request itself judges nothing. When a re-check is already
 * queued it reads the new value when it starts; one already running started with the old value,
 * and the page says to re-check again when it ends.
 */
async function queueRecheck(trx: Trx, user: SessionUser, icbCode: string): Promise<PolicyRecheck> {
  const scope = `icb:${icbCode}`;
  const asOf = todayIso();
  const jobId = await jobs.insertJob(trx, { kind: "recheck", scope, params: { asOf }, createdBy: user.id });
  if (jobId !== null) {
    await recordAudit(trx, {
      userId: user.id,
      action: "compliance.recheck.queue",
      entityType: "icb",
      entityId: icbCode,
      after: { jobId, scope, asOf, reason: "framework_version" },
    });
    return { queued: true, jobId };
  }
  const existing = await jobs.findActiveJob(trx, "recheck", scope);
  if (!existing) throw conflict("A re-check of this ICB was finishing at the same moment. Save the value again.");
  return {
    queued: false,
    existing: { jobId: existing.id, status: existing.status, startedBy: existing.created_by_name, createdAt: existing.created_at },
  };
}

/**
 * Sets an ICB's value for one key. `version` is the override's version the user saw, or null
 * when they saw the national default; a mismatch is a conflict, never a silent overwrite.
 */
export async function setPolicyValue(
  db: Db,
  user: SessionUser,
  input: { icbCode: string; key: string; value: unknown; version: number | null },
) {
  if (!isPolicyKey(input.key)) throw badRequest("That is not a local policy setting.");
  const key: PolicyKey = input.key;
  const parsed = policyValueSchema(key).safeParse(input.value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]?.message ?? `Enter a valid value for ${POLICY[key].label}`);
  await authorise(db, user, input.icbCode);
  return db
    .transaction()
    .execute(async (trx) => {
      const before = await policyRepo.findPolicyValue(trx, input.icbCode, key);
      const value = JSON.stringify(parsed.data);
      let version: number;
      if (!before) {
        if (input.version !== null) throw conflict(STALE);
        const row = await policyRepo.insertPolicyValue(trx, { icb_code: input.icbCode, key, value, set_by: user.id });
        if (!row) throw conflict(STALE);
        version = row.version;
      } else {
        const row = await policyRepo.updatePolicyValue(trx, input.icbCode, key, input.version ?? -1, { value, set_by: user.id });
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
      const previous = before ? before.value : POLICY[key].default;
      const recheck = RECHECK_ON_CHANGE.has(key) && previous !== parsed.data ? await queueRecheck(trx, user, input.icbCode) : null;
      return { key, value: parsed.data, version, recheck };
    })
    .then(afterCommit);
}

/** Wakes this process's job worker once the transaction that queued a re-check has committed. */
function afterCommit<T extends { recheck: PolicyRecheck | null }>(r: T): T {
  if (r.recheck?.queued) wakeJobWorker();
  return r;
}

/** Removes an ICB's override so the national default applies again. */
export async function resetPolicyValue(db: Db, user: SessionUser, input: { icbCode: string; key: string; version: number }) {
  if (!isPolicyKey(input.key)) throw badRequest("That is not a local policy setting.");
  const key: PolicyKey = input.key;
  await authorise(db, user, input.icbCode);
  return db
    .transaction()
    .execute(async (trx) => {
      const row = await policyRepo.deletePolicyValue(trx, input.icbCode, key, input.version);
      if (!row) throw conflict(STALE);
      await recordAudit(trx, {
        userId: user.id,
        action: "policy.reset",
        entityType: "icb_policy",
        entityId: `${input.icbCode}:${key}`,
        before: { value: row.value, version: row.version },
        after: { value: POLICY[key].default, default: true },
      });
      const recheck = RECHECK_ON_CHANGE.has(key) && row.value !== POLICY[key].default ? await queueRecheck(trx, user, input.icbCode) : null;
      return { key, value: POLICY[key].default, recheck };
    })
    .then(afterCommit);
}
