import { Session } from "node:inspector";
import v8 from "node:v8";
import { logFor } from "./log.server";

/**
 * Gives back to the system the heap that a large piece of work (a 50,000-row import) made this
 * process take, once that work is over.
 *
 * Why: V8 grows a process's old generation to what the work needed and keeps those pages, and
 * its young generation at the largest size it reached, until its memory reducer sees the process
 * quiet; a server process that goes on serving pages is never quiet. Measured on the national
 * dataset (docs/performance.md, session 14), the process that ran the benchmark's 50,000-row
 * import still had 206 MiB of heap (old generation 117 MiB holding 47 MiB of live objects, young
 * 64 MiB) when the England-wide CSV started a minute later; one memory-reducing collection there
 * took its heap to 67 MiB and the process from 331 to 191 MiB resident.
 *
 * How: the inspector protocol's `HeapProfiler.collectGarbage` on an in-process session (no port
 * is opened and no flag is needed; `--expose-gc` would put `gc` on every server process's global
 * object). V8 then collects everything it can, compacts the old generation, frees the pages left
 * empty and shrinks the young generation. It stops this thread for the length of a full
 * collection (tens to a few hundred ms on a heap of a few hundred MB), so it is for the end of
 * rare, large work, never for a request.
 */

/**
 * Work that held fewer rows than this is not worth a pause: a full collection stops the thread
 * for tens of ms even on a small heap, and a 2-row import grows nothing worth giving back.
 * 10,000 device rows (parsed, checked and written) is about 20-40 MiB of heap.
 */
export const LARGE_WORK_ROWS = 10_000;

let running: Promise<void> | null = null;
let reductions = 0;

/** Runs one memory-reducing collection (one at a time; a call while one runs shares it). */
export function reduceHeap(reason: string): Promise<void> {
  // Cleared in a later microtask, so never before it is set, even when `collect` fails at once.
  running ??= collect(reason).finally(() => {
    running = null;
  });
  return running;
}

async function collect(reason: string) {
  const before = v8.getHeapStatistics().total_heap_size;
  const started = performance.now();
  try {
    const session = new Session();
    session.connect();
    try {
      await new Promise<void>((resolve, reject) => session.post("HeapProfiler.collectGarbage", (err) => (err ? reject(err) : resolve())));
    } finally {
      session.disconnect();
    }
    reductions++;
    const after = v8.getHeapStatistics().total_heap_size;
    logFor("memory").info(
      {
        reason,
        heapBeforeMiB: Math.round(before / 2 ** 20),
        heapAfterMiB: Math.round(after / 2 ** 20),
        ms: Math.round(performance.now() - started),
      },
      "heap reduced after large work",
    );
  } catch (err) {
    // A node built without the inspector: the heap is left to V8, as before.
    logFor("memory").warn({ err, reason }, "could not reduce the heap");
  }
}

/** For tests: how many reductions have run in this process. */
export const heapReductions = () => reductions;
