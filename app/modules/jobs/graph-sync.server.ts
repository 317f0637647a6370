import { z } from "zod";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { registerSweepTask } from "~/modules/housekeeping/schedule.server";
import { GraphError } from "~/modules/device-sync/client.server";
import { SecretKeyError } from "~/modules/device-sync/secret.server";
import { dueConnections, findRunOfJob, recordFailedRun, runSync, setNextSync } from "~/modules/device-sync/sync.server";
import * as repo from "~/modules/queue/repository.server";
import { registerJobHandler, wakeJobWorker, type JobHandler } from "~/modules/queue/worker.server";
import { AppError } from "~/utils/errors";
import { logFor } from "~/utils/log.server";

/**
 * Intune device syncs as background jobs: "Sync now" on a connection's page and the schedule
 * (queueDueSyncs, from the hourly housekeeping sweep) queue one; the worker runs it. The job's
 * scope is the connection, so the partial unique index on job allows one queued or running sync
 * per connection. A run's record names its job, so a job run again after its process died does
 * not sync twice.
 */
export const GRAPH_SYNC = "graph-sync";
export const connectionScope = (id: number) => `graph:${id}`;

const ParamsSchema = z.object({ connectionId: z.number().int().positive(), trigger: z.enum(["manual", "schedule"]) });

const FAILED = "Sorry, the sync failed and nothing was saved. Please try again; if it fails again, tell your administrator.";

export type StartSync = { queued: true; jobId: number } | { queued: false; jobId: number };

/** Queues a sync of a connection the caller has checked the user manages (or the schedule, user null). */
export async function startSync(db: Db, userId: number | null, connectionId: number, trigger: "manual" | "schedule"): Promise<StartSync> {
  const scope = connectionScope(connectionId);
  const jobId = await db.transaction().execute(async (trx) => {
    const id = await repo.insertJob(trx, { kind: GRAPH_SYNC, scope, params: { connectionId, trigger }, createdBy: userId });
    if (id !== null) {
      await recordAudit(trx, {
        userId,
        actor: userId === null ? "Intune sync schedule" : null,
        action: "graph_sync.queue",
        entityType: "graph_connection",
        entityId: String(connectionId),
        after: { job: id, trigger },
      });
    }
    return id;
  });
  if (jobId !== null) {
    wakeJobWorker();
    return { queued: true, jobId };
  }
  const active = await repo.findActiveJob(db, GRAPH_SYNC, scope);
  if (!active) throw new AppError(409, "A sync of this connection has just finished. Try again.");
  return { queued: false, jobId: active.id };
}

/** The queued or running sync of a connection, for its page. */
export async function activeSyncOf(db: Db, connectionId: number) {
  const job = await repo.findActiveJob(db, GRAPH_SYNC, connectionScope(connectionId));
  return job ? { jobId: job.id, status: job.status } : null;
}

/** Queues a run for each scheduled connection that is due, and moves its next run on. */
export async function queueDueSyncs(db: Db, now = new Date()) {
  const due = await dueConnections(db, now);
  let queued = 0;
  for (const c of due) {
    const r = await startSync(db, null, c.id, "schedule").catch(() => null);
    if (r?.queued) queued++;
    await setNextSync(db, c.id, new Date(now.getTime() + (c.sync_every_hours ?? 24) * 3_600_000));
  }
  return queued;
}

export const graphSyncJobHandler: JobHandler = {
  async run(db, job, progress) {
    const parsed = ParamsSchema.safeParse(job.params);
    if (!parsed.success) throw new Error("This job's details are not ones a sync understands. Nothing was synced.");
    const earlier = await findRunOfJob(db, job.id);
    if (earlier) return { syncRunId: earlier.id, counts: earlier.counts };
    let pending: Promise<void> = Promise.resolve();
    try {
      const r = await runSync(db, {
        connectionId: parsed.data.connectionId,
        trigger: parsed.data.trigger,
        userId: job.created_by,
        jobId: job.id,
        onProgress: (p) => {
          pending = pending.then(() => progress(p)).catch(() => {});
        },
      });
      await pending;
      return r;
    } catch (e) {
      if (e instanceof AppError || e instanceof GraphError || e instanceof SecretKeyError) throw new Error(e.message);
      logFor("graph-sync").error({ err: e, jobId: job.id }, "sync job failed");
      throw new Error(FAILED);
    }
  },
  async finish(trx, job, outcome) {
    if (outcome.status === "done") return; // the run and its audit event committed with the devices
    const p = ParamsSchema.safeParse(job.params);
    if (!p.success) return;
    await recordFailedRun(trx, {
      connectionId: p.data.connectionId,
      jobId: job.id,
      trigger: p.data.trigger,
      userId: job.created_by,
      error: outcome.error,
      startedAt: job.started_at ?? job.created_at,
    });
  },
};

registerJobHandler(GRAPH_SYNC, graphSyncJobHandler);
// Scheduled syncs that are due are queued by the hourly housekeeping sweep.
registerSweepTask("intune-sync-schedule", async (db) => {
  const queued = await queueDueSyncs(db);
  if (queued) logFor("graph-sync").info({ queued }, "queued scheduled Intune syncs");
});
