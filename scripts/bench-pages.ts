import { sql } from "kysely";
/**
 * Part of `npm run bench` (scripts/bench.ts calls these): the national views an admin uses, the
 * weight of each benchmarked page, the cold ICB dashboard, and the load run's scaling from one
 * user to many over the same page mix.
 */
import fs from "node:fs";
import path from "node:path";
import { createPostgresDb } from "#db/connect";
import type { Dataset } from "./bench-db";
import { measure, loadRun, summarise, type Client, type LoadResult, type Timing } from "./bench-lib";

type Figure = {
  label: string;
  status: "measured" | "not yet built" | "skipped" | "failed";
  target: string | null;
  met: boolean | null;
  [k: string]: unknown;
};
const root = path.resolve(import.meta.dirname, "..");
const routeExists = (file: string) => fs.existsSync(path.join(root, "app/routes", file));

/** Page weight budget (HTML bytes as sent, before compression), from issue 12. */
export const PAGE_BUDGET_BYTES = 150 * 1024;

/**
 * The HTML's bytes and, within them, the inline scripts that carry the loader data Remix sends
 * again for hydration (window.__remixContext and its stream of loader data).
 */
export function pageWeight(html: string) {
  const bytes = Buffer.byteLength(html);
  const scripts = [...html.matchAll(/<script[^>]*>(.*?)<\/script>/gs)].map((m) => m[1]).filter((s) => s.includes("__remixContext"));
  return { html_bytes: bytes, loader_json_bytes: scripts.length ? scripts.reduce((n, s) => n + Buffer.byteLength(s), 0) : null };
}

function timedFigure(label: string, t: Timing, targetMs: number | null, extra: Record<string, unknown> = {}): Figure {
  return {
    label,
    status: "measured",
    target: targetMs === null ? null : `p95 ≤ ${targetMs.toLocaleString("en-GB")} ms`,
    target_ms: targetMs,
    met: targetMs === null ? null : t.p95_ms <= targetMs,
    ...t,
    ...extra,
  };
}

export interface PagesContext {
  client: Client;
  runs: number;
  smoke: boolean;
  log: (l: string) => void;
  /** PostgreSQL URL when the run uses one: the cold-load figures touch a row through it. */
  databaseUrl?: string;
  largestIcb: string;
  largestPractice: string;
  largestPcn: string;
  /** Paths the rest of the benchmark times, to weigh as well. */
  otherPaths: string[];
}

/** The England-wide views, the cold dashboard and every page's weight. */
export async function benchPages(ctx: PagesContext): Promise<Record<string, Figure>> {
  const { client, runs, log } = ctx;
  const results: Record<string, Figure> = {};
  const timePage = async (key: string, label: string, urlPath: string, targetMs: number) => {
    log(`${label}: ${urlPath} (${runs} runs after 3 warm-ups)…`);
    let first: number | null = null;
    const t0 = performance.now();
    await client.page(urlPath);
    first = Math.round(performance.now() - t0);
    const t = await measure(runs, () => client.page(urlPath), 2);
    results[key] = timedFigure(label, t, targetMs, { path: urlPath, first_load_ms: first });
  };

  if (routeExists("england._index.tsx")) {
    // The first load after the server starts works out every ICB's part (cold); later loads reuse them.
    await timePage("england_page", "All of England (admin): every ICB's compliance, gaps and device risk", "/england", 1000);
  }
  await timePage("england_device_list", "Device list for all of England (admin), first page, no filter", "/estate/devices", 1000);

  // Cold loads: a change in the largest ICB (a device's notes rewritten as they were, which moves
  // that ICB's change stamp like any write) before each request, so nothing is reused.
  if (ctx.databaseUrl) {
    const h = createPostgresDb(ctx.databaseUrl, 2);
    try {
      const touch = async () => {
        await h.db
          .updateTable("device")
          .set((eb) => ({ notes: eb.ref("notes") }))
          .where("id", "=", (eb) =>
            eb
              .selectFrom("device as d")
              .innerJoin("practice as p", "p.ods_code", "d.practice_code")
              .select((e) => e.fn.min("d.id").as("id"))
              .where("p.icb_code", "=", ctx.largestIcb),
          )
          .execute();
      };
      const coldRuns = ctx.smoke ? 2 : 5;
      const cold = async (key: string, label: string, urlPath: string, targetMs: number) => {
        log(`${label}: ${urlPath} (${coldRuns} runs, each after a change in ${ctx.largestIcb})…`);
        const samples: number[] = [];
        await client.page(urlPath);
        for (let i = 0; i < coldRuns; i++) {
          await touch();
          const t0 = performance.now();
          await client.page(urlPath);
          samples.push(performance.now() - t0);
        }
        results[key] = timedFigure(label, summarise(samples), targetMs, { path: urlPath });
      };
      if (routeExists("icbs.$code_.dashboard.tsx"))
        await cold(
          "icb_dashboard_cold",
          `ICB dashboard of the largest ICB (${ctx.largestIcb}) after a change in it (cold)`,
          `/icbs/${ctx.largestIcb}/dashboard`,
          1000,
        );
      if (routeExists("england._index.tsx"))
        await cold("england_page_after_change", `All of England after a change in one ICB (${ctx.largestIcb})`, "/england", 1000);
      // The England-wide gap register and device list keep their totals on the change stamps: after a
      // change in one ICB the register adds up that ICB's part again, the device list counts again.
      await cold(
        "gap_register_england_after_change",
        `Gap register for all of England (admin) after a change in one ICB (${ctx.largestIcb})`,
        "/gaps",
        1000,
      );
      await cold(
        "england_device_list_after_change",
        `Device list for all of England (admin) after a change in one ICB (${ctx.largestIcb})`,
        "/estate/devices",
        1000,
      );
      // A filter or grouping nobody has asked for since the server started: its totals are added up
      // from the cube of every ICB the register keeps (gaps/register-cube.ts), which the loads above
      // priced (the closed gaps' half is priced by the first of these). Each path is loaded once;
      // the first also reads the page's rows.
      const fresh = ["icb", "sub_icb", "pcn", "practice", "domain", "category", "funder"]
        .slice(0, ctx.smoke ? 2 : undefined)
        .map((g) => `/gaps?status=all&group=${g}`);
      log(`Gap register for all of England (admin), ${fresh.length} groupings never loaded before…`);
      const freshSamples: number[] = [];
      for (const p of fresh) {
        const t0 = performance.now();
        await client.page(p);
        freshSamples.push(performance.now() - t0);
      }
      results.gap_register_england_new_view = timedFigure(
        "Gap register for all of England (admin), a grouping not loaded before (added up from the ICBs' kept cubes)",
        summarise(freshSamples),
        1000,
        { paths: fresh },
      );
      // The worst case: a change to a national price in force today moves every ICB's stamp and
      // the prices every open gap is priced at, and nothing is kept in the database either (as
      // after a national re-check), so every open gap of England is priced again. (Closed gaps
      // are priced again too, as they are when a price in force by a closing day changes; the
      // national dataset has none, so no price decides its closed half and that is kept, and
      // docs/performance.md, session 24, measures a copy with a year of them. A change no pricing
      // reads, or a price from a later date, prices no gap again.)
      // Each sample waits for the server to keep the cube it priced (it does so after answering)
      // before the next change; the price is put back after.
      const nothingKeptPath = "/gaps?status=all&group=icb";
      log(`Gap register for all of England (admin) after a national change, nothing kept: ${nothingKeptPath} (${coldRuns} runs)…`);
      const nothingKept: number[] = [];
      // A national price in force today: a change to it moves the prices every open gap is kept on.
      const { rows: inForce } = await sql<{ id: number }>`
        select id from price_list_entry where icb_code is null and effective_from <= current_date
        order by effective_from desc, id limit 1`.execute(h.db);
      const changedPrice = inForce[0]!.id;
      for (let i = 0; i < coldRuns; i++) {
        await sql`update price_list_entry set unit_cost_pence = unit_cost_pence + 1 where id = ${changedPrice}`.execute(h.db);
        await sql`delete from kept_figure where kind = 'gap_cube'`.execute(h.db);
        const t0 = performance.now();
        await client.page(nothingKeptPath);
        nothingKept.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 2000));
      }
      await sql`update price_list_entry set unit_cost_pence = unit_cost_pence - ${coldRuns} where id = ${changedPrice}`.execute(h.db);
      results.gap_register_england_nothing_kept = timedFigure(
        "Gap register for all of England (admin) after a change to national prices, nothing kept: every gap priced again",
        summarise(nothingKept),
        1000,
        { path: nothingKeptPath },
      );
      // A change in another ICB must leave the largest ICB's dashboard warm.
    } finally {
      await h.db.destroy();
    }
  } else log("Cold-load figures need PostgreSQL (DATABASE_URL): skipped on PGlite.");

  // Page weight: every page the benchmark times, plus the demo ICB's (QMF) when it is there.
  const paths = [
    ...new Set([
      `/icbs/${ctx.largestIcb}/compliance`,
      `/icbs/${ctx.largestIcb}/dashboard`,
      `/icbs/${ctx.largestIcb}/report`,
      // The largest ICB's paper and carbon ranking: one row per practice, 50 a page.
      `/icbs/${ctx.largestIcb}/sustainability`,
      `/practices/${ctx.largestPractice}/compliance`,
      `/practices/${ctx.largestPractice}`,
      `/practices/${ctx.largestPractice}/devices`,
      `/gaps?pcn=${ctx.largestPcn}`,
      "/estate/devices",
      "/gaps",
      // All of England grouped by practice: 6,220 group rows, 50 a page.
      "/gaps?status=all&group=practice",
      "/england",
      "/icbs/QMF/compliance",
      "/icbs/QMF/dashboard",
      "/icbs/QMF/report",
      "/funding-requests",
      "/practices/F84003/compliance",
      ...ctx.otherPaths,
    ]),
  ];
  const pages: Record<string, { html_bytes: number; loader_json_bytes: number | null }> = {};
  for (const p of paths) {
    const r = await client.get(p);
    if (r.status === 200) pages[p] = pageWeight(r.body.toString("utf8"));
  }
  const heaviest = Math.max(...Object.values(pages).map((w) => w.html_bytes));
  results.page_weight = {
    label: "Page weight: HTML bytes of each page (before compression), and the loader data within them",
    status: "measured",
    target: `every page ≤ ${PAGE_BUDGET_BYTES / 1024} KB`,
    met: heaviest <= PAGE_BUDGET_BYTES,
    heaviest_bytes: heaviest,
    pages,
  };
  return results;
}

/**
 * The same page mix as the many-user load run with one user: throughput with many users over
 * throughput with one says how far the server uses the machine (one Node process serves on one
 * core, so the ratio stays near 1 until several processes serve).
 */
export async function loadScaling(
  client: Client,
  mix: { name: string; path: string }[],
  many: LoadResult,
  seconds: number,
  log: (l: string) => void,
): Promise<Figure> {
  log(`Load run: 1 user for ${seconds} s over the same ${mix.length} pages…`);
  const one = await loadRun(client, mix, 1, seconds);
  const ratio = one.throughput_rps > 0 ? Math.round((many.throughput_rps / one.throughput_rps) * 100) / 100 : null;
  const p975 = many.latency_ms.p97_5;
  return {
    label: `Load scaling: ${many.connections} users against 1 user over the same page mix`,
    status: "measured",
    target: `${many.connections} users ≥ 1.6 × the throughput of 1, 0 errors, p97.5 ≤ 2,000 ms`,
    met: ratio !== null && ratio >= 1.6 && many.errors + many.non_2xx === 0 && p975 <= 2000,
    throughput_ratio: ratio,
    one_user: { throughput_rps: one.throughput_rps, latency_ms: one.latency_ms, errors: one.errors + one.non_2xx, requests: one.requests },
    many_users: {
      connections: many.connections,
      throughput_rps: many.throughput_rps,
      latency_ms: many.latency_ms,
      errors: many.errors + many.non_2xx,
      requests: many.requests,
    },
  };
}

/** The human-readable report's line for the page weights. */
export function pageWeightLine(f: Record<string, unknown>) {
  const pages = f.pages as Record<string, { html_bytes: number; loader_json_bytes: number | null }>;
  const kb = (n: number | null) => (n === null ? "?" : `${Math.round(n / 102.4) / 10} KB`);
  return Object.entries(pages)
    .map(([p, w]) => `\n      ${p}: ${kb(w.html_bytes)} (loader data ${kb(w.loader_json_bytes)})`)
    .join("");
}

export function loadScalingLine(f: Record<string, unknown>) {
  const one = f.one_user as { throughput_rps: number; latency_ms: LoadResult["latency_ms"] };
  const many = f.many_users as { connections: number; throughput_rps: number; latency_ms: LoadResult["latency_ms"]; errors: number };
  return `1 user ${one.throughput_rps} req/s (p50 ${one.latency_ms.p50} ms); ${many.connections} users ${many.throughput_rps} req/s (p50 ${many.latency_ms.p50}, p97.5 ${many.latency_ms.p97_5}, p99 ${many.latency_ms.p99} ms, ${many.errors} errors): ${f.throughput_ratio}×`;
}

/**
 * The load runs' page mix (`npm run bench` and scripts/bench-load-cpu.ts): the largest ICB's
 * compliance page, eight practices' compliance and device pages, the largest practice's overview,
 * the device list's first and deep pages, the largest PCN and the ICB dashboard.
 */
export function loadMix(dataset: Dataset, opts: { listBase: string; deepPage: number; dashboard: boolean }) {
  const icb = dataset.largestIcb.code;
  const list = `${opts.listBase}?type=desktop&sort=warranty_end&dir=asc`;
  return [
    { name: "ICB compliance", path: `/icbs/${icb}/compliance` },
    ...dataset.samplePractices.slice(0, 8).flatMap((p) => [
      { name: "practice compliance", path: `/practices/${p}/compliance` },
      { name: "practice devices", path: `/practices/${p}/devices` },
    ]),
    { name: "practice overview", path: `/practices/${dataset.largestPractice.ods_code}` },
    { name: "device list", path: list },
    { name: "device list deep", path: `${list}&page=${opts.deepPage}` },
    { name: "PCN page", path: `/pcns/${dataset.largestPcn.code}` },
    ...(opts.dashboard ? [{ name: "ICB dashboard", path: `/icbs/${icb}/dashboard` }] : []),
  ];
}
