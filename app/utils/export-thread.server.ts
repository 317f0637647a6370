import type { Worker } from "node:worker_threads";
import type { Db } from "#db/connect";
import type { Scope } from "./permissions";
import { postgresUrlOf } from "#db/postgres";
import { ExportBusyError, ExportStalledError, exportBounds } from "./export-bounds";
import type { FromExportThread, ToExportThread } from "./export-thread-protocol";
import { logFor } from "./log.server";
import { workerWithHeap } from "./thread-heap.server";
import { bundleWorker } from "./worker-bundle.server";

/**
 * Streamed exports off the pages' event loop (issue 12, "busy service"). Reading the England-wide
 * gap register and encoding it as CSV or XLSX is seconds of CPU; on the server process's main
 * thread it delayed every page that process served. On PostgreSQL an export now runs in a worker
 * thread of the process (export.worker.ts) at a lower priority, reading over its own small pool
 * and passing the file's bytes back a chunk at a time, each when the client has taken the last.
 *
 * At most EXPORT_THREADS exports (default 1) run per server process at once; the others wait
 * their turn, so memory stays bounded however many are asked for. On PGlite (one connection, in
 * this process) and where threads are unavailable the export runs in-process, as before: the
 * same producer, same bytes.
 *
 * Neither the slot nor the queue can be held for ever by one request:
 *
 * - A running export whose client has taken nothing for EXPORT_STALL_SECONDS (default 30) gives
 *   up: its producer in the thread is cancelled, its slot passes to the next export, and the
 *   body fails with an `ExportStalledError`, so the server destroys the connection
 *   (scripts/server/send-body.ts) and the client sees a broken download, never a short file that
 *   looks complete. "Taken nothing" is measured as the time a ready chunk (64 KiB) waits to be
 *   asked for, that is until the socket has room for the one before: the kernel reports room
 *   only once a good part of its buffer is free (half of it on a Unix socket, about a third on
 *   TCP), so a client slower than roughly that much per bound counts as stalled (a few KB/s at
 *   30 s). A client that reads slowly but steadily runs to the end. The bound is shorter than the
 *   wait below, so an export queued behind a stalled one gets its turn rather than a 503.
 * - An export waiting for a slot has sent nothing yet, not even its status line and headers
 *   (they go out with the first bytes). After EXPORT_WAIT_SECONDS (default 50, below the 60 s
 *   idle timeout common to proxies and load balancers) it leaves the queue and its body fails
 *   with an `ExportBusyError` before any byte, which the server answers as 503 Service
 *   Unavailable with Retry-After and a message saying to try again, rather than a download.
 *
 * Only plain values cross to the thread: the producer's name and the parameters the route built
 * after its own permission and scope checks (scope, parsed filters, format, date).
 */

export type ExportBody = ReadableStream<Uint8Array>;

/** A streamed export a thread can run by name: `body` builds the file's stream from plain `params`. */
export interface ExportProducer<P> {
  name: string;
  body: (db: Db, params: P) => ExportBody | Promise<ExportBody>;
}

export { ExportBusyError, ExportStalledError, exportBounds };

export const defineExport = <P>(name: string, body: ExportProducer<P>["body"]): ExportProducer<P> => ({ name, body });

const log = () => logFor("export");
const g = globalThis as unknown as { __exportWorkerCode?: Promise<string | null>; __exportThreadState?: ExportThreads };

/** The export thread's code, bundled once per process (null where threads are unavailable). */
const workerCode = () => (g.__exportWorkerCode ??= bundleWorker("utils/export.worker.ts", "export"));

/** How many exports run at once in a server process: EXPORT_THREADS, 1 by default (1 to 4). */
export function exportConcurrency() {
  const env = process.env.EXPORT_THREADS;
  const n = env !== undefined && /^\d+$/.test(env) ? Number(env) : 1;
  return Math.max(1, Math.min(4, n));
}

/**
 * The thread's heap: a young generation smaller than the main thread's default, and an old one
 * capped, so the thread collects as it goes rather than growing the process (each process is
 * held to 600 MB). An export holds a batch and its running totals, a few MB; a thread that
 * still ran out would end its download with an error, not the process. The server's own heap
 * flags would override these (workerWithHeap, thread-heap.server.ts, sees that they do not): the
 * thread held 2 x 32 MB of semi-spaces whatever it kept.
 */
const THREAD_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };

interface ExportThreads {
  running: number;
  waiting: (() => void)[];
}
const threads = (g.__exportThreadState ??= { running: 0, waiting: [] });

/** Exports running and waiting their turn in this process (for tests and the logs). */
export const exportsUnderWay = () => ({ running: threads.running, waiting: threads.waiting.length });

/**
 * A thread for one export, stopped when it ends rather than kept for the next: an England-wide
 * export leaves its thread's heap and the buffers it freed in the process, and a thread kept idle
 * held them (the process stayed 80-220 MB above its size before the download for as long as it
 * was kept). The price is a cold start each time: the bundle's 0.25 s, and code that runs
 * unoptimised for a while, about 0.5-1.5 s of CPU on an England-wide CSV (5-6 s warm), at nice
 * 10 and off the pages' thread (docs/performance.md, session 13).
 */
const startThread = (code: string): Worker => workerWithHeap(code, THREAD_HEAP);

/**
 * A place in the queue for a slot: `granted` once the slot is this export's (at once when one is
 * free); `leave` gives the slot back, or the place in the queue (the client left while waiting).
 */
function takeTurn() {
  const t = { granted: false, turn: Promise.resolve(), leave: () => {} };
  if (threads.running < exportConcurrency()) {
    threads.running++;
    t.granted = true;
  } else {
    let go!: () => void;
    t.turn = new Promise<void>((resolve) => {
      go = () => {
        t.granted = true;
        resolve();
      };
    });
    threads.waiting.push(go);
    t.leave = () => {
      const i = threads.waiting.indexOf(go);
      if (i >= 0) threads.waiting.splice(i, 1);
    };
  }
  const wait = t.leave;
  t.leave = () => (t.granted ? endTurn() : wait());
  return t;
}

function endTurn() {
  const next = threads.waiting.shift();
  if (next) next();
  else threads.running--;
}

/** How long a thread has to wind down (stop reading, close its pool) before it is stopped. */
const WIND_DOWN_MS = 5000;

/** One export in a thread, seen from the main thread as the response body's stream. */
function threadStream(code: string, databaseUrl: string, producer: string, params: unknown): ExportBody {
  const { stallMs, waitMs } = exportBounds();
  let worker: Worker | null = null;
  let reply: ((m: FromExportThread | Error) => void) | null = null;
  let windDown: (() => void) | null = null;
  let stall: NodeJS.Timeout | null = null;
  let over = false;
  const turn = takeTurn();

  const onMessage = (m: FromExportThread) => {
    if (m.type === "done") windDown?.();
    else reply?.(m);
  };
  const onFailure = (e: Error | number) => {
    const err = typeof e === "number" ? new Error(`The export thread stopped (exit code ${e}).`) : e;
    reply?.(err);
    windDown?.();
  };
  const clearStall = () => {
    if (stall) clearTimeout(stall);
    stall = null;
  };

  /** Stops the thread once it has closed its pool (or failed to in time), then frees the slot. */
  const release = async () => {
    if (over) return;
    over = true;
    clearStall();
    const w = worker;
    if (!w) {
      turn.leave();
      return;
    }
    await new Promise<void>((resolve) => {
      windDown = resolve;
      setTimeout(resolve, WIND_DOWN_MS).unref();
    });
    w.off("message", onMessage);
    w.off("error", onFailure);
    w.off("exit", onFailure);
    await w.terminate();
    turn.leave();
  };

  /** Stops the export as a client that left does, and fails the body with `err`. */
  const abandon = (controller: ReadableStreamDefaultController<Uint8Array>, err: Error) => {
    controller.error(err);
    if (worker) worker.postMessage({ type: "cancel" } satisfies ToExportThread);
    void release();
  };

  /** Waits for a slot, at most `waitMs`: whether it came. */
  const waitForTurn = async () => {
    if (turn.granted) return true;
    let timer: NodeJS.Timeout | undefined;
    const came = await Promise.race([
      turn.turn.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
        // A waiter keeps nothing alive by itself (its connection does, in the server).
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return came || turn.granted;
  };

  const ask = (m: ToExportThread) =>
    new Promise<FromExportThread | Error>((resolve) => {
      reply = resolve;
      worker!.postMessage(m);
    });

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // The client has taken the chunk that waited: it is reading.
        clearStall();
        if (over) return;
        if (!worker) {
          if (!(await waitForTurn())) {
            if (over) return;
            log().warn(
              { producer, waitedSeconds: waitMs / 1000, ...exportsUnderWay() },
              "an export waited too long for its turn; it is refused (503) and nothing was sent",
            );
            abandon(controller, new ExportBusyError());
            return;
          }
          if (over) return;
          worker = startThread(code);
          worker.on("message", onMessage);
          worker.on("error", onFailure);
          worker.on("exit", onFailure);
          worker.postMessage({ type: "start", producer, params, databaseUrl } satisfies ToExportThread);
        }
        const m = await ask({ type: "pull" });
        reply = null;
        if (over) return;
        if (m instanceof Error || m.type === "error") {
          const err = m instanceof Error ? m : Object.assign(new Error(m.message), { stack: m.stack });
          log().error({ err, producer }, "an export failed in its thread; the download ends with an error");
          controller.error(err);
          void release();
        } else if (m.type === "end") {
          controller.close();
          void release();
        } else if (m.type === "chunk") {
          controller.enqueue(new Uint8Array(m.bytes));
          // A chunk waits for the client: if it is not taken within the bound, the client has
          // stalled, and the export gives its slot up rather than hold it until the sockets time out.
          if ((controller.desiredSize ?? 0) <= 0) {
            stall = setTimeout(() => {
              stall = null;
              if (over) return;
              log().warn(
                { producer, stalledSeconds: stallMs / 1000 },
                "an export's client took nothing for too long; the export is stopped, its slot freed and the download broken off",
              );
              abandon(controller, new ExportStalledError(stallMs / 1000));
            }, stallMs);
            stall.unref();
          }
        }
      },
      async cancel() {
        // The client left: the thread stops its producer and closes its pool, then is stopped.
        if (over) return;
        if (worker) worker.postMessage({ type: "cancel" } satisfies ToExportThread);
        await release();
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * The body of a streamed export: in a thread on PostgreSQL (see above), in-process on PGlite, in
 * a transaction (one connection, not shareable) or where threads are unavailable. A `small`
 * export (a few practices' worth) also runs in-process, at once: its CPU is about a page's, and
 * it should not wait its turn behind an England-wide download.
 */
export async function exportBody<P>(
  db: Db,
  producer: ExportProducer<P>,
  params: NoInfer<P>,
  opts: { small?: boolean } = {},
): Promise<ExportBody> {
  const url = opts.small ? null : postgresUrlOf(db);
  const code = url ? await workerCode() : null;
  if (!url || !code) return producer.body(db, params);
  return threadStream(code, url, producer.name, params);
}

/** Whether a scope covers only a few practices (no ICB, all of England), so its export is small. */
export const fewPractices = (scope: Scope) => !scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length <= 5;
