import type { Db } from "#db/connect";
import { logFor } from "~/utils/log.server";
import { reduceHeap } from "~/utils/reduce-heap.server";
import { storedUploadIds } from "./repository.server";

/**
 * Drops what a server process keeps for an upload (its parsed rows, its last check: up to
 * 100,000 and 150,000 rows) once the upload has gone from the database, whichever process or
 * machine imported or cancelled it.
 *
 * Why: the import forgets its upload's rows only in the process that runs it. The check page is
 * often served by another (another connection, another machine against the same database), and
 * that process kept the 50,000-row check until its next import touched the cache, however long
 * after: the entries' 30 and 10 minutes were only looked at then.
 *
 * How: while anything is kept, a timer that never keeps the process alive asks the database
 * every SWEEP_MS which of the kept uploads still exist (one indexed query for all of them) and
 * drops the rest, and drops entries past their time. With nothing kept there is no timer and no
 * query. Started by the server process with its job worker (jobs/start.server.ts); tests call
 * `sweepKeptUploads` themselves.
 */

export const SWEEP_MS = 10_000;
/** Dropping this many rows at once is worth giving the heap back for (reduce-heap.server.ts). */
const REDUCE_AFTER_ROWS = 10_000;

/** A cache of rows keyed by upload id. */
export interface KeptByUpload {
  uploadIds(): string[];
  /** Drops the entries past their time; returns the rows dropped. */
  expire(now: number): number;
  /** Drops the entries of these uploads; returns the rows dropped. */
  drop(ids: ReadonlySet<string>): number;
}

const caches: KeptByUpload[] = [];
let getDb: (() => Db) | null = null;
let timer: NodeJS.Timeout | null = null;

export function registerKeptByUpload(cache: KeptByUpload) {
  caches.push(cache);
}

/** Lets this process sweep its caches on a timer (the server process, once). */
export function startKeptUploadSweep(db: () => Db) {
  getDb = db;
  sweepWhileKept();
}

/** Called when something is kept: starts the timer if this process sweeps and it is not running. */
export function sweepWhileKept() {
  if (!getDb || timer) return;
  timer = setInterval(() => {
    void sweepKeptUploads(getDb!()).catch((err) => logFor("import").warn({ err }, "could not check the kept uploads"));
  }, SWEEP_MS);
  timer.unref();
}

/** One sweep: entries past their time, then those whose upload is no longer stored. Returns the rows dropped. */
export async function sweepKeptUploads(db: Db): Promise<number> {
  const now = Date.now();
  let dropped = caches.reduce((n, c) => n + c.expire(now), 0);
  const ids = [...new Set(caches.flatMap((c) => c.uploadIds()))];
  if (ids.length) {
    const present = await storedUploadIds(db, ids);
    const gone = new Set(ids.filter((id) => !present.has(id)));
    if (gone.size) dropped += caches.reduce((n, c) => n + c.drop(gone), 0);
  }
  if (timer && caches.every((c) => c.uploadIds().length === 0)) {
    clearInterval(timer);
    timer = null;
  }
  if (dropped >= REDUCE_AFTER_ROWS) void reduceHeap(`${dropped} kept import rows dropped`);
  return dropped;
}
