/**
 * What each server process holds through the benchmark's phase 2, up to the England-wide
 * downloads (docs/performance.md, sessions 14 and 16): the built server of a checkout through
 * `startServer` (a supervisor and 2 server processes), signed in as the benchmark's
 * administrator, then as `npm run bench` does it: the 8 pages 33 times each, the largest ICB's
 * re-check through its button 6 times, the 50,000-row import through the import pages, the
 * largest ICB's XLSX 6 times, `/gaps` 22 times, England's CSV twice and XLSX twice. Every
 * process's resident memory is sampled every 50 ms; after each step each process's resident
 * memory, and with `--heap` its V8 heap (through the inspector: the server is started with
 * `--inspect=127.0.0.1:0`, which needs WebSocket, so run under `node --experimental-websocket`
 * on Node 20), are printed with which process ran each job and the heap reductions logged.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nat_x \
 *     node --experimental-websocket --import tsx scripts/bench-memory-probe.ts [--root DIR] [--heap] [--json FILE]
 *
 * `--root` serves another checkout's build (default this one; build it first). Writes to the
 * database it is given (a copy of the national dataset, never nat_perf): the imported devices are
 * removed and their practices re-checked afterwards, as `npm run bench` does.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createPostgresDb } from "#db/connect";
import { todayIso } from "~/utils/today";
import { deepDesktopPage, describeDataset, importCsv, removeImportedDevices } from "./bench-db";
import { childPids, Client, startServer, uploadDeviceCsv } from "./bench-lib";

const { values: opt } = parseArgs({
  options: {
    root: { type: "string", default: path.resolve(import.meta.dirname, "..") },
    heap: { type: "boolean", default: false },
    json: { type: "string" },
    "page-runs": { type: "string", default: "33" },
    "import-rows": { type: "string", default: "50000" },
    /** Seconds to wait after the import before the next step (the benchmark waits none). */
    settle: { type: "string", default: "0" },
    /**
     * Moves the import's later steps to a new connection, which the supervisor most likely hands
     * to the other server process: "check" (the check page, the confirmation and so the job) or
     * "commit" (the confirmation and so the job). The benchmark keeps one connection.
     */
    split: { type: "string" },
  },
});
const url = process.env.DATABASE_URL;
if (!url || /\/nat_perf$/.test(url)) throw new Error("Set DATABASE_URL to a scratch copy of the national dataset (not nat_perf).");
const ADMIN = "admin@demo.gp-estate.test";
const PAGE_RUNS = Number(opt["page-runs"]);
const IMPORT_ROWS = Number(opt["import-rows"]);
const log = (l: string) => process.stderr.write(`${l}\n`);
const mib = (kb: number) => Math.round(kb / 102.4) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A few fields of /proc/PID/status, in MiB (threads as a count). */
function status(pid: number) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (f: string) => Number(new RegExp(`^${f}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // CPU seconds so far (user + system, every thread; Linux counts them in hundredths).
    const cpu = (Number(stat[11]) + Number(stat[12])) / 100;
    return { rss: mib(kb("VmRSS")), anon: mib(kb("RssAnon")), file: mib(kb("RssFile")), threads: kb("Threads"), cpu };
  } catch {
    return null;
  }
}

/**
 * Resident memory of glibc's arenas, in MiB, from /proc/PID/smaps: the main arena (`[heap]`) and
 * the others (each a 64 MiB-aligned anonymous mapping followed by its unused reserve, 64 MiB in all).
 */
function mallocArenas(pid: number) {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/smaps`, "utf8");
  } catch {
    return null;
  }
  const maps = text.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/).map((block) => {
    const [range, perms, , , , name] = block.split("\n")[0].split(/\s+/);
    const [start, end] = range.split("-").map((x) => BigInt(`0x${x}`));
    return { start, end, perms, name: name ?? "", rss: Number(/^Rss:\s+(\d+)/m.exec(block)?.[1] ?? 0) };
  });
  const ARENA = 64n << 20n;
  let main = 0;
  let others = 0;
  let count = 0;
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i];
    if (m.name === "[heap]") main += m.rss;
    const next = maps[i + 1];
    const whole = next && next.start === m.end && next.perms === "---p" ? next.end - m.start : m.end - m.start;
    if (!m.name && m.perms === "rw-p" && m.start % ARENA === 0n && whole === ARENA) {
      others += m.rss;
      count++;
    }
  }
  return { main: mib(main), others: mib(others), count };
}

/** One inspector session on a server process, for its V8 heap's figures. */
class Inspector {
  private next = 1;
  private waiting = new Map<number, (r: { result?: { result?: { value?: unknown } } }) => void>();
  private constructor(private ws: WebSocket) {
    ws.addEventListener("message", (e) => {
      const m = JSON.parse(String(e.data)) as { id?: number };
      if (m.id !== undefined) this.waiting.get(m.id)?.(m as never);
    });
  }
  static async open(wsUrl: string) {
    const ws = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", reject);
    });
    return new Inspector(ws);
  }
  post(method: string, params: object = {}) {
    const id = this.next++;
    return new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
  async heap() {
    const r = await this.post("Runtime.evaluate", {
      expression: `(() => { const v8 = require("node:v8"); const m = process.memoryUsage();
        const s = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, [x.space_size, x.space_used_size]]));
        const mb = (n) => Math.round(n / 104857.6) / 10;
        return JSON.stringify({ committed: mb(m.heapTotal), used: mb(m.heapUsed), external: mb(m.external), buffers: mb(m.arrayBuffers),
          old: [mb(s.old_space[0]), mb(s.old_space[1])], young: [mb(s.new_space[0]), mb(s.new_space[1])],
          large: [mb(s.large_object_space[0]), mb(s.large_object_space[1])] }); })()`,
      includeCommandLineAPI: true,
      returnByValue: true,
    });
    return JSON.parse(String(r.result?.result?.value ?? "null")) as object | null;
  }
  close() {
    this.ws.close();
  }
}

async function main() {
  const root = path.resolve(opt.root!);
  const { db } = createPostgresDb(url!, 2);
  const dataset = await describeDataset(db);
  const asOf = todayIso();
  const left = await removeImportedDevices(db, asOf);
  if (left.devices) log(`removed ${left.devices} devices left by an earlier run`);
  const deepPage = await deepDesktopPage(db);
  const firstJob = Number((await sql<{ n: number }>`select coalesce(max(id), 0) as n from job`.execute(db)).rows[0].n);
  const commit = fs.existsSync(path.join(root, ".git")) ? fs.readFileSync(path.join(root, ".git"), "utf8").trim() : root;
  log(
    `probe of ${root} (${commit}) on ${new URL(url!).pathname.slice(1)}, load ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(" ")}`,
  );

  const server = await startServer(
    root,
    { DATABASE_URL: url, SESSION_SECRET: randomBytes(24).toString("hex"), LOG_LEVEL: "info" },
    log,
    opt.heap ? ["--inspect=127.0.0.1:0"] : [],
  );
  const t0 = performance.now();
  const at = () => ((performance.now() - t0) / 1000).toFixed(1);
  // The server's own lines about heap reductions.
  let partial = "";
  const events: string[] = [];
  server.child.stderr!.on("data", (c: Buffer) => {
    const lines = (partial + c.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.includes('"msg":"request"') && /"path":"\/(estate\/import[^"]*|jobs\/\d+)"/.test(line) && !line.includes("/progress")) {
        const m = JSON.parse(line) as { pid: number; method: string; path: string; status: number };
        const e = `${at()} s pid ${m.pid}: ${m.method} ${m.path} ${m.status}`;
        events.push(e);
        log(`  ${e}`);
      }
      if (line.includes('"msg":"heap reduced') || line.includes("could not reduce")) {
        const m = JSON.parse(line) as { pid: number; reason: string; heapBeforeMiB: number; heapAfterMiB: number; ms: number };
        const e = `${at()} s pid ${m.pid}: heap reduced (${m.reason}) ${m.heapBeforeMiB} → ${m.heapAfterMiB} MiB in ${m.ms} ms`;
        events.push(e);
        log(`  ${e}`);
      }
    }
  });
  const supervisor = server.child.pid!;
  const servers = () => childPids(supervisor);
  const processes = () => [supervisor, ...servers()];
  const sessions = new Map<number, Inspector>();
  if (opt.heap) {
    await sleep(3000); // both server processes up, their inspectors listening
    for (const pid of servers()) {
      const port = listeningPorts(pid).find((p) => p !== server.port);
      if (!port) continue;
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
      sessions.set(pid, await Inspector.open(list[0].webSocketDebuggerUrl));
    }
  }

  // Peaks between steps: all processes together, and each process.
  let peakTotal = 0;
  const peakBy = new Map<number, number>();
  const sampler = setInterval(() => {
    let total = 0;
    for (const pid of processes()) {
      const s = status(pid);
      if (!s) continue;
      total += s.rss;
      peakBy.set(pid, Math.max(peakBy.get(pid) ?? 0, s.rss));
    }
    peakTotal = Math.max(peakTotal, total);
  }, 50);

  const steps: object[] = [];
  const note = async (step: string) => {
    const each = [];
    let total = 0;
    for (const pid of processes()) {
      const s = status(pid);
      if (!s) continue;
      total += s.rss;
      const heap = sessions.has(pid) ? await sessions.get(pid)!.heap() : null;
      const arenas = pid === supervisor ? null : mallocArenas(pid);
      each.push({
        pid,
        role: pid === supervisor ? "supervisor" : "server",
        ...s,
        peak: peakBy.get(pid),
        ...(arenas ? { arenas } : {}),
        ...(heap ? { heap } : {}),
      });
    }
    const row = { step, at_s: Number(at()), total_mib: Math.round(total * 10) / 10, peak_total_mib: Math.round(peakTotal * 10) / 10, each };
    steps.push(row);
    log(
      `${at().padStart(6)} s ${step.padEnd(28)} all ${row.total_mib.toFixed(1)} (peak ${row.peak_total_mib.toFixed(1)}) | ` +
        each
          .map(
            (e) =>
              `${e.pid}: ${e.rss} (anon ${e.anon}, peak ${e.peak}, ${e.threads} thr)` +
              ("arenas" in e ? ` malloc ${JSON.stringify(e.arenas)}` : "") +
              ("heap" in e ? ` heap ${JSON.stringify(e.heap)}` : ""),
          )
          .join(" | "),
    );
    peakTotal = 0;
    peakBy.clear();
  };

  const client = new Client(server.port, 64);
  try {
    await note("started");
    await client.signIn(ADMIN, process.env.DEMO_PASSWORD ?? "demo-password-2026");
    const icb = dataset.largestIcb.code;
    const ods = dataset.largestPractice.ods_code;
    const pages = [
      `/icbs/${icb}/dashboard`,
      `/icbs/${icb}/report`,
      `/icbs/${icb}/compliance`,
      `/practices/${ods}/compliance`,
      `/practices/${ods}`,
      `/gaps?pcn=${dataset.largestPcn.code}`,
      `/estate/devices?type=desktop&sort=warranty_end&dir=asc`,
      `/estate/devices?type=desktop&sort=warranty_end&dir=asc&page=${deepPage}`,
    ];
    for (const p of pages) for (let i = 0; i < PAGE_RUNS; i++) await client.page(p);
    await note("pages");

    // The re-check button, as the benchmark presses it (5 runs after a warm-up), until each job is done.
    for (let i = 0; i < 6; i++) {
      const r = await client.postForm(`/icbs/${icb}/compliance`, { intent: "recheck" });
      const location = String(r.headers.location ?? "");
      if (r.status !== 302 || !/^\/jobs\/\d+$/.test(location)) throw new Error(`ICB re-check answered ${r.status} ${location}`);
      for (;;) {
        const job = JSON.parse((await client.get(`${location}/progress`)).body.toString("utf8")) as { status: string };
        if (job.status === "done") break;
        if (job.status === "failed") throw new Error("ICB re-check failed");
        await sleep(100);
      }
    }
    await note("re-checks");

    const csv = importCsv(IMPORT_ROWS, dataset.importPractices);
    const location = await uploadDeviceCsv(client, csv);
    // A second connection for the split steps (see --split).
    const other = new Client(server.port, 1);
    other.cookie = client.cookie;
    const preview = await (opt.split === "check" ? other : client).page(location);
    await note("import checked");
    const field = (name: string) => String(Number(preview.match(new RegExp(`name="${name}" value="(\\d+)"`))?.[1] ?? NaN));
    const commitR = await (opt.split ? other : client).postForm(location, {
      intent: "commit",
      expected_create: field("expected_create"),
      expected_update: field("expected_update"),
      expected_rejected: field("expected_rejected"),
    });
    const jobPage = commitR.headers.location;
    if (commitR.status !== 302 || !jobPage?.startsWith("/jobs/")) throw new Error(`commit answered ${commitR.status}`);
    for (;;) {
      const job = JSON.parse(await client.page(`${jobPage}/progress`)) as { status: string };
      if (job.status === "done") break;
      if (job.status === "failed") throw new Error("import failed");
      await sleep(100);
    }
    await note("import done");
    other.close();
    if (Number(opt.settle) > 0) {
      await sleep(Number(opt.settle) * 1000);
      await note(`${opt.settle} s after the import`);
    }

    for (let i = 0; i < 6; i++)
      await client.page(`/gaps/export?format=xlsx&icb=${icb}`).catch(() => client.get(`/gaps/export?format=xlsx&icb=${icb}`));
    await note("ICB XLSX x6");
    for (let i = 0; i < 22; i++) await client.page("/gaps");
    await note("/gaps x22");
    for (const format of ["csv", "csv", "xlsx", "xlsx"]) {
      const r = await client.get(`/gaps/export?format=${format}`);
      if (r.status !== 200) throw new Error(`England ${format} answered ${r.status}`);
      await note(`England ${format}`);
    }

    const jobs = await sql<{ id: number; kind: string; worker: string; result: { results?: number; written?: number } | null }>`
      select id, kind, worker, result from job where id > ${firstJob} order by id`.execute(db);
    for (const j of jobs.rows)
      log(
        `job ${j.id} ${j.kind} ran in pid ${j.worker?.split(":")[1]}` +
          (j.kind === "recheck" ? ` (results ${j.result?.results}, written ${j.result?.written})` : ""),
      );
    if (opt.json)
      fs.writeFileSync(
        opt.json,
        JSON.stringify(
          { root, commit, load: os.loadavg(), steps, events, jobs: jobs.rows.map((j) => ({ ...j, pid: j.worker?.split(":")[1] })) },
          null,
          1,
        ),
      );
  } finally {
    clearInterval(sampler);
    for (const s of sessions.values()) s.close();
    client.close();
    await server.stop();
    await removeImportedDevices(db, asOf);
    await db.destroy();
    log(
      `load ${os
        .loadavg()
        .map((v) => v.toFixed(2))
        .join(" ")}`,
    );
  }
}

/** TCP ports a process listens on (its inspector's among them), from /proc. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return fs
    .readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === "0A" && inodes.has(f[9]))
    .map((f) => parseInt(f[1].split(":")[1], 16));
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
