/**
 * `tsx scripts/bench-load-cpu.ts`: the benchmark's load mix (scripts/bench.ts "Load run") at 1
 * and at 50 users against the built server, reporting CPU milliseconds per request for each
 * process group rather than wall throughput alone, which a busy machine turns to noise: the
 * server (supervisor and its server processes, /proc/PID/stat), the PostgreSQL backends of the
 * server's database (pg_stat_activity, sampled so a backend that closes still counts) and this
 * process (the load client, process.cpuUsage). Read-only: it runs only GETs.
 *
 * Options: --root DIR (the checkout whose build to serve; default this one), --seconds N (each
 * run, default 20), --connections N (default 50), --order 1,50 (which runs, in order),
 * --cpu-prof DIR (every server process writes a V8 CPU profile there when it stops).
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
import { childPids, Client, loadRun, startServer } from "./bench-lib";

const { values: opt } = parseArgs({
  options: {
    root: { type: "string" },
    seconds: { type: "string" },
    connections: { type: "string" },
    order: { type: "string" },
    "cpu-prof": { type: "string" },
  },
});
const root = path.resolve(opt.root ?? path.join(import.meta.dirname, ".."));
const SECONDS = Number(opt.seconds ?? 20);
const CONNECTIONS = Number(opt.connections ?? 50);
const ORDER = (opt.order ?? `1,${CONNECTIONS}`).split(",").map(Number);
const TICK_MS = 1000 / 100; // USER_HZ: /proc/PID/stat counts in hundredths of a second on Linux.

const log = (l: string) => console.error(l);

/** utime + stime of one process in ms, or undefined when it is gone. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Tracks the CPU of a changing set of processes: the last reading of each pid seen. */
class CpuGroup {
  private first = new Map<number, number>();
  private last = new Map<number, number>();
  constructor(private readonly pids: () => number[] | Promise<number[]>) {}
  async sample() {
    for (const pid of await this.pids()) {
      const ms = procCpuMs(pid);
      if (ms === undefined) continue;
      // A pid first seen mid-run started mid-run: its CPU so far belongs to the run.
      if (!this.first.has(pid)) this.first.set(pid, this.started ? 0 : ms);
      this.last.set(pid, ms);
    }
  }
  private started = false;
  async start() {
    this.first.clear();
    this.last.clear();
    this.started = false;
    await this.sample();
    this.started = true;
  }
  /** Each process's share, to see that the server processes shared the work. */
  byPid() {
    return Object.fromEntries([...this.last].map(([pid, last]) => [pid, Math.round(last - (this.first.get(pid) ?? last))]));
  }
  totalMs() {
    let sum = 0;
    for (const [pid, last] of this.last) sum += last - (this.first.get(pid) ?? last);
    return sum;
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
  ]);
  const serverGroup = new CpuGroup(() => [server.child.pid!, ...childPids(server.child.pid!)]);
  const pgGroup = new CpuGroup(async () =>
    (
      await sql<{ pid: number }>`select pid from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`.execute(db)
    ).rows.map((r) => r.pid),
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
      const sampler = setInterval(() => void serverGroup.sample().then(() => pgGroup.sample()), 500);
      const c0 = process.cpuUsage();
      const load0 = os.loadavg()[0];
      const r = await loadRun(client, mix, users, SECONDS);
      const c = process.cpuUsage(c0);
      clearInterval(sampler);
      await serverGroup.sample();
      await pgGroup.sample();
      const per = (ms: number) => Math.round((ms / r.requests) * 100) / 100;
      const row = {
        root,
        users,
        requests: r.requests,
        rps: r.throughput_rps,
        p50: r.latency_ms.p50,
        p97_5: r.latency_ms.p97_5,
        errors: r.errors + r.non_2xx,
        server_ms_per_req: per(serverGroup.totalMs()),
        pg_ms_per_req: per(pgGroup.totalMs()),
        client_ms_per_req: per((c.user + c.system) / 1000),
        server_cpu_ms_by_pid: serverGroup.byPid(),
        server_peak_rss_mib: server.peakRssMiB(),
        load: `${load0.toFixed(1)}→${os.loadavg()[0].toFixed(1)}`,
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
