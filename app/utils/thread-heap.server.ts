import { setFlagsFromString } from "node:v8";
import { Worker, type ResourceLimits } from "node:worker_threads";

/**
 * A worker thread that really gets the heap its `resourceLimits` ask for.
 *
 * V8 sizes every new isolate's heap from its command-line flags before the limits it is given:
 * with `--max-semi-space-size=32 --max-old-space-size=512` in NODE_OPTIONS (the server's own,
 * scripts/server-options.ts) a thread asking for an 8 MB young generation and a 96 MB old one got
 * 2 x 32 MB of semi-spaces and 512 MB of old space, like the main thread. The England-wide export
 * thread then held 64 MB of young generation however little it kept (docs/performance.md,
 * session 13). So the two flags are cleared while the thread's isolate is made (it is made on the
 * new thread, before its code runs: "online") and put back as the process had them; isolates made
 * earlier, the main thread's among them, keep the sizes they were given.
 *
 * A thread started meanwhile without limits of its own would get V8's defaults rather than the
 * flags' sizes (the window lasts until the thread's first line runs), so every thread the server
 * starts comes through here: the evaluation threads with `processHeapLimits()`, the sizes they
 * had from the flags.
 */
export function workerWithHeap(code: string, resourceLimits: ResourceLimits): Worker {
  if (opening++ === 0) setFlagsFromString(HEAP_FLAGS.map((f) => `--${f}=0`).join(" "));
  let w: Worker;
  try {
    w = new Worker(code, { eval: true, resourceLimits });
  } catch (e) {
    closeWindow();
    throw e;
  }
  let open = true;
  const done = () => {
    if (!open) return;
    open = false;
    w.off("online", done);
    w.off("error", done);
    w.off("exit", done);
    closeWindow();
  };
  w.once("online", done);
  w.once("error", done);
  w.once("exit", done);
  return w;
}

/** The V8 flags that take precedence over a thread's resourceLimits. */
const HEAP_FLAGS = ["max-semi-space-size", "max-old-space-size"] as const;

/** Threads whose isolates are being made (the flags are cleared while any is). */
let opening = 0;

function closeWindow() {
  if (--opening > 0) return;
  const set = processHeapFlags();
  if (set.length) setFlagsFromString(set.join(" "));
}

/** The process's own settings of HEAP_FLAGS (its arguments, then NODE_OPTIONS: the later wins in V8). */
export function processHeapFlags(argv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  const last = new Map<string, string>();
  for (const arg of [...nodeOptions.split(/\s+/), ...argv]) {
    const m = /^--(max[-_]semi[-_]space[-_]size|max[-_]old[-_]space[-_]size)=(\d+)$/.exec(arg);
    if (m) last.set(m[1].replace(/_/g, "-"), m[2]);
  }
  return HEAP_FLAGS.filter((f) => last.has(f)).map((f) => `--${f}=${last.get(f)}`);
}

/**
 * The process's heap flags as a thread's limits: what a thread got from the flags before
 * workerWithHeap. V8 makes a young generation three semi-spaces large (two, and one for large
 * objects), and takes a thread's young generation size as that.
 */
export function processHeapLimits(flags: readonly string[] = processHeapFlags()): ResourceLimits {
  const mb = (f: (typeof HEAP_FLAGS)[number]) => {
    const m = flags.find((x) => x.startsWith(`--${f}=`));
    return m ? Number(m.slice(f.length + 3)) : undefined;
  };
  const semi = mb("max-semi-space-size");
  const old = mb("max-old-space-size");
  return { ...(semi ? { maxYoungGenerationSizeMb: 3 * semi } : {}), ...(old ? { maxOldGenerationSizeMb: old } : {}) };
}
