import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { encode } from "turbo-stream";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { seedDemoFeeds } from "~/modules/seed/demo-feeds.server";
import { seedEstate } from "~/modules/seed/estate.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addDevices, addMainSites, addPractices, desktopRow, pcnRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { call, cookieFor, get } from "../support/requests";
import { unpackRows } from "~/modules/compliance/practice-rows-wire";

// The pages are rendered on the server from their real loader data, with Remix's router hooks
// replaced by plain elements (links carry the data-discover attribute Remix adds), to weigh the
// HTML a browser receives (issue 12: no page over 150 KB on the demo).
let loaderData: unknown;
let location = { pathname: "/", search: "" };
vi.mock("@remix-run/react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@remix-run/react")>();
  type P = { to?: string; children?: ReactNode; className?: unknown; end?: boolean; [k: string]: unknown };
  const cls = (c: unknown) => (typeof c === "function" ? c({ isActive: false }) : c);
  return {
    ...actual,
    useLoaderData: () => loaderData,
    useActionData: () => undefined,
    useLocation: () => location,
    useNavigation: () => ({ state: "idle" }),
    useRevalidator: () => ({ state: "idle", revalidate: () => {} }),
    Link: ({ to, children, className, discover, ...p }: P) =>
      createElement(
        "a",
        { "data-discover": discover === "none" ? undefined : "true", href: to, className: cls(className), ...p },
        children,
      ),
    NavLink: ({ to, children, className, end: _end, ...p }: P) =>
      createElement("a", { "data-discover": "true", href: to, className: cls(className), ...p }, children),
    Form: ({ children, method, action, ...p }: P) => createElement("form", { method, action, ...p }, children),
  };
});

const dashboard = await import("~/routes/icbs.$code_.dashboard");
const reportPack = await import("~/routes/icbs.$code_.report");
const icbCompliance = await import("~/routes/icbs.$code_.compliance._index");
const england = await import("~/routes/england._index");
const estateDevices = await import("~/routes/estate.devices._index");
const gaps = await import("~/routes/gaps._index");
const sustainability = await import("~/routes/icbs.$code_.sustainability");
const practiceCompliance = await import("~/routes/practices.$ods.compliance._index");
const practiceDevices = await import("~/routes/practices.$ods.devices._index");
const practice = await import("~/routes/practices.$ods._index");

/** Issue 12's limit on any page's HTML. */
const PAGE_LIMIT_BYTES = 150 * 1024;
/**
 * The two compliance pages' own, well under it. Measured here (with the demo's feeds): the ICB's
 * 84.2 KB (6 December 2026; 93.0 KB before session 13 sent its heat map, practices and PCNs as
 * arrays) and F84003's 92 KB (115 KB before its rows were packed as arrays and its tables styled
 * by their class, docs/performance.md session 11). On the built server with the national dataset
 * the largest ICB's (QOP, 66 PCNs) is 101.9 KB (113.3 KB before session 13) and the demo's
 * heaviest practice's (F84039) 108 KB; they were 152 and 156 KB before each row sent only what it
 * shows.
 */
const ICB_COMPLIANCE_PAGE_BUDGET_BYTES = 88 * 1024;
const PRACTICE_COMPLIANCE_PAGE_BUDGET_BYTES = 95 * 1024;
/**
 * The dashboard and its report pack at the demo's scale (48 PCNs): measured 98 and 111 KB here
 * with the demo's feeds (6 December 2026; 99 and 112 KB before session 12 packed the forecast's
 * lines by requirement, 113 and 126 KB before session 11 packed the risk table's rows and aligned
 * figures by the table's class; on the national dataset QOP's are now 103 and 116 KB).
 * On the built server with the national dataset (4 December 2026) the demo ICB's pages were 124
 * and 144 KB, and the largest ICB's (QOP, 66 PCNs) 130 and 149 KB; they were 167 and 180 KB
 * before the risk charts drew only the PCNs with most and the figures not shown stayed on the
 * server.
 */
const DASHBOARD_PAGE_BUDGET_BYTES = 101 * 1024;
const REPORT_PAGE_BUDGET_BYTES = 114 * 1024;
/**
 * The gap register filtered to the demo ICB, whose filter lists the ICBs, sub-ICB locations, and
 * the ICB's PCNs and practices (drawn in the markup and sent again as loader data): measured 86 KB
 * here (6 December 2026) once its choices and rows were sent as arrays (session 12; 97.6 KB
 * before). On the built server with the national dataset, where the lists hold 42 ICBs, 106
 * sub-ICB locations, 48 PCNs and 264 practices, it went from 137.8 to 123.4 KB.
 */
const GAPS_PAGE_BUDGET_BYTES = 90 * 1024;
/**
 * The same grouped by practice: measured 108.7 KB here (6 December 2026) once the group table
 * showed 50 practices a page (session 19; 201.3 KB with all 264 of them; on the built server with
 * the national dataset, all England's 6,220 practices made a 3.2 MB page, now 104 KB).
 */
const GAPS_BY_PRACTICE_PAGE_BUDGET_BYTES = 114 * 1024;
/**
 * The ICB's sustainability page, its practice ranking 50 practices a page and its 48 PCNs: measured
 * 94.5 KB here (6 December 2026; 209.9 KB with all 264 practices before session 19 paged them; on
 * the built server with the national dataset QOP's 408 practices made a 327 KB page).
 */
const SUSTAINABILITY_PAGE_BUDGET_BYTES = 100 * 1024;
/**
 * What every page's HTML carries besides the route's markup and data: the document head, header,
 * footer, route manifest and scripts. Measured on the built server (national dataset, 3 December
 * 2026): 11.0-11.3 KB for the two compliance pages.
 */
const SHELL_BYTES = 12 * 1024;

/** The loader data as Remix writes it into the page for hydration: turbo-stream, inside a JavaScript string. */
async function hydrationBytes(data: unknown) {
  const text = await new Response(encode({ "routes/page": { data } })).text();
  return Buffer.byteLength(JSON.stringify(text)) + 150;
}

// Page weight at the demo's scale (North East London, QMF: 264 practices in 48 PCNs, about 120
// devices a practice): the data each heavy page's loader sends, which Remix writes into the HTML
// a second time for hydration. Budgets leave room for growth while keeping every page well under
// the 150 KB of HTML that issue 12 allows (the rendered markup is about as large again).
const BUDGET_KB: Record<string, number> = {
  // The ICB's measured 13.0 KB (6 December 2026; 21.0 KB before session 13 sent its heat map,
  // practices and PCNs as arrays), the practice's 22 KB (33 KB before its rows were packed as
  // arrays); 52 and 53 KB of hydration data on the national dataset's heaviest before the rows and
  // heat-map cells sent only what they show (QOP's now 17.7 KB, 29.2 KB before session 13). The
  // dashboard's 18.6 KB (29 KB before its risk rows were packed, 19.5 KB before its forecast's
  // lines by requirement were).
  "/icbs/QMF/compliance": 15,
  "/icbs/QMF/dashboard": 21,
  "/practices/F84003/compliance": 24,
  "/practices/F84003": 3,
  "/practices/F84003/devices": 16,
  "/estate/devices": 12,
  // Measured 19.8 KB (6 December 2026; 29.8 KB before its filter's choices and its rows were
  // packed as arrays).
  "/gaps?icb=QMF": 23,
  // Measured 23.3 KB (6 December 2026; 71.4 KB before session 19 paged its practice ranking).
  "/icbs/QMF/sustainability": 26,
  "/england": 4,
};
let admin: string;

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  // The demo's generator writes F84003's estate only while it has none (the devices below come after).
  await seedEstate(db, ["F84003"]);
  const codes = await addPractices(db, 262, "T");
  // 48 PCNs, as in the demo, so the heat map has the demo's rows.
  const pcns = Array.from({ length: 47 }, (_, i) => `U7${String(i).padStart(4, "0")}`);
  await db
    .insertInto("pcn")
    .values(pcns.map((code, i) => pcnRow(code, `TEST PCN NUMBER ${i + 1} OF NORTH EAST LONDON`)))
    .execute();
  for (let i = 0; i < pcns.length; i++) {
    await db
      .updateTable("practice")
      .set({ pcn_code: pcns[i] })
      .where(
        "ods_code",
        "in",
        codes.filter((_, j) => j % 48 === i),
      )
      .execute();
  }
  const win10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };
  const old = { purchase_date: "2016-01-01", warranty_end: "2019-01-01" };
  // About 120 devices a practice; F84003, the demo's practice manager's practice, with 300, a third failing checks.
  await addDevices(
    db,
    codes.flatMap((c, i) => Array.from({ length: 117 }, (_, k) => desktopRow(c, k % 9 === 0 ? win10 : k % 7 === i % 7 ? old : {}))),
  );
  await addDevices(
    db,
    Array.from({ length: 300 }, (_, k) => desktopRow("F84003", k % 3 === 0 ? { ...win10, ...old } : {})),
  );
  // F84003 also has the demo's own synthetic estate (telephony, digital services, site facts,
  // paper records and its devices) and the ICB the demo's data feeds (DSPT statuses, Cyber
  // Essentials certificates, cloud telephony call data, supplier contracts), as `npm run db:seed`
  // writes them: with them more requirements have a reason, records and a cost to show, and the
  // demo's heaviest practice pages (F84039, 160 KB before issue 12's trim) were those with feeds.
  await seedDemoFeeds(db, "QMF", todayIso());
  await evaluateScope(db, { icb: "QMF" }, todayIso());
  admin = await cookieFor("admin@test.nhs.test");
}, 600_000);

const PAGES: [string, { loader: unknown }, Record<string, string>][] = [
  ["/icbs/QMF/compliance", icbCompliance, { code: "QMF" }],
  ["/icbs/QMF/dashboard", dashboard, { code: "QMF" }],
  ["/practices/F84003/compliance", practiceCompliance, { ods: "F84003" }],
  ["/practices/F84003", practice, { ods: "F84003" }],
  ["/practices/F84003/devices", practiceDevices, { ods: "F84003" }],
  ["/estate/devices", estateDevices, {}],
  ["/gaps?icb=QMF", gaps, {}],
  ["/icbs/QMF/sustainability", sustainability, { code: "QMF" }],
  ["/england", england, {}],
];

describe("page weight at the demo's scale", () => {
  const HTML_PAGES: [string, { loader: unknown; default: () => ReactNode }, Record<string, string>, number][] = [
    ["/icbs/QMF/compliance", icbCompliance, { code: "QMF" }, ICB_COMPLIANCE_PAGE_BUDGET_BYTES],
    ["/practices/F84003/compliance", practiceCompliance, { ods: "F84003" }, PRACTICE_COMPLIANCE_PAGE_BUDGET_BYTES],
    ["/icbs/QMF/dashboard", dashboard, { code: "QMF" }, DASHBOARD_PAGE_BUDGET_BYTES],
    ["/icbs/QMF/report", reportPack, { code: "QMF" }, REPORT_PAGE_BUDGET_BYTES],
    ["/gaps?icb=QMF", gaps, {}, GAPS_PAGE_BUDGET_BYTES],
    ["/gaps?icb=QMF&group=practice", gaps, {}, GAPS_BY_PRACTICE_PAGE_BUDGET_BYTES],
    ["/icbs/QMF/sustainability", sustainability, { code: "QMF" }, SUSTAINABILITY_PAGE_BUDGET_BYTES],
  ];
  for (const [path, module, params, budget] of HTML_PAGES) {
    it(`${path}: the HTML (markup, hydration data and the page's shell) stays under ${budget / 1024} KB`, async () => {
      const r = await call(module.loader as never, get(path, admin), params);
      expect(r.status).toBe(200);
      loaderData = JSON.parse(JSON.stringify(r.data));
      const url = new URL(path, "http://localhost");
      location = { pathname: url.pathname, search: url.search };
      const markup = Buffer.byteLength(renderToStaticMarkup(createElement(module.default)));
      const data = await hydrationBytes(r.data);
      const html = markup + data + SHELL_BYTES;
      console.log(
        `page weight ${path}: ${(html / 1024).toFixed(1)} KB of HTML (markup ${(markup / 1024).toFixed(1)} KB, data ${(data / 1024).toFixed(1)} KB)`,
      );
      // The markup is the page itself, not an error page.
      expect(markup).toBeGreaterThan(10 * 1024);
      expect(html).toBeLessThanOrEqual(budget);
      expect(html).toBeLessThanOrEqual(PAGE_LIMIT_BYTES);
    }, 120_000); // the dashboard works out its forecast afresh: slow when the machine is busy
  }

  for (const [path, module, params] of PAGES) {
    it(`${path}: the loader's data stays under ${BUDGET_KB[path]} KB`, async () => {
      const r = await call(module.loader as never, get(path, admin), params);
      expect(r.status).toBe(200);
      const bytes = Buffer.byteLength(JSON.stringify(r.data));
      console.log(`page weight ${path}: ${(bytes / 1024).toFixed(1)} KB of loader data`);
      expect(bytes).toBeLessThanOrEqual(BUDGET_KB[path] * 1024);
    }, 120_000); // the dashboard works out its forecast afresh: slow when the machine is busy
  }

  it("the fixture is at the demo's scale", async () => {
    const r = await call(icbCompliance.loader as never, get("/icbs/QMF/compliance", admin), { code: "QMF" });
    expect(r.data.openPractices).toBe(264);
    expect(r.data.heatmap.length).toBeGreaterThanOrEqual(48);
  });

  it("the fixture has the demo's feeds and F84003 the demo's estate, which the practice's page shows", async () => {
    const db = getDb();
    const count = async (table: "dspt_status" | "cyber_essentials_certificate" | "supplier_contract" | "telephony_system") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((e) => e.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count("dspt_status")).toBeGreaterThan(0);
    expect(await count("cyber_essentials_certificate")).toBeGreaterThan(0);
    expect(await count("supplier_contract")).toBeGreaterThan(0);
    expect(await count("telephony_system")).toBeGreaterThan(0);
    const r = await call(practiceCompliance.loader as never, get("/practices/F84003/compliance?domain=cyber_ig", admin), { ods: "F84003" });
    const row = (id: string) => unpackRows(r.data.rows).find((x) => x.requirement.id === id) as any;
    // SEC-01 is judged from the DSPT feed, not left unknown for want of data.
    expect(row("SEC-01").result.reason).toMatch(/2025-26|Not Published/);
    const all = await call(practiceCompliance.loader as never, get("/practices/F84003/compliance", admin), { ods: "F84003" });
    expect(unpackRows(all.data.rows).find((x) => x.requirement.id === "TEL-02")?.result?.status).not.toBe("unknown");
  });
});
