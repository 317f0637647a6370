import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { last12Months } from "~/modules/paper/carbon";
import { PRACTICE_PAGE_SIZE } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addPractices, pcnRow } from "../support/compliance-db";
import { createUser } from "../support/factories";
import { call, cookieFor, get } from "../support/requests";
import { seedAndSignIn } from "../support/scoping";

// The ICB sustainability page's practice ranking comes a page at a time (issue 12: paginate every
// list that can grow; QOP's 408 practices made a 327 KB page). QMF here: the fixture's two
// practices and 60 more, 56 of them with 12 months of paper figures (each its own amount, so each
// its own place) and 6 with none. 56 of the 62 sit in a PCN of their own (52 ranked, 4 missing),
// so its ranks differ from the ICB's. Read through the route's loader and rendered from its data.
const rendered = vi.hoisted(() => ({ loaderData: undefined as unknown, location: { pathname: "/icbs/QMF/sustainability", search: "" } }));
vi.mock("@remix-run/react", async (importOriginal) =>
  (await import("../support/remix-render")).remixForRender(await importOriginal<object>(), rendered),
);

const sustainability = await import("~/routes/icbs.$code_.sustainability");
const sustainabilityExport = await import("~/routes/icbs.$code_.sustainability.export");

const cookies: Record<string, string> = {};
const EXTRA = 60;
const RANKED = 56; // T00001-T00056 have all 12 months; T00057-T00060, F84003 and F84013 none
const PCN = "U70000";
const PCN_MEMBERS = (code: string) => {
  const n = Number(code.slice(1));
  return n <= 52 || n > RANKED;
};
/** Sheets printed each month by T0000n: all different, and not in the order of the codes. */
const sheets = (n: number) => 1000 + ((n * 37) % 61) * 100;

beforeAll(async () => {
  await seedAndSignIn(cookies, ["lead", "admin", "pm"], async (db) => {
    const codes = await addPractices(db, EXTRA, "T");
    await db.insertInto("pcn").values(pcnRow(PCN, "TEST PCN OF NORTH EAST LONDON")).execute();
    await db.updateTable("practice").set({ pcn_code: PCN }).where("ods_code", "in", codes.filter(PCN_MEMBERS)).execute();
    await db
      .insertInto("paper_activity")
      .values(
        codes.slice(0, RANKED).flatMap((code) =>
          last12Months(todayIso()).map((m) => ({
            practice_code: code,
            period_start: `${m}-01`,
            period_end: `${m}-28`,
            sheets_printed: sheets(Number(code.slice(1))),
            recycled_share_pct: 100,
            letters_posted: 100,
            sms_sent: 0,
            nhs_app_messages: 0,
            emails_sent: 0,
          })),
        ),
      )
      .execute();
    await createUser(db, { email: "lead.qhm@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QHM" }] });
  });
  cookies.qhmLead = await cookieFor("lead.qhm@test.nhs.test");
}, 300_000);

type Row = { ods_code: string; name: string; rank: number | null; per1000: number | null; pcn_code: string | null };
type Loaded = {
  practices: Row[];
  practicePage: { page: number; pageCount: number; total: number; pageSize: number };
  monthly: unknown;
  totals: unknown;
  pcns: unknown;
  pcn: unknown;
  from: string;
  to: string;
};

async function load(query: string, cookie = cookies.lead): Promise<Loaded> {
  const r = await call(sustainability.loader, get(`/icbs/QMF/sustainability${query}`, cookie), { code: "QMF" });
  expect(r.status, query).toBe(200);
  return r.data;
}

async function render(query: string) {
  const r = await call(sustainability.loader, get(`/icbs/QMF/sustainability${query}`, cookies.lead), { code: "QMF" });
  expect(r.status).toBe(200);
  rendered.loaderData = JSON.parse(JSON.stringify(r.data));
  rendered.location = { pathname: "/icbs/QMF/sustainability", search: query };
  return renderToStaticMarkup(createElement(sustainability.default as () => ReactNode));
}

/** The order worked out here: the ranked by sheets printed (same list size, same other figures), then the missing by name. */
async function expectedOrder(inPcn = false) {
  const all = await getDb().selectFrom("practice").select(["ods_code", "name", "pcn_code"]).where("icb_code", "=", "QMF").execute();
  const list = all.filter((p) => !inPcn || p.pcn_code === PCN);
  const ranked = list.filter((p) => /^T/.test(p.ods_code) && Number(p.ods_code.slice(1)) <= RANKED);
  const missing = list.filter((p) => !ranked.includes(p));
  ranked.sort((a, b) => sheets(Number(a.ods_code.slice(1))) - sheets(Number(b.ods_code.slice(1))));
  missing.sort((a, b) => a.name.localeCompare(b.name));
  return { codes: [...ranked, ...missing].map((p) => p.ods_code), ranked: ranked.length, missing: missing.length };
}

const codes = (l: Loaded) => l.practices.map((p) => p.ods_code);
const figures = ({ monthly, totals, pcns, pcn, from, to }: Loaded) => ({ monthly, totals, pcns, pcn, from, to });

describe("the ICB sustainability page's practice ranking, a page at a time", () => {
  it("page 1 and page 2 hold the practices in rank order, without overlap, ranks running on over the whole ICB", async () => {
    const expected = await expectedOrder();
    expect(expected).toMatchObject({ ranked: RANKED, missing: EXTRA + 2 - RANKED });
    const one = await load("");
    const two = await load("?page=2");
    expect(one.practicePage).toEqual({ page: 1, pageCount: 2, total: EXTRA + 2, pageSize: PRACTICE_PAGE_SIZE });
    expect(two.practicePage).toEqual({ page: 2, pageCount: 2, total: EXTRA + 2, pageSize: PRACTICE_PAGE_SIZE });
    expect(one.practices).toHaveLength(PRACTICE_PAGE_SIZE);
    expect(two.practices).toHaveLength(EXTRA + 2 - PRACTICE_PAGE_SIZE);
    expect(codes(one).filter((c) => codes(two).includes(c))).toEqual([]);
    expect([...codes(one), ...codes(two)]).toEqual(expected.codes);
    // Ranks 1-50 on page 1, 51-56 on page 2, then the missing, who have none and keep their place.
    expect(one.practices.map((p) => p.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(two.practices.map((p) => p.rank)).toEqual([51, 52, 53, 54, 55, 56, null, null, null, null, null, null]);
    const every = [...one.practices, ...two.practices];
    for (let i = 1; i < RANKED; i++) expect(every[i].per1000!).toBeGreaterThan(every[i - 1].per1000!);
    expect(every.slice(RANKED).every((p) => p.per1000 === null)).toBe(true);
  });

  it("the ICB's totals, months and PCNs are the same on every page", async () => {
    const one = await load("");
    const two = await load("?page=2");
    expect(figures(two)).toEqual(figures(one));
    expect(one.totals).toMatchObject({ practices: EXTRA + 2, complete: RANKED });
    expect((one.monthly as { reporting: number }[]).every((m) => m.reporting === RANKED)).toBe(true);
  });

  it("one PCN: ranked over the PCN, not the ICB, and paged the same way", async () => {
    const expected = await expectedOrder(true);
    expect(expected).toMatchObject({ ranked: 52, missing: 4 });
    const one = await load(`?pcn=${PCN}`);
    const two = await load(`?pcn=${PCN}&page=2`);
    expect(one.practicePage).toMatchObject({ page: 1, pageCount: 2, total: 56 });
    expect([...codes(one), ...codes(two)]).toEqual(expected.codes);
    expect([...one.practices, ...two.practices].map((p) => p.rank)).toEqual([
      ...Array.from({ length: 52 }, (_, i) => i + 1),
      null,
      null,
      null,
      null,
    ]);
    expect(figures(two)).toEqual(figures(one));
    // The PCN's ranks are not the ICB's: some of the ICB's ranked practices are in another PCN.
    const icb = [...(await load("")).practices, ...(await load("?page=2")).practices];
    const icbRank = new Map(icb.map((p) => [p.ods_code, p.rank]));
    const differ = [...one.practices, ...two.practices].filter((p) => p.rank !== null && icbRank.get(p.ods_code) !== p.rank);
    expect(differ.length).toBeGreaterThan(0);
  });

  it("a page that is not a page number is page 1; one past the end is the last page; never an error", async () => {
    const first = codes(await load(""));
    const last = codes(await load("?page=2"));
    for (const junk of ["abc", "0", "-2", "1.5", "", "%00", "1e400"]) {
      const r = await load(`?page=${junk}`);
      expect(r.practicePage.page, junk).toBe(1);
      expect(codes(r), junk).toEqual(first);
    }
    for (const far of ["3", "999", "100000000"]) {
      const r = await load(`?page=${far}`);
      expect(r.practicePage, far).toMatchObject({ page: 2, total: EXTRA + 2 });
      expect(codes(r), far).toEqual(last);
    }
  });

  it("the downloads are not paged: every practice, ranked as on the pages", async () => {
    const csv = await (
      await call(sustainabilityExport.loader, get("/icbs/QMF/sustainability/export?format=csv&page=2", cookies.lead), { code: "QMF" })
    ).response!.text();
    const lines = csv
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n")
      .slice(1);
    expect(lines).toHaveLength(EXTRA + 2);
    const paged = [...(await load("")).practices, ...(await load("?page=2")).practices];
    expect(lines.map((l) => l.split(",").slice(0, 2).join(","))).toEqual(paged.map((p) => `${p.rank ?? ""},${p.ods_code}`));
  });

  it("still scoped: another ICB's lead and a practice manager get 404 on any page", async () => {
    for (const q of ["", "?page=2", `?pcn=${PCN}&page=2`]) {
      for (const cookie of [cookies.qhmLead, cookies.pm]) {
        const r = await call(sustainability.loader, get(`/icbs/QMF/sustainability${q}`, cookie), { code: "QMF" });
        expect(r.status, q).toBe(404);
      }
    }
    // QHM's lead pages QHM's own ranking: one practice, one page.
    const own = await call(sustainability.loader, get("/icbs/QHM/sustainability?page=2", cookies.qhmLead), { code: "QHM" });
    expect(own.status).toBe(200);
    expect(own.data.practicePage).toMatchObject({ page: 1, pageCount: 1, total: 1 });
    expect(own.data.practices.map((p: Row) => p.ods_code)).toEqual(["A81001"]);
  });
});

/**
 * The links to the page itself: where to, whether the pagination's Previous or Next, whether one of
 * its numbered pages ("Page 2"), and their text.
 */
const pageLinks = (html: string) =>
  [...html.matchAll(/<a href="(\/icbs\/QMF\/sustainability(?:\?[^"]*)?)"([^>]*)>([^<]*)/g)].map((m) => ({
    href: m[1].replace(/&amp;/g, "&"),
    paging: /rel="(prev|next)"/.test(m[2]),
    numbered: /aria-label="Page \d+"/.test(m[2]),
    text: m[3],
  }));

describe("the practice ranking as rendered", () => {
  it("page 2: the ICB-wide ranks, its own navigation, and links to a PCN or back that start at page 1", async () => {
    const html = await render(`?pcn=${PCN}&page=2`);
    const table = html.slice(html.indexOf('id="practice-ranking"'));
    const ranks = [...table.matchAll(/<tr><td class="app-numeric">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(ranks).toEqual(["51", "52", "–", "–", "–", "–"]);
    expect(html).toContain('aria-label="Pagination of the practice ranking"');
    expect(html).toContain("56 practices · page 2 of 2");
    // The page's own links: back to page 1 keeping the PCN; the PCN table's links and "Back to
    // the whole ICB" carry no page.
    const links = pageLinks(html);
    expect(links.filter((l) => l.paging).map((l) => l.href)).toEqual([`/icbs/QMF/sustainability?pcn=${PCN}`]);
    expect(links.filter((l) => l.numbered).map((l) => [l.text, l.href])).toEqual([
      ["1", `/icbs/QMF/sustainability?pcn=${PCN}`],
      ["2", `/icbs/QMF/sustainability?pcn=${PCN}&page=2`],
    ]);
    expect(html).toMatch(/<a href="[^"]*page=2"[^>]*aria-label="Page 2" aria-current="page">2<\/a>/);
    expect(links.find((l) => l.text === "Back to the whole ICB")?.href).toBe("/icbs/QMF/sustainability");
    const pcnLinks = links.filter((l) => !l.paging && !l.numbered && l.href.includes("pcn="));
    expect(pcnLinks.map((l) => l.href)).toEqual([`/icbs/QMF/sustainability?pcn=${PCN}`]);
    expect(html).toContain("Ranked over the whole PCN, 50 practices a page.");
    // The downloads are the whole PCN's, not this page's.
    expect(html).toContain(`href="/icbs/QMF/sustainability/export?format=csv&amp;pcn=${PCN}"`);
  });

  it("the whole ICB, page 1: 50 rows ranked 1 to 50 and a link to page 2", async () => {
    const html = await render("");
    const table = html.slice(html.indexOf('id="practice-ranking"'));
    const ranks = [...table.matchAll(/<tr><td class="app-numeric">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(ranks).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
    expect(html).toContain(`${EXTRA + 2} practices · page 1 of 2`);
    expect(html).toMatch(/<a href="\/icbs\/QMF\/sustainability\?page=2" [^>]*rel="next"/);
    expect(html).toContain("Ranked over the whole ICB, 50 practices a page.");
  });

  it("the whole ICB, page 2: the ranks run on from 51, and the PCN table's links start the PCN at page 1", async () => {
    const html = await render("?page=2");
    const table = html.slice(html.indexOf('id="practice-ranking"'));
    const ranks = [...table.matchAll(/<tr><td class="app-numeric">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(ranks).toEqual(["51", "52", "53", "54", "55", "56", "–", "–", "–", "–", "–", "–"]);
    const links = pageLinks(html);
    expect(links.filter((l) => l.paging).map((l) => l.href)).toEqual(["/icbs/QMF/sustainability"]);
    expect(links.filter((l) => l.numbered).map((l) => l.href)).toEqual(["/icbs/QMF/sustainability", "/icbs/QMF/sustainability?page=2"]);
    expect(
      links
        .filter((l) => !l.paging && !l.numbered)
        .map((l) => l.href)
        .sort(),
    ).toEqual(["/icbs/QMF/sustainability?pcn=U05451", `/icbs/QMF/sustainability?pcn=${PCN}`]);
  });
});
