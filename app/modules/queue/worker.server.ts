import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "#db/connect";
import * as repo from "./repository.server";
import { logFor } from "~/utils/log.server";
import { reduceHeap } from "~/utils/reduce-heap.server";

/**
 * What runs a job of one kind. It reports progress as it goes and returns the result stored on
 * the job; `finish` runs in the transaction that marks the job done (or failed), so an audit
 * event about the outcome commits with it.
 */
export type JobOutcome = { status: "done"; result: unknown } | { status: "failed"; error: string };

export interface JobHandler {
  run(db: Db, job: repo.JobRow, progress: (p: repo.JobProgress) => Promise<void>): Promise<unknown>;
  finish?(trx: Db, job: repo.JobRow, outcome: JobOutcome): Promise<void>;
  /**
   * Whether this run was large enough to have grown the heap (an import of a whole file, a
   * re-check of many practices): if so, once the job is recorded as finished, this process gives
   * back the heap it grew (utils/reduce-heap.server.ts) rather than keeping it for as long as it
   * serves pages. Small runs say no: the collection would pause the process for nothing.
   */
  reducesHeapAfter?(outcome: JobOutcome): boolean;
}

const handlers = new Map<string, JobHandler>();

/** Registers the code for a job kind (each kind's module registers itself when imported). */
export function registerJobHandler(kind: string, handler: JobHandler) {
  handlers.set(kind, handler);
}

/** A running process whose heartbeat is this old is taken to have died. */
export const STALE_SECONDS = 30;
const HEARTBEAT_MS = 5_000;
/** A job is tried this many times in all before it is marked failed. */
export const MAX_ATTEMPTS = 2;
const POLL_MS = 2_000;

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Runs one claimed job to its end: heartbeats while it runs, then done or failed. */
async function runJob(db: Db, id: number, worker: string) {
  const job = await repo.findJob(db, id);
  if (!job) return;
  const beat = setInterval(() => void repo.heartbeat(db, id, worker).catch(() => {}), HEARTBEAT_MS);
  beat.unref?.();
  const handler = handlers.get(job.kind);
  let outcome: JobOutcome;
  try {
    if (!handler) throw new Error(`No handler for jobs of kind "${job.kind}".`);
    let last = 0;
    let phase: string | undefined;
    const result = await handler.run(db, job, async (p) => {
      // Progress is a write: at most about one a second, and always a new phase and the last one.
      const now = Date.now();
      if (p.done < p.total && p.phase === phase && now - last < 1000) return;
      last = now;
      phase = p.phase;
      await repo.setProgress(db, id, worker, p);
    });
    outcome = { status: "done", result };
  } catch (e) {
    outcome = { status: "failed", error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearInterval(beat);
  }
  await db.transaction().execute(async (trx) => {
    if (await repo.finishJob(trx, id, worker, outcome)) await handler?.finish?.(trx, job, outcome);
  });
  // After the job is marked done, so its page does not wait for the collection.
  if (handler?.reducesHeapAfter?.(outcome)) await reduceHeap(`${job.kind} job ${id}`);
}

/**
 * One pass of a worker: recovers jobs whose process died, then claims and runs queued jobs one
 * at a time until none is left. Safe to call from several processes at once: each job is
 * claimed by exactly one (see claimNextJob). Returns the ids it ran.
 */
export async function runPendingJobs(db: Db, opts: { worker?: string; staleSeconds?: number; maxAttempts?: number } = {}) {
  const worker = opts.worker ?? newWorkerId();
  await repo.recoverStaleJobs(db, opts.staleSeconds ?? STALE_SECONDS, opts.maxAttempts ?? MAX_ATTEMPTS);
  const ran: number[] = [];
  for (;;) {
    const id = await repo.claimNextJob(db, worker, [...handlers.keys()]);
    if (id === null) return ran;
    await runJob(db, id, worker);
    ran.push(id);
  }
}

interface WorkerState {
  worker: string;
  busy: boolean;
  timer: ReturnType<typeof setInterval>;
  wake: () => void;
}
const g = globalThis as unknown as { __jobWorker?: WorkerState };

/**
 * Starts this process's job worker once (a global flag, so Vite's dev reloads and repeated
 * calls start one): it polls for queued jobs every two seconds, and at once when this process
 * queues one. `embedded` (PGlite: one process owns the database) means any job still marked
 * running at start belonged to a process that has gone, so it is recovered straight away
 * rather than after the heartbeat timeout.
 */
export function startJobWorker(getDb: () => Db, opts: { embedded: boolean }) {
  if (g.__jobWorker) return g.__jobWorker.worker;
  const worker = newWorkerId();
  let first = opts.embedded;
  const tick = () => {
    const state = g.__jobWorker;
    if (!state || state.busy) return;
    state.busy = true;
    const staleSeconds = first ? 0 : STALE_SECONDS;
    first = false;
    runPendingJobs(getDb(), { worker, staleSeconds })
      .catch((e) => logFor("jobs").error({ err: e }, "the job worker failed to run pending jobs"))
      .finally(() => {
        state.busy = false;
      });
  };
  const timer = setInterval(tick, POLL_MS);
  timer.unref?.();
  g.__jobWorker = { worker, busy: false, timer, wake: () => setImmediate(tick) };
  setImmediate(tick);
  return worker;
}

/** Lets this process's worker (if running) pick up a job just queued without waiting for its next poll. */
export function wakeJobWorker() {
  g.__jobWorker?.wake();
}

/** Stops the worker (tests; a graceful shutdown). A job already running finishes in the background. */
export function stopJobWorker() {
  if (g.__jobWorker) clearInterval(g.__jobWorker.timer);
  g.__jobWorker = undefined;
}
