/**
 * The benchmark's device import (upload → check page → commit) in-process, through the same
 * functions the pages and the import job call, with the CPU each side spent per phase: this
 * process's (`process.cpuUsage`) and the PostgreSQL backends' (from /proc, sampled so a backend
 * that closes is still counted). For comparing changes on a busy machine, where wall time is noise.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nat_x npx tsx scripts/bench-import-phases.ts \
 *     [--runs 2] [--rows 50000] [--profile DIR]
 *
 * Writes to the database it is given (a copy of the national dataset, never nat_perf itself): the
 * imported devices (asset tags BENCH-IMPORT-…) are removed and their practices re-checked after
 * each run, as `npm run bench` does. `--profile` writes a V8 CPU profile of each phase.
 */
import fs from "node:fs";
import path from "node:path";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { sql } from "kysely";
import { createPostgresDb } from "#db/connect";
import { commitUpload } from "~/modules/devices/import/commit.server";
import { startUpload, uploadPreview } from "~/modules/devices/import/service.server";
import { listMemberships } from "~/modules/users/repository.server";
import { todayIso } from "~/utils/today";
import { describeDataset, importCsv, removeImportedDevices } from "./bench-db";

const { values: opt } = parseArgs({
  options: {
    runs: { type: "string", default: "2" },
    rows: { type: "string", default: "50000" },
    profile: { type: "string" },
    user: { type: "string", default: "1" },
  },
});
const url = process.env.DATABASE_URL;
if (!url || /\/nat_perf$/.test(url)) throw new Error("Set DATABASE_URL to a scratch copy of the national dataset (not nat_perf).");
const ROWS = Number(opt.rows);

/** Every backend of this database, CPU seconds as last seen (sampled, so one that exits keeps its count). */
class BackendCpu {
  private seen = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private client: pg.Client,
    private db: string,
  ) {}
  private static cpu(pid: number) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return null;
    }
  }
  private last: Promise<void> = Promise.resolve();
  /** One sample at a time on the monitoring connection. */
  sample() {
    this.last = this.last.then(() => this.read()).catch(() => {});
    return this.last;
  }
  private async read() {
    const own = (await this.client.query("select pg_backend_pid() as p")).rows[0].p as number;
    const r = await this.client.query("select pid from pg_stat_activity where datname = $1 and pid <> $2", [this.db, own]);
    for (const { pid } of r.rows as { pid: number }[]) {
      const c = BackendCpu.cpu(pid);
      if (c !== null) this.seen.set(pid, Math.max(c, this.seen.get(pid) ?? 0));
    }
  }
  start() {
    this.timer = setInterval(() => void this.sample(), 100);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
  }
  total() {
    return [...this.seen.values()].reduce((a, b) => a + b, 0);
  }
}

async function main() {
  const dbName = new URL(url!).pathname.slice(1);
  const { db } = createPostgresDb(url!, 10);
  const mon = new pg.Client({ connectionString: url });
  await mon.connect();
  const backends = new BackendCpu(mon, dbName);
  const session = opt.profile ? new Session() : null;
  if (session) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 500 });
    fs.mkdirSync(opt.profile!, { recursive: true });
  }
  const userId = Number(opt.user);
  const user = { id: userId, memberships: await listMemberships(db, userId) };
  const dataset = await describeDataset(db);
  const csv = importCsv(ROWS, dataset.importPractices);
  const asOf = todayIso();
  const left = await removeImportedDevices(db, asOf);
  if (left.devices) console.log(`removed ${left.devices} devices left by an earlier run`);
  await sql`vacuum (analyze) device`.execute(db);
  console.log(`${ROWS} rows across ${dataset.importPractices.length} practices; ${opt.runs} runs`);

  const rows: Record<string, string | number>[] = [];
  for (let run = 0; run < Number(opt.runs); run++) {
    const label = `r${run + 1}`;
    await new Promise((r) => setTimeout(r, 1000));
    await backends.sample();
    backends.start();
    const phase = async <T>(name: string, fn: () => Promise<T>) => {
      if (session) await session.post("Profiler.start");
      await backends.sample();
      const pg0 = backends.total();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await fn();
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      await backends.sample();
      const pgCpu = backends.total() - pg0;
      if (session) {
        const { profile } = await session.post("Profiler.stop");
        fs.writeFileSync(path.join(opt.profile!, `${label}-${name}.cpuprofile`), JSON.stringify(profile));
      }
      const node = (c.user + c.system) / 1e6;
      rows.push({ run: label, phase: name, wall: wall.toFixed(2), node: node.toFixed(2), pg: pgCpu.toFixed(2) });
      console.log(`${label} ${name.padEnd(7)} wall ${wall.toFixed(2)} s  node ${node.toFixed(2)} s  pg ${pgCpu.toFixed(2)} s`);
      return r;
    };
    const id = await phase("upload", () => startUpload(db, { userId, fileName: "bench-devices.csv", content: csv, practiceCode: null }));
    const page = await phase("check", () => uploadPreview(db, id, user, 1));
    const counts = page.preview!.counts;
    if (counts.create !== ROWS) throw new Error(`the check expected ${JSON.stringify(counts)}`);
    const result = await phase("commit", () =>
      commitUpload(db, {
        id,
        user,
        expected: { create: counts.create, update: counts.update, rejected: counts.rejected },
      }),
    );
    if (result.counts.created !== ROWS) throw new Error(`imported ${JSON.stringify(result.counts)}`);
    backends.stop();
    await removeImportedDevices(db, asOf);
    // The removed rows are dead tuples in the very index ranges the next run reads.
    await sql`vacuum (analyze) device`.execute(db);
  }
  const mean = (k: "node" | "pg") => rows.reduce((a, r) => a + Number(r[k]), 0) / Number(opt.runs);
  console.log(`mean per run: node ${mean("node").toFixed(2)} s, pg ${mean("pg").toFixed(2)} s`);
  await mon.end();
  await db.destroy();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
