/**
 * The cluster primary: starts the server processes on one port, starts a new one whenever one
 * dies (a crash or out-of-memory in one request never leaves the service down), backing off
 * when a process keeps dying at start-up, and stops them all gracefully on SIGTERM/SIGINT.
 * It holds no application state: it never opens the database.
 */
import cluster, { type Worker } from "node:cluster";
import path from "node:path";
import { serverNodeOptions } from "../server-options";
import type { ServerConfig } from "./config";
import { freshProcessBundle, underTsx, withoutTsx } from "./process-bundle";

/** A process that lived less than this is counted as crashing at start-up. */
const STABLE_AFTER_MS = 10_000;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

const log = (line: string) => console.error(`[supervisor] ${line}`);

/**
 * glibc gives each thread that allocates its own malloc arena (up to 8 per core), and memory
 * freed in one is rarely handed back. A server process has several such threads (V8's helpers,
 * libuv's pool, zlib, the export thread): with two arenas an England-wide XLSX download took all
 * server processes together to 630-636 MiB resident, against 693-709 MiB with glibc's default
 * (docs/performance.md, session 12). An operator's own MALLOC_ARENA_MAX wins.
 */
export const SERVER_MALLOC_ARENAS = "2";

/**
 * glibc's thresholds for handing freed memory back, fixed at its starting values (128 KiB): a
 * block that large is mapped on its own and unmapped when freed, and the top of the main arena is
 * given back once that much of it is free. Left to itself, glibc raises both after the first
 * large block is freed (to as much as 32 and 64 MiB), and from then on keeps what a large piece
 * of work malloc'd; no collection of V8's heap gives that back. Measured on the national dataset
 * (docs/performance.md, session 16): when the 50,000-row import's check and its job run in
 * different server processes, each process kept 30-40 MiB more in its main arena afterwards
 * (42-50 MiB against 9-20), and the England-wide CSV took all processes together to 459-469 MiB
 * against 401-403 when one process does both; with these, 409.5 MiB. An operator's own settings win.
 */
export const SERVER_MALLOC_THRESHOLD = "131072";

/** The environment every server process gets from the supervisor (the operator's own values win). */
export function serverProcessEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  return {
    NODE_OPTIONS: workerNodeOptions(env.NODE_OPTIONS ?? ""),
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX || SERVER_MALLOC_ARENAS,
    MALLOC_TRIM_THRESHOLD_: env.MALLOC_TRIM_THRESHOLD_ || SERVER_MALLOC_THRESHOLD,
    MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ || SERVER_MALLOC_THRESHOLD,
  };
}

/** The heap cap from server-options.ts for every worker, unless the operator set one. */
function workerNodeOptions(existing: string) {
  return /--max-old-space-size/.test(existing) ? existing : serverNodeOptions(existing);
}

export function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}${signal === "SIGABRT" ? " (V8 aborts like this when the heap is full)" : ""}`;
  if (code === 134) return "exit code 134 (an abort; V8 exits like this when the heap is full)";
  return `exit code ${code}`;
}

export interface Supervisor {
  /** Resolves when every worker has stopped and the primary may exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
  /** Resolves once every worker is listening (the first time). */
  ready: Promise<void>;
}

export function startSupervisor(config: ServerConfig): Supervisor {
  // Several processes: the primary deals connections round-robin (the kernel alone spreads them
  // unevenly). One process (the embedded database): the kernel hands them out, because a
  // connection the primary accepts while its only process is being replaced is never passed on
  // and hangs; this way it is refused at once and the client can retry.
  cluster.schedulingPolicy = config.workers > 1 ? cluster.SCHED_RR : cluster.SCHED_NONE;
  // The compiled server process under plain node when the build has one (a third of the memory:
  // process-bundle.ts says why); otherwise serve.ts under the same loader as this process.
  const bundle = freshProcessBundle();
  // Two folders deep both here and compiled (build/server-process/), so the path is the same.
  const source = path.join(import.meta.dirname, "../../scripts/serve.ts");
  cluster.setupPrimary(
    bundle
      ? { exec: bundle, execArgv: withoutTsx(process.execArgv) }
      : { exec: source, execArgv: underTsx(process.execArgv) ? [...process.execArgv] : [...process.execArgv, "--import", "tsx"] },
  );
  const env = serverProcessEnv();
  const slots = Array.from({ length: config.workers }, () => ({
    worker: undefined as Worker | undefined,
    startedAt: 0,
    failures: 0,
    timer: undefined as NodeJS.Timeout | undefined,
  }));
  let stopping = false;
  let listening = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const start = (slot: (typeof slots)[number], n: number) => {
    slot.timer = undefined;
    const worker = cluster.fork(env);
    slot.worker = worker;
    slot.startedAt = Date.now();
    worker.once("listening", () => {
      if (++listening === slots.length) markReady();
    });
    worker.once("exit", (code, signal) => {
      slot.worker = undefined;
      if (stopping) return;
      const lived = Date.now() - slot.startedAt;
      slot.failures = lived < STABLE_AFTER_MS ? slot.failures + 1 : 0;
      const delay = slot.failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (slot.failures - 1));
      log(
        `server process ${n + 1} (pid ${worker.process.pid}) stopped: ${describeExit(code, signal)} after ${Math.round(lived / 100) / 10} s. ` +
          (delay
            ? `It has failed ${slot.failures} time(s) in a row at start-up; starting a new one in ${delay / 1000} s.`
            : "Starting a new one."),
      );
      slot.timer = setTimeout(() => start(slot, n), delay);
    });
  };
  slots.forEach(start);
  log(
    `${slots.length} server process(es) (${config.workersReason}) on port ${config.port}` +
      (bundle
        ? ", compiled (build/server-process)."
        : ", under tsx (no compiled server process in the build, or it is older than its sources)."),
  );

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const running = slots.flatMap((s) => {
      clearTimeout(s.timer);
      return s.worker ? [s.worker] : [];
    });
    log(`${signal}: stopping ${running.length} server process(es) gracefully.`);
    await Promise.all(
      running.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            // The worker drains for up to the shutdown timeout; after that and a margin it is killed.
            const killer = setTimeout(() => w.process.kill("SIGKILL"), config.shutdownTimeoutMs + 5000);
            w.once("exit", () => {
              clearTimeout(killer);
              resolve();
            });
            w.process.kill("SIGTERM");
          }),
      ),
    );
    log("all server processes stopped.");
  };
  return { stop, ready };
}
