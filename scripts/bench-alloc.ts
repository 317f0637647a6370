/**
 * `tsx scripts/bench-alloc.ts`: bytes the JavaScript heap allocates per request for each page of
 * the benchmark's load mix (scripts/bench-pages.ts `loadMix`), and where. The built app
 * (build/server) is served in this process, as a server process serves it (scripts/server/app.ts),
 * and loaded one request at a time by the same keep-alive client the benchmark uses; V8's sampling
 * heap profiler runs with objects collected by both collectors kept in its samples, so what it
 * reports is everything allocated, garbage included, not what survived. The client's own share
 * (some tens of KB a request: the response's headers and chunks as they are read) is counted too.
 *
 * Options: --root DIR (the checkout whose build to serve; default this one), --runs N (requests
 * per page after two untimed, default 30), --interval BYTES (sampling interval, default 4096),
 * --page NAME (only pages whose name contains NAME), --path P[,P…] (these paths in place of the
 * mix, for any of the modes below), --top N (allocating functions to list per
 * page, default 12), --json FILE (write the figures), --save DIR (each page's sampling profile as
 * NAME.heapprofile, which Chrome's DevTools open), --dump DIR (every page of the mix as HTML, its
 * nonces blanked, to compare two builds' pages byte for byte; nothing is measured), --users N
 * --seconds S (instead of the profile: the mix by N users at once for S seconds, between the lines
 * "measure: start" and "measure: end N requests" on stdout; run under node's --trace-gc-nvp and
 * sum what the collector printed between them: scavenges, bytes promoted, full collections per
 * request, figures that do not depend on how busy the machine is), --render-concurrency N
 * (requests in Remix at once, as RENDER_CONCURRENCY sets it for a server process; default 4),
 * --retained (with node's --expose-gc: the profile of what outlived two young-generation
 * collections after the requests instead of everything allocated; on Node 20 the `gc()` call
 * runs full collections, so this is what was still alive, not what was promoted), --promoted
 * (with --expose-gc: where what the mix's requests promote to the old generation was allocated,
 * see below; docs/performance.md, session 15, "what each request leaves behind"). With --users,
 * --page runs only the mix's pages whose name contains it.
 * Needs DATABASE_URL (a copy of the national dataset, never nat_perf itself).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    root: { type: "string" },
    runs: { type: "string" },
    interval: { type: "string" },
    page: { type: "string" },
    path: { type: "string" },
    top: { type: "string" },
    json: { type: "string" },
    save: { type: "string" },
    dump: { type: "string" },
    users: { type: "string" },
    retained: { type: "boolean" },
    promoted: { type: "boolean" },
    "render-concurrency": { type: "string" },
    seconds: { type: "string" },
  },
});
const root = path.resolve(opt.root ?? path.join(import.meta.dirname, ".."));
const RUNS = Number(opt.runs ?? 30);
const INTERVAL = Number(opt.interval ?? 4096);
const TOP = Number(opt.top ?? 12);

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Self bytes by function (name and place), and by where the code lives (the app, a package, Node). */
function attribute(head: ProfileNode) {
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  const walk = (n: ProfileNode) => {
    if (n.selfSize > 0) {
      total += n.selfSize;
      const { functionName, url, lineNumber } = n.callFrame;
      const file = url.replace(/^file:\/\//, "");
      const short = file.includes("node_modules/")
        ? file.slice(file.lastIndexOf("node_modules/") + 13)
        : path.relative(root, file) || file || "(native)";
      const key = `${functionName || "(anonymous)"} ${short}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + n.selfSize);
      const owner = file.includes("node_modules/")
        ? file
            .slice(file.lastIndexOf("node_modules/") + 13)
            .split("/")
            .slice(0, file.includes("node_modules/@") ? 2 : 1)
            .join("/")
        : file.startsWith("node:") || !file
          ? "node / native"
          : path.relative(root, file).split("/").slice(0, 2).join("/");
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c);
  };
  walk(head);
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, byFunction: sorted(byFunction), byOwner: sorted(byOwner) };
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("Set DATABASE_URL to a copy of the national dataset.");
  process.env.NODE_ENV = "production";
  process.env.LOG_LEVEL ??= "warn";
  process.env.SESSION_SECRET ??= randomBytes(24).toString("hex");
  // After the environment is set: these read it when they load.
  const { installRouteMatchingCache } = await import("./server/route-matching");
  const { installStaticRouter } = await import("./server/static-router");
  const { createHttpServer } = await import("./server/http-server");
  const { createApp } = await import("./server/app");
  const { createDbFromEnv } = await import("#db/connect");
  const { getEnv } = await import("~/utils/env.server");
  const { describeDataset, deepDesktopPage } = await import("./bench-db");
  const { loadMix } = await import("./bench-pages");
  const { Client } = await import("./bench-lib");

  const env = getEnv();
  const h = createDbFromEnv(env);
  const dataset = await describeDataset(h.db);
  const deep = await deepDesktopPage(h.db);
  await h.db.destroy();
  // --path: these paths (comma-separated) in place of the mix, to bisect by page and by layer.
  const mix = opt.path
    ? opt.path.split(",").map((p) => ({ name: p, path: p }))
    : loadMix(dataset, { listBase: "/estate/devices", deepPage: deep, dashboard: true });

  installRouteMatchingCache();
  installStaticRouter();
  const build = await import(pathToFileURL(path.join(root, "build/server/index.js")).href);
  const app = createApp({
    build,
    clientDir: path.join(root, "build/client"),
    production: true,
    renderConcurrency: Number(opt["render-concurrency"] ?? 4),
  });
  const server = createHttpServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const client = new Client(port, 4);
  await client.signIn("admin@demo.gp-estate.test", env.DEMO_PASSWORD);

  // Every page twice first: the kept summaries, the dashboard's forecast, compiled code.
  for (let i = 0; i < 2; i++) for (const m of mix) await client.page(m.path);

  if (opt.dump) {
    fs.mkdirSync(opt.dump, { recursive: true });
    for (const m of mix) {
      const html = (await client.page(m.path)).replace(/nonce="[^"]*"/g, 'nonce=""');
      fs.writeFileSync(path.join(opt.dump, `${m.path.replace(/\W+/g, "_")}.html`), html);
    }
    process.exit(0);
  }

  if (opt.promoted) {
    // What requests leave in the old generation: a full collection first, then --runs requests of
    // the mix by one user under the sampling profiler, on to the next scavenge (which frees the
    // young garbage since the last), and the samples of what was not freed by a scavenge: what was
    // promoted, alive or not. Samples freed by a full collection are kept, as the profiler's report
    // itself runs one; any other full collection in the window would count the young generation's
    // garbage too, so their number is printed (run under --heap-growing-percent=400
    // --no-memory-reducer to put them off). Needs --expose-gc.
    const { PerformanceObserver, constants } = await import("node:perf_hooks");
    const runs = Number(opt.runs ?? 66);
    const gc = global.gc as unknown as (o?: object) => void;
    let full = 0;
    let minor = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
        else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
      }
    });
    gc();
    await new Promise((r) => setTimeout(r, 50));
    observer.observe({ entryTypes: ["gc"] });
    const session = new Session();
    session.connect();
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: INTERVAL,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: false,
    });
    let done = 0;
    for (; done < runs; done++) await client.page(mix[done % mix.length].path);
    // Then on to the next scavenge, which frees the garbage since the last one (forcing one from
    // here, gc({ type: "minor" }), ran a full collection on this Node).
    for (const seen = minor; minor === seen; done++) await client.page(mix[done % mix.length].path);
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ProfileNode } };
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    if (opt.save) {
      fs.mkdirSync(opt.save, { recursive: true });
      fs.writeFileSync(path.join(opt.save, "promoted.heapprofile"), JSON.stringify(profile));
    }
    const a = attribute(profile.head);
    const perRequest = (b: number) => (b / done / 1024).toFixed(1);
    console.log(
      `${done} requests, ${minor} scavenges, ${full} full collections (should be 0): ${perRequest(a.total)} KB per request left in the old generation`,
    );
    console.log(
      "  by owner: " +
        a.byOwner
          .slice(0, 10)
          .map(([k, v]) => `${k} ${perRequest(v)}`)
          .join(", "),
    );
    for (const [k, v] of a.byFunction.slice(0, TOP)) console.log(`  ${perRequest(v).padStart(7)} KB  ${k}`);
    process.exit(0);
  }

  if (opt.users) {
    const users = Number(opt.users);
    const { loadRun } = await import("./bench-lib");
    const loadClient = new Client(port, users + 4);
    await loadClient.signIn("admin@demo.gp-estate.test", env.DEMO_PASSWORD);
    // --page: only the mix's pages whose name contains it, to see what each page leaves behind.
    const run = opt.page ? mix.filter((m) => m.name.includes(opt.page!)) : mix;
    await loadRun(loadClient, run, users, 5);
    process.stdout.write("measure: start\n");
    const r = await loadRun(loadClient, run, users, Number(opt.seconds ?? 20));
    process.stdout.write(`measure: end ${r.requests} requests\n`);
    console.error(JSON.stringify({ users, requests: r.requests, rps: r.throughput_rps, errors: r.errors + r.non_2xx }));
    process.exit(0);
  }

  // One entry per distinct page name; the practice pages go round the eight practices.
  const pages = new Map<string, string[]>();
  for (const m of mix) pages.set(m.name, [...(pages.get(m.name) ?? []), m.path]);
  const session = new Session();
  session.connect();
  const results: Record<string, unknown>[] = [];
  for (const [name, paths] of pages) {
    if (opt.page && !name.includes(opt.page)) continue;
    let bytes = 0;
    for (let i = 0; i < 2; i++) bytes += (await client.page(paths[i % paths.length])).length;
    global.gc?.();
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: INTERVAL,
      includeObjectsCollectedByMajorGC: !opt.retained,
      includeObjectsCollectedByMinorGC: !opt.retained,
    });
    bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      // The body kept as a Buffer (outside the JavaScript heap): the client's own garbage stays small.
      const r = await client.get(paths[i % paths.length]);
      if (r.status !== 200) throw new Error(`GET ${paths[i % paths.length]} answered ${r.status}`);
      bytes += r.body.length;
    }
    // --retained: what outlived the requests' own garbage (two young-generation collections, so
    // what is left is in the old generation, alive or not yet collected there).
    if (opt.retained) for (let i = 0; i < 2; i++) (global.gc as unknown as (o: object) => void)({ type: "minor", execution: "sync" });
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: { head: ProfileNode } };
    if (opt.save) {
      fs.mkdirSync(opt.save, { recursive: true });
      fs.writeFileSync(path.join(opt.save, `${name.replace(/\W+/g, "-")}.heapprofile`), JSON.stringify(profile));
    }
    const a = attribute(profile.head);
    const perRequest = (b: number) => Math.round(b / RUNS / 1024);
    console.log(`\n${name}: ${perRequest(a.total)} KB allocated per request (page ${Math.round(bytes / RUNS / 1024)} KB)`);
    console.log(
      "  by owner: " +
        a.byOwner
          .slice(0, 8)
          .map(([k, v]) => `${k} ${perRequest(v)}`)
          .join(", "),
    );
    for (const [k, v] of a.byFunction.slice(0, TOP)) console.log(`  ${String(perRequest(v)).padStart(6)} KB  ${k}`);
    results.push({
      name,
      kbPerRequest: perRequest(a.total),
      pageKb: Math.round(bytes / RUNS / 1024),
      byOwner: Object.fromEntries(a.byOwner.map(([k, v]) => [k, perRequest(v)])),
      byFunction: a.byFunction.slice(0, 40).map(([k, v]) => [k, perRequest(v)]),
    });
  }
  // The mix as the load run weighs it: each entry of the mix once.
  const weighted = mix.reduce((s, m) => s + Number((results.find((r) => r.name === m.name)?.kbPerRequest as number) ?? 0), 0) / mix.length;
  if (!opt.page) console.log(`\nMix (each of its ${mix.length} requests once): ${Math.round(weighted)} KB allocated per request`);
  if (opt.json) fs.writeFileSync(opt.json, JSON.stringify({ intervalBytes: INTERVAL, runs: RUNS, results, mixKb: weighted }, null, 2));
  session.disconnect();
  client.close();
  server.close();
  server.closeAllConnections();
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
