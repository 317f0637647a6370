/**
 * National-scale benchmark: re-evaluation, pages, device import and a load run against the
 * built server over real HTTP on 127.0.0.1, with SQL floors and the server's peak memory.
 *
 *   npm run db:seed -- --national          # once, into the database the environment names
 *   npm run bench                          # human-readable report
 *   npm run -s bench -- --json             # one JSON object on stdout (progress on stderr)
 *   npm run bench -- --smoke               # small, quick run on a scratch PGlite (CI)
 *
 * Options: --runs N (page requests per figure, default 30), --eval-runs N (national
 * re-evaluations, default 3), --import-rows N (default 50000), --load-seconds N (default 60),
 * --connections N (default 50), --skip-load, --skip-import, --allow-small (run on a database
 * that is not national scale). Uses DATABASE_URL (PostgreSQL) or DATA_DIR (PGlite) like the
 * app; on PGlite the database is opened by this process and the server in turn, never both.
 * The import benchmark's devices (asset tags BENCH-IMPORT-…) are removed afterwards and their
 * practices re-checked, so a second run starts from the same data.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createDbFromEnv, createPgliteDb, type DbHandle } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { listScopePractices } from "~/modules/compliance/repository.server";
import { getIcbForecast } from "~/modules/dashboard/service.server";
import { trendDates } from "~/modules/dashboard/trend";
import { seedDemo } from "~/modules/seed/demo.server";
import { getEnv } from "~/utils/env.server";
import { todayIso } from "~/utils/today";
import {
  dashboardFloor,
  deepDesktopPage,
  gapRegisterFloor,
  deviceListFloor,
  describeDataset,
  evaluationFloor,
  icbPageFloor,
  importCsv,
  practiceOverviewFloor,
  practicePageFloor,
  removeImportedDevices,
  type Dataset,
} from "./bench-db";
import { busyLine, downloadsUnderLoad } from "./bench-busy";
import { exportBenchmarks } from "./bench-exports";
import {
  Client,
  ensureBuilt,
  loadRun,
  measure,
  measureAlternating,
  startServer,
  summarise,
  uploadDeviceCsv,
  type LoadResult,
  type Timing,
} from "./bench-lib";
import { benchPages, loadMix, loadScaling, loadScalingLine, pageWeightLine } from "./bench-pages";

const root = path.resolve(import.meta.dirname, "..");
const ADMIN = "admin@demo.gp-estate.test";

const { values: opt } = parseArgs({
  args: process.argv.slice(2),
  options: {
    json: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    runs: { type: "string" },
    "eval-runs": { type: "string" },
    "import-rows": { type: "string" },
    "load-seconds": { type: "string" },
    connections: { type: "string" },
    "skip-load": { type: "boolean", default: false },
    "skip-import": { type: "boolean", default: false },
    "allow-small": { type: "boolean", default: false },
  },
});
const num = (v: string | undefined, def: number) => {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a whole number, not ${v}`);
  return n;
};
const smoke = opt.smoke;
const RUNS = num(opt.runs, smoke ? 3 : 30);
const EVAL_RUNS = num(opt["eval-runs"], smoke ? 1 : 3);
const ICB_EVAL_RUNS = Math.max(EVAL_RUNS, smoke ? 1 : 5);
const IMPORT_ROWS = num(opt["import-rows"], smoke ? 1000 : 50_000);
const LOAD_SECONDS = num(opt["load-seconds"], smoke ? 3 : 60);
const CONNECTIONS = num(opt.connections, smoke ? 5 : 50);

const log = (l: string) => process.stderr.write(`${l}\n`);
const routeExists = (file: string) => fs.existsSync(path.join(root, "app/routes", file));

type Status = "measured" | "not yet built" | "skipped" | "failed";
type PageFloors = {
  icb: Timing;
  practice: Timing;
  overview: Timing;
  listFirst: Timing;
  listDeep: Timing;
  dashboard: Timing | null;
  gaps: Timing | null;
};
interface Figure {
  label: string;
  status: Status;
  target: string | null;
  met: boolean | null;
  note?: string;
  [k: string]: unknown;
}

const notBuilt = (label: string, target: string, note: string): Figure => ({
  label,
  status: "not yet built",
  target,
  met: null,
  median_ms: null,
  p95_ms: null,
  runs: 0,
  note,
});
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10) / 10 : null);

function timed(label: string, t: Timing, targetMs: number | null, floor?: Timing, note?: string): Figure {
  return {
    label,
    status: "measured",
    target: targetMs === null ? null : `p95 ≤ ${targetMs.toLocaleString("en-GB")} ms`,
    target_ms: targetMs,
    met: targetMs === null ? null : t.p95_ms <= targetMs,
    ...t,
    ...(floor ? { floor, ratio_to_floor: ratio(t.median_ms, floor.median_ms) } : {}),
    ...(note ? { note } : {}),
  };
}

/** The database this run uses: the environment's, or for --smoke a scratch PGlite seeded with the demo. */
async function openDatabase(): Promise<{
  handle: () => DbHandle;
  serverEnv: Record<string, string>;
  cleanup: () => void;
  smokeDir?: string;
}> {
  if (!smoke) {
    const env = getEnv();
    return {
      handle: () => createDbFromEnv(env),
      serverEnv: env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : { DATA_DIR: env.DATA_DIR, DATABASE_URL: "" },
      cleanup: () => {},
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-bench-smoke-"));
  const dataDir = path.join(dir, "pglite");
  const h = createPgliteDb(dataDir);
  await migrateToLatest(h.db);
  log("Smoke run: seeding the demo (North East London) into a scratch PGlite…");
  await seedDemo(h.db, { password: getEnv().DEMO_PASSWORD, nodeEnv: "test" });
  await h.db.destroy();
  return {
    handle: () => createPgliteDb(dataDir),
    serverEnv: { DATA_DIR: dataDir, DATABASE_URL: "" },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    smokeDir: dir,
  };
}

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const asOf = todayIso();
  const database = await openDatabase();
  const env = getEnv();
  const results: Record<string, Figure> = {};
  let dataset: Dataset;
  let dbInfo: { kind: string; where: string; server_version: string };
  const nationalDeviceList = routeExists("estate.devices._index.tsx");
  const dashboardBuilt = routeExists("icbs.$code_.dashboard.tsx");
  let deviceListDeepPage = 1;
  let pageFloors: PageFloors | undefined;

  // ---- Phase 1: in this process, with the server not running (PGlite allows one process at a time).
  {
    const h = database.handle();
    const db = h.db;
    try {
      await migrateToLatest(db);
      const left = await removeImportedDevices(db, asOf);
      if (left.devices) log(`Removed ${left.devices} devices left by an earlier import benchmark.`);
      dataset = await describeDataset(db);
      const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0].v;
      dbInfo = { kind: h.kind, where: h.where, server_version: version.split(",")[0] };
      log(`Database: ${h.where} (${dbInfo.server_version})`);
      log(
        `Dataset: ${dataset.practices.toLocaleString("en-GB")} English practices, ${dataset.devices.toLocaleString("en-GB")} devices, ${dataset.pcns.toLocaleString("en-GB")} PCNs, ${dataset.icbs} ICBs; ` +
          `largest ICB ${dataset.largestIcb.code} (${dataset.largestIcb.practices} practices, ${dataset.largestIcb.devices.toLocaleString("en-GB")} devices)`,
      );
      if (!smoke && !opt["allow-small"] && dataset.practices < 5000) {
        throw new Error(
          `This database holds ${dataset.practices} practices, not the national dataset: run \`npm run db:seed -- --national\` (or pass --allow-small).`,
        );
      }

      log(`National re-evaluation (${EVAL_RUNS} runs after a warm-up)…`);
      const { a: national, b: nationalFloor } = await measureAlternating(
        EVAL_RUNS,
        () => evaluateScope(db, { all: true }, asOf),
        () => evaluationFloor(db, null, asOf),
      );
      // Issue 12's two targets for it: under 10 s, and its median within 1.5× the floor's (the
      // unrounded ratio: the report's ratio_to_floor is rounded to one decimal place).
      const nationalFigure = timed(
        "Full national re-evaluation (every practice and requirement, in-process)",
        national,
        10_000,
        nationalFloor,
      );
      results.national_reevaluation = {
        ...nationalFigure,
        target: "≤ 10,000 ms and ≤ 1.5 × its SQL floor",
        met: nationalFigure.met === true && national.median_ms <= 1.5 * nationalFloor.median_ms,
      };
      log(`Largest ICB re-evaluation (${ICB_EVAL_RUNS} runs)…`);
      const { a: icb, b: icbFloor } = await measureAlternating(
        ICB_EVAL_RUNS,
        () => evaluateScope(db, { icb: dataset.largestIcb.code }, asOf),
        () => evaluationFloor(db, dataset.largestIcb.code, asOf),
      );
      results.icb_reevaluation = timed(`Re-evaluation of the largest ICB (${dataset.largestIcb.code}, in-process)`, icb, null, icbFloor);

      log("SQL floors for the pages…");
      const floors = {
        icb: await measure(RUNS, () => icbPageFloor(db, dataset.largestIcb.code, asOf), 3),
        practice: await measure(RUNS, () => practicePageFloor(db, dataset.largestPractice.ods_code, asOf), 3),
        overview: await measure(RUNS, () => practiceOverviewFloor(db, dataset.largestPractice.ods_code), 3),
        listFirst: null as Timing | null,
        listDeep: null as Timing | null,
        dashboard: null as Timing | null,
        gaps: null as Timing | null,
      };
      floors.gaps = await measure(RUNS, () => gapRegisterFloor(db, dataset.largestPcn.code), 3);
      if (dashboardBuilt) {
        floors.dashboard = await measure(RUNS, () => dashboardFloor(db, dataset.largestIcb.code, trendDates(asOf)), 3);
        // The dashboard's forecast is CPU work kept between loads (dashboard/service.server.ts):
        // time working it out afresh for the largest ICB, estate loads included.
        const codes = await listScopePractices(db, { icb: dataset.largestIcb.code });
        const cold = await measure(
          Math.min(RUNS, smoke ? 2 : 5),
          () => getIcbForecast(db, dataset.largestIcb.code, codes, asOf, { fresh: true }),
          1,
        );
        results.icb_dashboard_forecast = {
          ...timed(
            `ICB dashboard forecast worked out afresh for the largest ICB (${dataset.largestIcb.code}, in-process; reused between page loads until the estate changes)`,
            cold,
            null,
          ),
        };
      }
      const listScope = nationalDeviceList ? {} : { practice: dataset.largestPractice.ods_code };
      deviceListDeepPage = await deepDesktopPage(db, nationalDeviceList ? undefined : dataset.largestPractice.ods_code);
      floors.listFirst = await measure(RUNS, () => deviceListFloor(db, { ...listScope, type: "desktop" }, "warranty_end", 0), 3);
      floors.listDeep = await measure(
        RUNS,
        () => deviceListFloor(db, { ...listScope, type: "desktop" }, "warranty_end", (deviceListDeepPage - 1) * 25),
        3,
      );
      pageFloors = floors as PageFloors;
    } finally {
      await db.destroy();
    }
  }
  const floors = pageFloors!;

  // ---- Phase 2: the built server, over HTTP on 127.0.0.1.
  await ensureBuilt(log);
  const server = await startServer(
    root,
    { ...database.serverEnv, SESSION_SECRET: randomBytes(24).toString("hex"), DEMO_PASSWORD: env.DEMO_PASSWORD },
    log,
  );
  const client = new Client(server.port, Math.max(64, CONNECTIONS + 4));
  let load: LoadResult | null = null;
  /** The server's resident memory after each step, to tell which step drives the peak. */
  const memoryByStep: Record<string, { rss_mib: number; peak_so_far_mib: number }> = {};
  const noteMemory = (step: string) => {
    memoryByStep[step] = { rss_mib: server.currentRssMiB(), peak_so_far_mib: server.peakRssMiB() };
  };
  noteMemory("started");
  try {
    await client.signIn(ADMIN, env.DEMO_PASSWORD);
    const icbCode = dataset.largestIcb.code;
    const ods = dataset.largestPractice.ods_code;
    const icbCompliance = routeExists("icbs.$code_.compliance._index.tsx");
    const practiceCompliance = routeExists("practices.$ods.compliance._index.tsx");
    const page = async (key: string, label: string, urlPath: string, floor?: Timing, note?: string) => {
      log(`${label}: ${urlPath} (${RUNS} runs after 3 warm-ups)…`);
      results[key] = { ...timed(label, await measure(RUNS, () => client.page(urlPath), 3), 150, floor, note), path: urlPath };
      noteMemory(key);
    };

    if (dashboardBuilt) {
      // The first load works out the forecast (timed apart above); the warm-ups absorb it.
      await page("icb_dashboard", `ICB dashboard, largest ICB (${icbCode})`, `/icbs/${icbCode}/dashboard`, floors.dashboard ?? undefined);
      await page(
        "icb_report_pack",
        `ICB report pack (printable board paper), largest ICB (${icbCode})`,
        `/icbs/${icbCode}/report`,
        floors.dashboard ?? undefined,
      );
    } else
      results.icb_dashboard = notBuilt(
        "ICB dashboard for the largest ICB",
        "p95 ≤ 150 ms",
        "The ICB dashboard (issue 5) does not exist yet; the ICB compliance page below is the nearest page.",
      );
    if (icbCompliance)
      await page("icb_compliance_page", `ICB compliance page, largest ICB (${icbCode})`, `/icbs/${icbCode}/compliance`, floors.icb);
    else
      await page(
        "icb_compliance_page",
        `ICB page, largest ICB (${icbCode})`,
        `/icbs/${icbCode}`,
        undefined,
        "ICB compliance page not built yet: the ICB overview page stands in.",
      );
    if (practiceCompliance)
      await page(
        "practice_compliance_page",
        `Practice compliance page (${ods}, most devices in ${icbCode})`,
        `/practices/${ods}/compliance`,
        floors.practice,
      );
    await page("practice_overview_page", `Practice overview page (${ods})`, `/practices/${ods}`, floors.overview);
    if (routeExists("gaps._index.tsx")) {
      await page(
        "gap_register_pcn",
        `Gap register filtered to one PCN (${dataset.largestPcn.code})`,
        `/gaps?pcn=${dataset.largestPcn.code}`,
        floors.gaps ?? undefined,
      );
    } else
      results.gap_register_pcn = notBuilt(
        `Gap register filtered to one PCN (${dataset.largestPcn.code})`,
        "p95 ≤ 150 ms",
        "The gap register (issue 5) does not exist yet.",
      );
    const listBase = nationalDeviceList ? "/estate/devices" : `/practices/${ods}/devices`;
    const listNote = nationalDeviceList
      ? "National device list, admin scope (every device in England)."
      : `No national device list yet: the device list of practice ${ods} stands in.`;
    await page(
      "device_list_first_page",
      "Device list, desktops sorted by warranty end, first page",
      `${listBase}?type=desktop&sort=warranty_end&dir=asc`,
      floors.listFirst,
      listNote,
    );
    await page(
      "device_list_deep_page",
      `Device list, same filter and sort, page ${deviceListDeepPage}`,
      `${listBase}?type=desktop&sort=warranty_end&dir=asc&page=${deviceListDeepPage}`,
      floors.listDeep,
      listNote,
    );

    if (icbCompliance) {
      log(`Largest ICB re-check over HTTP (POST /icbs/${icbCode}/compliance, ${ICB_EVAL_RUNS} runs)…`);
      // The button queues a background job (issue 12) and answers at once with its page; the
      // figure is from the click until the job's page says it is done, polled as the page does.
      const posts: number[] = [];
      const t = await measure(ICB_EVAL_RUNS, async () => {
        const t0 = performance.now();
        const r = await client.postForm(`/icbs/${icbCode}/compliance`, { intent: "recheck" });
        posts.push(performance.now() - t0);
        const location = String(r.headers.location ?? "");
        if (r.status !== 302 || !/^\/jobs\/\d+$/.test(location)) throw new Error(`ICB re-check answered ${r.status} ${location}`);
        for (;;) {
          const j = await client.get(`${location}/progress`);
          const job = JSON.parse(j.body.toString("utf8")) as { status: string; error: string | null };
          if (job.status === "done") break;
          if (job.status === "failed") throw new Error(`ICB re-check failed: ${job.error}`);
          await new Promise((res) => setTimeout(res, 100));
        }
      });
      results.icb_reevaluation_http = timed(
        `Re-check of the largest ICB through the page's button: queued, run by the server's job worker, until its page says done (HTTP)`,
        t,
        null,
      );
      results.icb_recheck_request = timed(
        `The re-check button's request alone (queues the job)`,
        summarise(posts.slice(-ICB_EVAL_RUNS)),
        null,
      );
      noteMemory("icb_reevaluation_http");
    }

    if (!opt["skip-import"]) {
      results.device_import = await importBenchmark(client, dataset).catch((e: Error): Figure => {
        log(`Device import failed: ${e.message}`);
        return { label: "Device import", status: "failed", target: "≥ 5,000 rows/s", met: false, error: e.message };
      });
      noteMemory("device_import");
      // Every later step measures the dataset the report describes: the imported devices out
      // again now, not at the end. Left in, the 33,333 imported desktops (warranty ends in 2027)
      // moved the load mix's "device list deep" page (the last page of desktops by warranty end)
      // to the middle of the list, and the load run measured a 33,000-row offset walk with
      // parallel workers instead (PostgreSQL 7 ms a request against 2.6). On PGlite the database
      // is the server's while it runs, so there they go at the end (phase 3).
      if (database.serverEnv.DATABASE_URL) {
        const h = database.handle();
        try {
          const removed = await removeImportedDevices(h.db, asOf);
          log(`Removed the ${removed.devices.toLocaleString("en-GB")} imported devices and re-checked ${removed.practices} practices.`);
        } finally {
          await h.db.destroy();
        }
      }
    } else results.device_import = { label: "Device import", status: "skipped", target: "≥ 5,000 rows/s", met: null };

    if (routeExists("gaps.export.tsx")) {
      const exportPath = `/gaps/export?format=xlsx&icb=${icbCode}`;
      const runs = Math.min(RUNS, smoke ? 2 : 5);
      log(`Gap register XLSX export for ${icbCode}: ${exportPath} (${runs} runs after a warm-up)…`);
      let bytes = 0;
      const t = await measure(runs, async () => {
        const r = await client.get(exportPath);
        if (r.status !== 200) throw new Error(`GET ${exportPath} answered ${r.status}`);
        bytes = r.body.length;
      });
      results.gap_export_xlsx = {
        ...timed(`Gap register XLSX export for the largest ICB (${icbCode}), whole file received`, t, null),
        target: "≤ 5,000 ms",
        target_ms: 5_000,
        met: t.p95_ms <= 5_000,
        path: exportPath,
        bytes,
      };
      noteMemory("gap_export_xlsx");
    } else
      results.gap_export_xlsx = notBuilt(
        `Gap register XLSX export for the largest ICB (${icbCode})`,
        "≤ 5,000 ms",
        "The gap register and its export (issue 5) do not exist yet.",
      );

    // England-wide register page and downloads (scripts/bench-exports.ts).
    Object.assign(results, await exportBenchmarks(client, server, { smoke, runs: RUNS, log }));
    noteMemory("gap_exports_england");

    Object.assign(
      results,
      await benchPages({
        client,
        runs: RUNS,
        smoke,
        log,
        databaseUrl: smoke ? undefined : env.DATABASE_URL,
        largestIcb: icbCode,
        largestPractice: ods,
        largestPcn: dataset.largestPcn.code,
        otherPaths: Object.values(results).flatMap((f) => (typeof f.path === "string" && !f.path.includes("export") ? [f.path] : [])),
      }),
    );
    noteMemory("pages");

    if (!opt["skip-load"]) {
      const mix = loadMix(dataset, { listBase, deepPage: deviceListDeepPage, dashboard: dashboardBuilt });
      // Both load runs measured warm. The 1-user run follows 60 s of load; the 50-user run used to
      // follow the downloads and the import, and its first 20 s cost the server 11.4 ms of CPU a
      // request against 8.8 once warm (120 against 155 req/s: code optimised again and the heap
      // settled after those steps), which the 1-user run never paid.
      const warmUp = smoke ? 1 : 10;
      log(`Warming up: ${CONNECTIONS} users for ${warmUp} s (not counted)…`);
      await loadRun(client, mix, CONNECTIONS, warmUp);
      log(`Load run: ${CONNECTIONS} users for ${LOAD_SECONDS} s over ${mix.length} pages…`);
      load = await loadRun(client, mix, CONNECTIONS, LOAD_SECONDS);
      results.load_run = {
        label: `Load run: ${CONNECTIONS} concurrent users for ${LOAD_SECONDS} s over a mix of pages`,
        status: "measured",
        target: "0 errors",
        met: load.errors + load.non_2xx === 0,
        ...load,
      };
      noteMemory("load_run");
      results.load_scaling = await loadScaling(client, mix, load, LOAD_SECONDS, log);
      // Issue 12's "done when": the register downloaded again and again by an administrator
      // while the 50 users carry on (after the two load figures, so neither is disturbed).
      results.busy_downloads = await downloadsUnderLoad(client, server, mix, { connections: CONNECTIONS, seconds: LOAD_SECONDS, log });
      noteMemory("busy_downloads");
    } else results.load_run = { label: "Load run", status: "skipped", target: "0 errors", met: null };
  } finally {
    results.server_memory = {
      label: "Peak resident memory of the server during the run",
      status: "measured",
      target: "≤ 600 MB",
      met: server.peakRssMiB() <= 600,
      peak_rss_mib: server.peakRssMiB(),
      by_step: memoryByStep,
    };
    client.close();
    await server.stop();
  }

  // ---- Phase 3: put the data back as it was.
  {
    const h = database.handle();
    try {
      const removed = await removeImportedDevices(h.db, asOf);
      if (removed.devices)
        log(`Removed the ${removed.devices.toLocaleString("en-GB")} imported devices and re-checked ${removed.practices} practices.`);
    } finally {
      await h.db.destroy();
    }
  }
  database.cleanup();

  const figures = Object.values(results);
  const report = {
    bench: "gp-digital-estate national benchmark",
    mode: smoke ? "smoke" : "national",
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    as_of: asOf,
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? "unknown",
      memory_gib: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      load_average_before: loadBefore.map((v) => Math.round(v * 100) / 100),
      load_average_after: os.loadavg().map((v) => Math.round(v * 100) / 100),
    },
    database: dbInfo!,
    dataset: dataset!,
    settings: {
      page_runs: RUNS,
      eval_runs: EVAL_RUNS,
      icb_eval_runs: ICB_EVAL_RUNS,
      import_rows: IMPORT_ROWS,
      load_seconds: LOAD_SECONDS,
      connections: CONNECTIONS,
    },
    results,
    summary: {
      met: figures.filter((f) => f.met === true).length,
      missed: figures.filter((f) => f.met === false).map((f) => f.label),
      not_yet_built: figures.filter((f) => f.status === "not yet built").map((f) => f.label),
    },
  };
  if (opt.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report.results, report);
  if (smoke) {
    const broken = figures.filter(
      (f) => f.status === "failed" || (f.status === "measured" && "median_ms" in f && !(Number(f.median_ms) >= 0)),
    );
    const busyUsers = results.busy_downloads?.users as { errors: number } | undefined;
    const loadErrors = (load ? load.errors + load.non_2xx : 0) + (busyUsers?.errors ?? 0);
    if (broken.length || loadErrors) {
      log(`Smoke run failed: ${broken.map((f) => f.label).join(", ")}${loadErrors ? ` ${loadErrors} load-run errors` : ""}`);
      process.exitCode = 1;
    } else log("Smoke run: every benchmark ran.");
  }
}

/** Upload, check and commit a device CSV through the import pages, as a person would. */
async function importBenchmark(client: Client, dataset: Dataset): Promise<Figure> {
  const csv = importCsv(IMPORT_ROWS, dataset.importPractices);
  log(
    `Device import: ${IMPORT_ROWS.toLocaleString("en-GB")} rows across ${dataset.importPractices.length} practices (${(csv.length / 2 ** 20).toFixed(1)} MB), upload → check → commit…`,
  );
  const t0 = performance.now();
  const location = await uploadDeviceCsv(client, csv);
  const uploaded = performance.now();
  const preview = await client.page(location);
  const field = (name: string) => Number(preview.match(new RegExp(`name="${name}" value="(\\d+)"`))?.[1] ?? NaN);
  const expected = {
    expected_create: field("expected_create"),
    expected_update: field("expected_update"),
    expected_rejected: field("expected_rejected"),
  };
  if (expected.expected_create !== IMPORT_ROWS)
    throw new Error(`the check expected ${JSON.stringify(expected)}, not ${IMPORT_ROWS} new devices`);
  const checked = performance.now();
  // The confirmation queues an import job and answers at once with its page; the server's job
  // worker runs it, and its progress resource says when it is done.
  const commit = await client.postForm(location, {
    intent: "commit",
    ...Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)])),
  });
  const jobPage = commit.headers.location;
  if (commit.status !== 302 || !jobPage?.startsWith("/jobs/"))
    throw new Error(`commit answered ${commit.status}: ${commit.body.toString("utf8").slice(0, 300)}`);
  let job: { status: string; result?: { counts?: { created: number } }; error?: string } = { status: "queued" };
  for (const deadline = Date.now() + 600_000; job.status === "queued" || job.status === "running";) {
    if (Date.now() > deadline) throw new Error(`import job ${jobPage} did not finish in 10 minutes`);
    await new Promise((r) => setTimeout(r, 100));
    job = JSON.parse((await client.page(`${jobPage}/progress`)) || "{}");
  }
  if (job.status !== "done" || job.result?.counts?.created !== IMPORT_ROWS)
    throw new Error(`import job failed: ${JSON.stringify(job).slice(0, 300)}`);
  const t1 = performance.now();
  const seconds = (t1 - t0) / 1000;
  const rate = Math.round(IMPORT_ROWS / seconds);
  return {
    label: `Device import of a ${IMPORT_ROWS.toLocaleString("en-GB")}-row CSV through the import pages (upload, check, commit)`,
    status: "measured",
    target: "≥ 5,000 rows/s",
    met: rate >= 5000,
    runs: 1,
    rows: IMPORT_ROWS,
    seconds: Math.round(seconds * 100) / 100,
    rows_per_s: rate,
    phases_ms: { upload: Math.round(uploaded - t0), check_page: Math.round(checked - uploaded), commit: Math.round(t1 - checked) },
  };
}

function printReport(
  results: Record<string, Figure>,
  report: {
    machine: object;
    database: object;
    dataset: Dataset;
    settings: object;
    summary: { met: number; missed: string[]; not_yet_built: string[] };
  },
) {
  const out = (l = "") => process.stdout.write(`${l}\n`);
  out(`\nMachine:  ${JSON.stringify(report.machine)}`);
  out(`Database: ${JSON.stringify(report.database)}`);
  const d = report.dataset;
  out(
    `Dataset:  ${d.practices} practices, ${d.devices} devices, ${d.pcns} PCNs, ${d.icbs} ICBs; largest ICB ${d.largestIcb.code} (${d.largestIcb.practices} practices)`,
  );
  out(`Settings: ${JSON.stringify(report.settings)}\n`);
  for (const f of Object.values(results)) {
    const verdict = f.met === true ? "MET" : f.met === false ? "MISSED" : f.status === "measured" ? "" : f.status.toUpperCase();
    let figure = "";
    if (f.status === "measured") {
      if ("admin_rounds" in f) figure = busyLine(f);
      else if ("peak_rss_mib" in f) figure = `peak ${f.peak_rss_mib} MiB`;
      else if ("heaviest_bytes" in f) figure = pageWeightLine(f);
      else if ("throughput_ratio" in f) figure = loadScalingLine(f);
      else if ("rows_per_s" in f) figure = `${f.rows_per_s} rows/s (${f.seconds} s; phases ${JSON.stringify(f.phases_ms)})`;
      else if ("throughput_rps" in f) {
        const l = f as unknown as LoadResult;
        figure = `${l.requests} requests, ${l.throughput_rps} req/s, p50 ${l.latency_ms.p50} ms, p90 ${l.latency_ms.p90} ms, p97.5 ${l.latency_ms.p97_5} ms, p99 ${l.latency_ms.p99} ms, max ${l.latency_ms.max} ms, errors ${l.errors}, non-2xx ${l.non_2xx}`;
      } else {
        figure = `median ${f.median_ms} ms, p95 ${f.p95_ms} ms (${f.runs} runs)`;
        const floor = f.floor as Timing | undefined;
        if (floor) figure += `; SQL floor median ${floor.median_ms} ms → ${f.ratio_to_floor}× the floor`;
      }
    }
    out(`${f.label}`);
    out(`    ${figure || f.note || ""}${f.target ? `   target ${f.target}` : ""}   ${verdict}`);
  }
  out(
    `\n${report.summary.met} targets met; missed: ${report.summary.missed.join("; ") || "none"}; not yet built: ${report.summary.not_yet_built.length}`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
