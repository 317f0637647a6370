/**
 * `tsx scripts/bench-load-cpu.ts`: the benchmark's load mix (scripts/bench.ts "Load run") at 1
 * and at 50 users against the built server, reporting CPU milliseconds per request for each
 * process group rather than wall throughput alone, which a busy machine turns to noise: the
 * server (supervisor and its server processes, /proc/PID/stat), the PostgreSQL backends of the
 * server's database (pg_stat_activity, sampled so a backend that closes still counts) and this
 * process (the load client, process.cpuUsage). Read-only: it runs only GETs.
 *
 * The server processes' CPU is also split by thread: the main (JavaScript) thread, V8's platform
 * threads (concurrent and parallel garbage collection, background compilation) and the rest (the
 * libuv threadpool and Node's own). Node 20 starts its threads in a fixed order: main, the
 * delayed-task scheduler and V8's platform workers (--v8-pool-size, 4 on this machine), then the
 * others; an allocation-heavy loop's helper CPU lands in the first group after main and
 * crypto.pbkdf2's in the last four. PostgreSQL's is split by backend type: client backends and
 * parallel workers (a parallel worker lives only as long as its statement, so one that starts and
 * ends between two samples is missed; any seen at all is worth an EXPLAIN). Context switches
 * (voluntary and not) of the server processes' threads and of the backends, per request.
 *
 * Options: --root DIR (the checkout whose build to serve; default this one), --seconds N (each
 * run, default 20), --connections N (default 50), --order 1,50 (which runs, in order; `busy` is
 * scripts/bench-busy.ts's run: the users while an administrator downloads all of England),
 * --sample-ms N (how often processes are read, default 500), --cpu-prof DIR (every server process
 * writes a V8 CPU profile there when it stops), --v8-flags="FLAGS" (V8 flags for the supervisor and
 * its server processes that NODE_OPTIONS refuses, such as --single-threaded-gc; note the `=`).
 * Needs DATABASE_URL (a copy of the national dataset, never nat_perf itself).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createDbFromEnv } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { deepDesktopPage, describeDataset } from "./bench-db";
import { loadMix } from "./bench-pages";
import { childPids, Client, loadRun, startServer, type LoadResult } from "./bench-lib";
import { downloadsUnderLoad } from "./bench-busy";

const { values: opt } = parseArgs({
  options: {
    root: { type: "string" },
    seconds: { type: "string" },
    connections: { type: "string" },
    order: { type: "string" },
    "sample-ms": { type: "string" },
    "cpu-prof": { type: "string" },
    "v8-flags": { type: "string" },
  },
});
const root = path.resolve(opt.root ?? path.join(import.meta.dirname, ".."));
const SECONDS = Number(opt.seconds ?? 20);
const CONNECTIONS = Number(opt.connections ?? 50);
const ORDER = (opt.order ?? `1,${CONNECTIONS}`).split(",").map((o) => (o === "busy" ? o : Number(o)));
const SAMPLE_MS = Number(opt["sample-ms"] ?? 500);
const TICK_MS = 1000 / 100; // USER_HZ: /proc/PID/stat counts in hundredths of a second on Linux.

const log = (l: string) => console.error(l);

interface TaskReading {
  ms: number;
  switches: number;
  /** Time spent ready to run but waiting for a core (schedstat's run delay), in ms. */
  waitMs: number;
}

/** Run-queue delay of one thread in ms (0 where the kernel keeps no schedstat). */
function runDelayMs(pid: number, tid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** utime + stime in ms and context switches of one thread (tid = pid: the process's main thread), or undefined when it is gone. */
function taskReading(pid: number, tid: number): TaskReading | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
    let switches = 0;
    for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) switches += Number(m[1]);
    return { ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS, switches, waitMs: runDelayMs(pid, tid) };
  } catch {
    return undefined;
  }
}

/** utime + stime of a whole process (all its threads) in ms, or undefined when it is gone. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

function threadIds(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** Counters (CPU ms, context switches) of a changing set of processes or threads: the first and last reading of each seen. */
class Counters<K> {
  private first = new Map<K, TaskReading>();
  private last = new Map<K, TaskReading & { kind: string }>();
  private started = false;
  record(key: K, kind: string, r: TaskReading) {
    // One first seen mid-run started mid-run: all it did belongs to the run.
    if (!this.first.has(key)) this.first.set(key, this.started ? { ms: 0, switches: 0, waitMs: 0 } : r);
    this.last.set(key, { ...r, kind });
  }
  reset() {
    this.first.clear();
    this.last.clear();
    this.started = false;
  }
  begin() {
    this.started = true;
  }
  /** By kind: CPU ms, context switches and how many were seen. */
  byKind() {
    const out: Record<string, { ms: number; switches: number; waitMs: number; seen: number }> = {};
    for (const [key, l] of this.last) {
      const f = this.first.get(key) ?? l;
      const o = (out[l.kind] ??= { ms: 0, switches: 0, waitMs: 0, seen: 0 });
      o.ms += l.ms - f.ms;
      o.switches += l.switches - f.switches;
      o.waitMs += l.waitMs - f.waitMs;
      o.seen++;
    }
    return out;
  }
  /** Each key's CPU ms. */
  byKey() {
    return new Map([...this.last].map(([key, l]) => [key, l.ms - (this.first.get(key) ?? l).ms]));
  }
}

/** Processes (whole, all threads) of a changing set, each with a kind. */
class ProcessGroup {
  readonly counters = new Counters<number>();
  private readonly switchCounters = new Counters<number>();
  constructor(private readonly pids: () => Promise<{ pid: number; kind: string }[]>) {}
  async sample() {
    for (const { pid, kind } of await this.pids()) {
      const ms = procCpuMs(pid);
      const main = taskReading(pid, pid);
      if (ms === undefined || !main) continue;
      this.counters.record(pid, kind, { ...main, ms });
    }
  }
  async start() {
    this.counters.reset();
    await this.sample();
    this.counters.begin();
  }
  totalMs() {
    return Object.values(this.counters.byKind()).reduce((n, k) => n + k.ms, 0);
  }
  /** Each process's share, to see that the server processes shared the work. */
  byPid() {
    return Object.fromEntries([...this.counters.byKey()].map(([pid, ms]) => [pid, Math.round(ms)]));
  }
}

/** The delayed-task scheduler and V8's platform workers follow the main thread (see the top of this file). */
const V8_PLATFORM_THREADS = 1 + Number(/--v8-pool-size=(\d+)/.exec(process.env.NODE_OPTIONS ?? "")?.[1] ?? 4);

/** The server processes' threads: main, V8 platform, other. */
class ThreadGroup {
  readonly counters = new Counters<string>();
  constructor(private readonly pids: () => number[]) {}
  sample() {
    for (const pid of this.pids()) {
      threadIds(pid).forEach((tid, i) => {
        const r = taskReading(pid, tid);
        if (r) this.counters.record(`${pid}/${tid}`, tid === pid ? "main" : i <= V8_PLATFORM_THREADS ? "v8_platform" : "other", r);
      });
    }
  }
  start() {
    this.counters.reset();
    this.sample();
    this.counters.begin();
  }
}

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) throw new Error("Set DATABASE_URL to a copy of the national dataset.");
  const dbName = new URL(env.DATABASE_URL).pathname.slice(1);
  const h = createDbFromEnv(env);
  const db = h.db;
  const dataset = await describeDataset(db);
  const deep = await deepDesktopPage(db);
  // The same mix as scripts/bench.ts's load run.
  const mix = loadMix(dataset, { listBase: "/estate/devices", deepPage: deep, dashboard: true });

  const server = await startServer(root, { DATABASE_URL: env.DATABASE_URL, SESSION_SECRET: randomBytes(24).toString("hex") }, log, [
    ...(opt["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${opt["cpu-prof"]}`] : []),
    // V8 flags NODE_OPTIONS refuses (--single-threaded-gc and the like): the supervisor hands them to its server processes.
    ...(opt["v8-flags"] ?? "").split(" ").filter(Boolean),
  ]);
  const supervisor = server.child.pid!;
  const serverGroup = new ProcessGroup(async () => [
    { pid: supervisor, kind: "supervisor" },
    ...childPids(supervisor).map((pid) => ({ pid, kind: "server process" })),
  ]);
  const threads = new ThreadGroup(() => childPids(supervisor));
  const pgGroup = new ProcessGroup(
    async () =>
      (
        await sql<{
          pid: number;
          kind: string;
        }>`select pid, backend_type as kind from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(db)
      ).rows,
  );
  const client = new Client(server.port, Math.max(64, CONNECTIONS + 4));
  const out: Record<string, unknown>[] = [];
  try {
    // /healthz answers once the first server process listens; connections opened before the others
    // listen all go to it and, kept alive, stay there. Wait for every process to be up.
    await new Promise((r) => setTimeout(r, 8000));
    await client.signIn("admin@demo.gp-estate.test", env.DEMO_PASSWORD);
    // Work a new process does once (the ICB dashboard's forecast when the build's code digest is
    // new to the database, some 4-13 s of CPU) must not land in a measured run: every page to
    // the end first, one at a time, then by four users (both server processes), then a short load.
    log("Warming up: every page once, then four users over the mix, then a short load…");
    for (const m of mix) await client.get(m.path);
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        for (const m of mix) await client.get(m.path);
      }),
    );
    log(`Warming up: ${CONNECTIONS} users for 8 s…`);
    await loadRun(client, mix, CONNECTIONS, 8);
    for (const users of ORDER) {
      await serverGroup.start();
      await pgGroup.start();
      threads.start();
      const sampler = setInterval(() => {
        threads.sample();
        void serverGroup.sample().then(() => pgGroup.sample());
      }, SAMPLE_MS);
      const clientWait0 = runDelayMs(process.pid, process.pid);
      const c0 = process.cpuUsage();
      const load0 = os.loadavg()[0];
      const t0 = performance.now();
      let busy: Record<string, unknown> = {};
      let r: LoadResult;
      if (users === "busy") {
        // The users while an administrator downloads all of England (CSV, XLSX) again and again;
        // the CPU covers the whole run, the round under way when the users stop included.
        const f = (await downloadsUnderLoad(client, server, mix, { connections: CONNECTIONS, seconds: SECONDS, log })) as Record<
          string,
          unknown
        >;
        const u = f.users as Pick<LoadResult, "connections" | "requests" | "throughput_rps" | "latency_ms" | "errors">;
        r = { ...u, non_2xx: 0, duration_s: (performance.now() - t0) / 1000, by_page: {} };
        busy = {
          admin_rounds: f.admin_rounds,
          admin_error: f.error ?? null,
          csv_download_ms: f.csv_download_ms,
          xlsx_download_ms: f.xlsx_download_ms,
          largest_process_peak_rss_mib: f.server_peak_rss_mib,
          processes_together_peak_rss_mib: f.server_processes_together_peak_rss_mib,
        };
      } else r = await loadRun(client, mix, users, SECONDS);
      const c = process.cpuUsage(c0);
      const clientWaitMs = runDelayMs(process.pid, process.pid) - clientWait0;
      clearInterval(sampler);
      await serverGroup.sample();
      await pgGroup.sample();
      threads.sample();
      const per = (ms: number) => Math.round((ms / r.requests) * 100) / 100;
      const serverMs = serverGroup.totalMs();
      const pgMs = pgGroup.totalMs();
      const clientMs = (c.user + c.system) / 1000;
      const wallMs = r.duration_s * 1000;
      const split = threads.counters.byKind();
      const pgKinds = pgGroup.counters.byKind();
      const row = {
        root,
        users,
        requests: r.requests,
        rps: r.throughput_rps,
        p50: r.latency_ms.p50,
        p97_5: r.latency_ms.p97_5,
        errors: r.errors + r.non_2xx,
        server_ms_per_req: per(serverMs),
        pg_ms_per_req: per(pgMs),
        client_ms_per_req: per(clientMs),
        // One user's wall time per request, and how many cores the run kept busy (all CPU over wall time).
        wall_ms_per_req: per(wallMs),
        cores_busy: Math.round(((serverMs + pgMs + clientMs) / wallMs) * 100) / 100,
        server_threads_ms_per_req: Object.fromEntries(Object.entries(split).map(([k, v]) => [k, per(v.ms)])),
        pg_ms_per_req_by_type: Object.fromEntries(Object.entries(pgKinds).map(([k, v]) => [k, { ms: per(v.ms), seen: v.seen }])),
        // Time the serial participants of a request (the server processes' main threads, the
        // backends, the client's main thread) spent ready to run but waiting for a core: with one
        // user, wall time less this is about what a quiet machine would take.
        run_queue_wait_ms_per_req: {
          server_main: per(split.main?.waitMs ?? 0),
          pg: per(Object.values(pgKinds).reduce((n, v) => n + v.waitMs, 0)),
          client: per(clientWaitMs),
        },
        switches_per_req: {
          server_threads: per(Object.values(split).reduce((n, v) => n + v.switches, 0)),
          pg: per(Object.values(pgKinds).reduce((n, v) => n + v.switches, 0)),
        },
        server_cpu_ms_by_pid: serverGroup.byPid(),
        server_peak_rss_mib: server.peakRssMiB(),
        load: `${load0.toFixed(1)}→${os.loadavg()[0].toFixed(1)}`,
        ...busy,
      };
      out.push(row);
      log(JSON.stringify(row));
    }
  } finally {
    client.close();
    await server.stop();
    await db.destroy();
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
