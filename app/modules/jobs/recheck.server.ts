import type { Db } from "#db/connect";
import type { SessionUser } from "~/modules/auth/service.server";
import { recordAudit } from "~/modules/audit/repository.server";
import { evaluateScope, type EvaluationScope, type RunCounts } from "~/modules/compliance/evaluate.server";
import { findIcb } from "~/modules/org/repository.server";
import { forbidden, notFound } from "~/utils/errors";
import { scopeCoversIcb, scopeFor, type MembershipLike, type Scope } from "~/utils/permissions";
import { LARGE_WORK_ROWS } from "~/utils/reduce-heap.server";
import * as repo from "~/modules/queue/repository.server";
import { registerJobHandler, wakeJobWorker, type JobHandler } from "~/modules/queue/worker.server";

export const RECHECK = "recheck";

/** A re-check's scope as stored on the job: one ICB or all of England. */
export type RecheckScope = { icb: string } | { all: true };
export const scopeKey = (s: RecheckScope) => ("all" in s ? "all" : `icb:${s.icb}`);
export function parseScopeKey(key: string): RecheckScope | null {
  if (key === "all") return { all: true };
  const m = /^icb:([A-Z0-9]{3,5})$/.exec(key);
  return m ? { icb: m[1] } : null;
}

/** Who may re-check: an ICB's digital lead or an admin for an ICB (they set the policy it applies), admins alone for England. */
export function canStartRecheck(memberships: readonly MembershipLike[], scope: RecheckScope) {
  const manage = scopeFor(memberships, "policy:manage");
  return "all" in scope ? manage.all : scopeCoversIcb(manage, scope.icb);
}

/** Who may see a re-check job: anyone who may read the whole ICB (its ICB-level pages), or England for a national one. */
export const canViewRecheck = (read: Scope, scopeKeyValue: string) => {
  const s = parseScopeKey(scopeKeyValue);
  if (!s) return read.all;
  return "all" in s ? read.all : scopeCoversIcb(read, s.icb);
};

/** What the audit trail and the job page show about a finished re-check. */
export const recheckSummary = (counts: RunCounts, runId: number, asOf: string) => ({
  asOf,
  runId,
  practices: counts.practices,
  results: counts.results,
  written: counts.written,
  removed: counts.removed,
  unchanged: counts.unchanged,
  byStatus: counts.byStatus,
  gaps: counts.gaps,
});
export type RecheckSummary = ReturnType<typeof recheckSummary>;

/** The audit event's entity for a scope: the practice, the ICB, or England. */
export function auditEntity(scope: EvaluationScope | RecheckScope) {
  if ("all" in scope) return { entityType: "england", entityId: "all" };
  if ("icb" in scope) return { entityType: "icb", entityId: scope.icb };
  return { entityType: scope.practices.length === 1 ? "practice" : "practices", entityId: scope.practices.join(",").slice(0, 200) };
}

export type StartRecheck =
  | { queued: true; jobId: number }
  | { queued: false; existing: { jobId: number; startedBy: string | null; createdAt: Date; status: string } };

/**
 * Queues a re-check of an ICB or of England for `asOf`, unless one is already queued or running
 * for the same scope (then says which, and by whom). The job row and a "queued" audit event
 * commit together; the outcome's event is written when the job finishes.
 */
export async function startRecheck(db: Db, user: SessionUser, scope: RecheckScope, asOf: string): Promise<StartRecheck> {
  if (!canStartRecheck(user.memberships, scope)) {
    throw forbidden(
      "all" in scope
        ? "Only an admin can re-check every practice in England."
        : "Only the ICB's digital lead or an admin can re-check every practice in the ICB.",
    );
  }
  if ("icb" in scope && !(await findIcb(db, scope.icb))) throw notFound("ICB");
  const key = scopeKey(scope);
  const jobId = await db.transaction().execute(async (trx) => {
    const id = await repo.insertJob(trx, { kind: RECHECK, scope: key, params: { asOf }, createdBy: user.id });
    if (id !== null)
      await recordAudit(trx, {
        userId: user.id,
        action: "compliance.recheck.queue",
        ...auditEntity(scope),
        after: { jobId: id, scope: key, asOf },
      });
    return id;
  });
  if (jobId !== null) {
    wakeJobWorker();
    return { queued: true, jobId };
  }
  const existing = await repo.findActiveJob(db, RECHECK, key);
  if (!existing) return startRecheck(db, user, scope, asOf); // it finished in between: queue ours
  return {
    queued: false,
    existing: { jobId: existing.id, startedBy: existing.created_by_name, createdAt: existing.created_at, status: existing.status },
  };
}

/** Runs queued re-checks (registered below). */
export const recheckJobHandler: JobHandler = {
  async run(db, job, progress) {
    const scope = parseScopeKey(job.scope);
    const asOf = (job.params as { asOf?: string }).asOf;
    if (!scope || !asOf) throw new Error(`This job's scope (${job.scope}) or date is not one a re-check understands.`);
    let pending: Promise<void> = Promise.resolve();
    const r = await evaluateScope(db, scope, asOf, {
      userId: job.created_by,
      // onProgress is synchronous: chain the writes so they stay in order and the last one lands.
      onProgress: (p) => {
        pending = pending.then(() => progress({ done: p.done, total: p.total })).catch(() => {});
      },
    });
    await pending;
    await progress({ done: r.counts.practices, total: r.counts.practices });
    return recheckSummary(r.counts, r.runId, asOf);
  },
  // An ICB or national re-check reads every practice's estate on this process's main thread;
  // measured after an ICB re-check, the process kept about 100 MiB more heap than when idle
  // (docs/performance.md, session 14). These jobs are rare (a lead's or an admin's button).
  // One that judged fewer than LARGE_WORK_ROWS results (about 185 practices) grew too little
  // to be worth the pause; a failed one is collected, as its size is not known.
  reducesHeapAfter: (outcome) => outcome.status === "failed" || (outcome.result as RecheckSummary).results >= LARGE_WORK_ROWS,
  async finish(trx, job, outcome) {
    const scope = parseScopeKey(job.scope) ?? { all: true as const };
    await recordAudit(trx, {
      userId: job.created_by,
      action: outcome.status === "done" ? "compliance.recheck" : "compliance.recheck.fail",
      ...auditEntity(scope),
      after:
        outcome.status === "done"
          ? { source: "job", jobId: job.id, scope: job.scope, ...(outcome.result as object) }
          : { source: "job", jobId: job.id, scope: job.scope, error: outcome.error },
    });
  },
};
registerJobHandler(RECHECK, recheckJobHandler);
