import { hostname } from "node:os";
import type { Db } from "#db/connect";
import { claimKeptKey } from "~/modules/kept-figures/service.server";
import { logFor } from "~/utils/log.server";
import { removeExpired } from "./repository.server";

/** Every server process sweeps this often; the deletes are idempotent, so overlapping sweeps are harmless. */
const SWEEP_MS = 60 * 60 * 1000;

const g = globalThis as unknown as { __housekeeping?: ReturnType<typeof setInterval> };

export interface SweepTaskOptions {
  /**
   * Run by one process only in each round (the UTC hour a sweep starts in), across every process
   * sharing the database. For work whose result is the same whichever process does it and that
   * costs enough to matter: production runs several server processes on one port (scripts/serve.ts),
   * all sweeping at about the same time, on a machine with few cores. The first process to claim
   * the round runs the task; the others pass over it until the next round. The claim is one row
   * written in one statement (claimKeptKey), not a transaction or lock held while the task runs,
   * so a process that dies mid-way leaves only a claim for its own hour: the next round runs as
   * usual (a task opting in should, like the forecasts, leave what it finished stored, so that
   * round carries on from there).
   */
  once?: boolean;
}

const tasks = new Map<string, { run: (db: Db) => Promise<unknown>; once: boolean }>();

/**
 * Adds work to every sweep, by name (registering a name again replaces it). Modules that depend
 * on housekeeping register themselves, so housekeeping imports none of them: the Intune sync
 * schedule queues its due runs this way (app/modules/jobs/graph-sync.server.ts).
 */
export function registerSweepTask(name: string, task: (db: Db) => Promise<unknown>, options: SweepTaskOptions = {}) {
  tasks.set(name, { run: task, once: options.once ?? false });
}

/**
 * The round a sweep belongs to: the UTC hour it starts in ("2026-12-07T05"), which sorts in time
 * order. Processes started together sweep within seconds of each other, so they share a round; a
 * process restarted later in the hour finds the round claimed and waits for the next.
 */
export const sweepRound = (at: Date) => at.toISOString().slice(0, 13);

/** Who claimed a round, for anyone looking at the row. */
const sweeper = `${hostname()}:${process.pid}`;

/**
 * One sweep: what it removed goes to the log (counts only). The deletes run in every process (they
 * are cheap, and idempotent); a task registered `once` runs only if this process claims the round
 * of `at` for it.
 */
export async function sweep(db: Db, at = new Date()) {
  const removed = await removeExpired(db);
  if (Object.values(removed).some((n) => n > 0)) logFor("housekeeping").info({ removed }, "removed expired records");
  const round = sweepRound(at);
  for (const [name, task] of tasks) {
    const run = async () => {
      if (task.once && !(await claimKeptKey(db, "sweep_claim", name, round, { by: sweeper, at: at.toISOString() }))) return;
      await task.run(db);
    };
    await run().catch((e) => logFor("housekeeping").error({ err: e, task: name }, "housekeeping task failed"));
  }
  return removed;
}

/** Starts the hourly sweep once per process (soon after start, then every hour). */
export function startHousekeeping(getDb: () => Db) {
  if (g.__housekeeping) return;
  const run = () => void sweep(getDb()).catch((e) => logFor("housekeeping").error({ err: e }, "housekeeping failed"));
  setTimeout(run, 30_000).unref?.();
  g.__housekeeping = setInterval(run, SWEEP_MS);
  g.__housekeeping.unref?.();
}
