import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ChunkJudgement, ChunkReads, JudgeContext, RunCounts } from "./judge";
import { IdleThreads } from "~/utils/idle-threads.server";
import { processHeapLimits, workerWithHeap } from "~/utils/thread-heap.server";
import { logFor } from "~/utils/log.server";

/**
 * Worker threads for the rules (issue 12): a national re-evaluation judges chunks on the spare
 * core(s) while the main thread reads the next chunks and stores the previous one.
 *
 * How the worker's code is found, the same way under tsx, Vitest and the bundled server: the
 * worker entry (judge.worker.ts) and the pure judging code it imports are bundled in memory by
 * esbuild (already installed: tsx and Vite are built on it) into one CommonJS string, once per
 * process, and each thread runs that string (`eval: true`). The entry is looked for next to
 * this module (tsx, Vitest) and then under the working directory's app/ (the built server runs
 * from the project folder, as `npm start` does). Where neither exists, or esbuild is missing
 * (a production install without dev dependencies), evaluation stays on the main thread: the
 * same code, only slower.
 */

const ENTRY = "app/modules/compliance/judge.worker.ts";
const g = globalThis as unknown as { __judgeWorkerCode?: Promise<string | null> };

function entryPath() {
  const candidates: string[] = [];
  try {
    // Not `new URL(..., import.meta.url)`: Vite would copy the bare .ts file as an asset.
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), "judge.worker.ts"));
  } catch {
    // import.meta.url is not a file URL: only the working directory is left.
  }
  candidates.push(path.resolve(process.cwd(), ENTRY));
  return candidates.find((c) => existsSync(c)) ?? null;
}

async function bundle(): Promise<string | null> {
  const entry = entryPath();
  if (!entry) return null;
  try {
    const esbuild = await import("esbuild");
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "cjs",
      // pg's optional native binding is never used here (nor installed).
      external: ["pg-native"],
      target: "node20",
      write: false,
      logLevel: "silent",
    });
    return out.outputFiles[0].text;
  } catch (e) {
    logFor("evaluation").warn({ err: e }, "evaluation worker threads are unavailable, evaluating on the main thread");
    return null;
  }
}

/** The worker's code, bundled once per process (null when worker threads are unavailable). */
export const workerCode = () => (g.__judgeWorkerCode ??= bundle());

/**
 * How many threads an evaluation of `chunks` chunks uses: none inside a caller's transaction
 * (small re-checks after an estate change, where the one connection is the limit) or for a
 * single chunk (nothing to overlap); otherwise `requested`, or EVALUATION_THREADS, or one per
 * core but at most 2 (the database needs a core too).
 */
export function threadsFor(requested: number | undefined, chunks: number, inTransaction: boolean) {
  if (inTransaction || chunks < 2) return 0;
  const env = process.env.EVALUATION_THREADS;
  const n = requested ?? (env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.min(2, availableParallelism()));
  return Math.max(0, Math.min(n, chunks, 8));
}

type Reply = { id: number; judgement: ChunkJudgement; counts: RunCounts } | { id: number; error: string } | { closed: true };

/**
 * Threads kept between runs, so a run starts with threads whose rules are already compiled:
 * a cold thread runs its first chunks unoptimised (a national run on fresh threads took about a
 * third more CPU than one on threads that had judged before). A thread is lent to one run at a
 * time, comes back when the run closes it cleanly (its database pool closed, nothing in flight),
 * and is stopped after IDLE_MS unused. Idle threads are unref'd, so they never keep a script or
 * a test run alive.
 */
const IDLE_MS = 120_000;
const MAX_IDLE = 8;
const gp = globalThis as unknown as { __judgeIdleThreads?: IdleThreads };
const pool = (gp.__judgeIdleThreads ??= new IdleThreads(IDLE_MS));

function takeThreads(code: string, n: number): Worker[] {
  const workers = pool.take(n);
  // The heap the process's flags gave threads before, through workerWithHeap (thread-heap.server.ts says why).
  while (workers.length < n) workers.push(workerWithHeap(code, processHeapLimits()));
  return workers;
}

const returnThread = (w: Worker) => pool.keep(w, MAX_IDLE);

/** Message ids are unique across runs, so a late reply from an earlier run can never be taken for this one's. */
let nextMessageId = 1;

/** A few worker threads judging chunks for one evaluation run. */
export class EvaluationThreads {
  private readonly pending = new Map<
    number,
    { resolve: (r: { judgement: ChunkJudgement; counts: RunCounts }) => void; reject: (e: Error) => void; worker: number }
  >();
  private readonly load: number[];
  private failed: Error | null = null;
  private readonly listeners: { message: (r: Reply) => void; error: (e: Error) => void; exit: (code: number) => void }[];

  get size() {
    return this.workers.length;
  }

  /** The threads' ids (a run on warm threads has those of an earlier run). */
  get threadIds() {
    return this.workers.map((w) => w.threadId);
  }

  private constructor(private readonly workers: Worker[]) {
    this.load = workers.map(() => 0);
    this.listeners = workers.map((w, i) => {
      const l = {
        message: (r: Reply) => this.settle(i, r),
        error: (e: Error) => this.fail(e),
        exit: (code: number) => {
          if (code !== 0) this.fail(new Error(`An evaluation worker thread stopped (exit code ${code}).`));
        },
      };
      w.on("message", l.message);
      w.on("error", l.error);
      w.on("exit", l.exit);
      return l;
    });
  }

  /**
   * Starts `n` threads for a run (warm ones from earlier runs first), or null when worker threads
   * are unavailable here. With a `databaseUrl` (PostgreSQL) each thread opens its own small pool
   * and can read chunks itself (`read`); without one (PGlite: one connection, in this process) it
   * judges rows it is sent.
   */
  static async open(n: number, ctx: JudgeContext, asOf: string, databaseUrl: string | null = null): Promise<EvaluationThreads | null> {
    if (n < 1) return null;
    const code = await workerCode();
    if (!code) return null;
    const workers = takeThreads(code, n);
    for (const w of workers) w.postMessage({ type: "init", ctx, asOf, databaseUrl });
    const threads = new EvaluationThreads(workers);
    threads.reads = databaseUrl !== null;
    return threads;
  }

  /** Whether the threads read their own chunks (`read`), or must be sent the rows (`judge`). */
  reads = false;

  /** Judges one chunk's rows on the least busy thread. */
  judge(reads: ChunkReads): Promise<{ judgement: ChunkJudgement; counts: RunCounts }> {
    return this.send({ type: "judge", reads });
  }

  /** Reads and judges one chunk of practices on the least busy thread, over its own connection. */
  read(codes: string[]): Promise<{ judgement: ChunkJudgement; counts: RunCounts }> {
    return this.send({ type: "read", codes });
  }

  private send(message: { type: "judge"; reads: ChunkReads } | { type: "read"; codes: string[] }) {
    if (this.failed) return Promise.reject(this.failed);
    const id = nextMessageId++;
    const worker = this.load.indexOf(Math.min(...this.load));
    this.load[worker]++;
    return new Promise<{ judgement: ChunkJudgement; counts: RunCounts }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker });
      this.workers[worker].postMessage({ ...message, id });
    });
  }

  private settle(worker: number, r: Reply) {
    if ("closed" in r) {
      this.closed[worker]?.();
      return;
    }
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    this.load[p.worker]--;
    if ("error" in r) p.reject(new Error(r.error));
    else p.resolve({ judgement: r.judgement, counts: r.counts });
  }

  private fail(e: Error) {
    this.failed ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private readonly closed: (() => void)[] = [];

  /**
   * Ends the run on its threads: each finishes what it was asked and closes its database pool
   * (so PostgreSQL sees the connections end rather than drop), waiting at most a few seconds,
   * then goes back to the pool. A thread that failed, did not answer in time, or still had work
   * of this run is stopped instead.
   */
  async close() {
    const abandoned = this.pending.size > 0;
    await Promise.all(
      this.workers.map(async (w, i) => {
        let answered = false;
        if (!this.failed) {
          const done = new Promise<void>((resolve) => {
            this.closed[i] = () => {
              answered = true;
              resolve();
            };
            setTimeout(resolve, 5000).unref();
          });
          w.postMessage({ type: "close" });
          await done;
        }
        const l = this.listeners[i];
        w.off("message", l.message);
        w.off("error", l.error);
        w.off("exit", l.exit);
        if (answered && !abandoned && !this.failed) returnThread(w);
        else await w.terminate();
      }),
    );
  }
}
