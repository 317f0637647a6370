import type { Db } from "#db/connect";
import { logFor } from "~/utils/log.server";
import { LARGE_WORK_ROWS, reduceHeap } from "~/utils/reduce-heap.server";
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

/**
 * What a process keeps per upload (parsed rows, a check), with the same bounds for each kind:
 * entries expire after `ttlMs`, an entry of more than `maxRows` rows is not kept, the oldest go
 * first when the rows held pass `maxRows`, and every entry is in the sweep above.
 */
export class UploadRowsCache<T> implements KeptByUpload {
  private readonly entries = new Map<string, { value: T; storedAt: number }>();

  constructor(private readonly bounds: { rowsOf: (value: T) => number; maxRows: number; ttlMs: number }) {
    registerKeptByUpload(this);
  }

  uploadIds() {
    return [...this.entries.keys()];
  }

  expire(now: number) {
    let rows = 0;
    for (const [id, e] of this.entries)
      if (now - e.storedAt > this.bounds.ttlMs) {
        this.entries.delete(id);
        rows += this.bounds.rowsOf(e.value);
      }
    return rows;
  }

  drop(ids: ReadonlySet<string>) {
    let rows = 0;
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e) rows += this.bounds.rowsOf(e.value);
      this.entries.delete(id);
    }
    return rows;
  }

  /** Keeps this upload's value in place of any before (a value over the cap is not kept). */
  keep(uploadId: string, value: T) {
    this.entries.delete(uploadId);
    if (this.bounds.rowsOf(value) > this.bounds.maxRows) return;
    this.entries.set(uploadId, { value, storedAt: Date.now() });
    this.prune(Date.now());
    sweepWhileKept();
  }

  get(uploadId: string): T | undefined {
    this.prune(Date.now());
    return this.entries.get(uploadId)?.value;
  }

  forget(uploadId: string) {
    this.entries.delete(uploadId);
  }

  /** How many uploads have something kept (for tests). */
  get size() {
    return this.entries.size;
  }

  private prune(now: number) {
    this.expire(now);
    let held = [...this.entries.values()].reduce((n, e) => n + this.bounds.rowsOf(e.value), 0);
    // Oldest first: a Map iterates in insertion order.
    for (const [id, e] of this.entries) {
      if (held <= this.bounds.maxRows) break;
      this.entries.delete(id);
      held -= this.bounds.rowsOf(e.value);
    }
  }
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
  if (dropped >= LARGE_WORK_ROWS) void reduceHeap(`${dropped} kept import rows dropped`);
  return dropped;
}
