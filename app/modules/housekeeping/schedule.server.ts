import type { Db } from "#db/connect";
import { logFor } from "~/utils/log.server";
import { removeExpired } from "./repository.server";

/** Every server process sweeps this often; the deletes are idempotent, so overlapping sweeps are harmless. */
const SWEEP_MS = 60 * 60 * 1000;

const g = globalThis as unknown as { __housekeeping?: ReturnType<typeof setInterval> };

const tasks = new Map<string, (db: Db) => Promise<unknown>>();

/**
 * Adds work to every sweep, by name (registering a name again replaces it). Modules that depend
 * on housekeeping register themselves, so housekeeping imports none of them: the Intune sync
 * schedule queues its due runs this way (app/modules/jobs/graph-sync.server.ts).
 */
export function registerSweepTask(name: string, task: (db: Db) => Promise<unknown>) {
  tasks.set(name, task);
}

/** One sweep: what it removed goes to the log (counts only). */
export async function sweep(db: Db) {
  const removed = await removeExpired(db);
  if (Object.values(removed).some((n) => n > 0)) logFor("housekeeping").info({ removed }, "removed expired records");
  for (const [name, task] of tasks) {
    await task(db).catch((e) => logFor("housekeeping").error({ err: e, task: name }, "housekeeping task failed"));
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
