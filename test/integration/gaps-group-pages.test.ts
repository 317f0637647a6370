import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { GapTotals } from "~/components/gaps/GapTotals";
import { GROUP_PAGE_SIZE, groupGaps, groupKeyOf, groupProbe, pageOfGroups, summarise, type GroupRow } from "~/modules/gaps/register";
import { unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addDevices, addPractices, desktopRow } from "../support/compliance-db";
import { seedGaps } from "../support/gaps-fixture";
import { call, get } from "../support/requests";
import { seedAndSignIn } from "../support/scoping";

// The register's group table comes a page at a time (issue 12: paginate every list that can
// grow): 60 more practices in QMF, each with a gap, make 63 practices with gaps, two pages of
// groups. Read through the route's loader as each role would, and rendered from its real data.
const rendered = vi.hoisted(() => ({ loaderData: undefined as unknown, location: { pathname: "/gaps", search: "" } }));
vi.mock("@remix-run/react", async (importOriginal) =>
  (await import("../support/remix-render")).remixForRender(await importOriginal<object>(), rendered),
);

const register = await import("~/routes/gaps._index");

const cookies: Record<string, string> = {};
const EXTRA = 60;
const ALL_STATUSES = ["open", "funding_requested", "funded", "in_delivery", "closed"] as const;

beforeAll(async () => {
  await seedAndSignIn(cookies, ["pm", "lead", "admin"], async (db) => {
    await seedGaps(db);
    const codes = await addPractices(db, EXTRA, "T");
    // A Windows 10 desktop each: every added practice has at least the supported-OS gap.
    await addDevices(
      db,
      codes.map((c) => desktopRow(c, { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" })),
    );
    await evaluateScope(db, { icb: "QMF" }, todayIso());
  });
}, 300_000);

type Loaded = {
  summary: { rows: GroupRow[]; total: GroupRow; patientsAdditive: boolean };
  groupPage: { page: number; pageCount: number; total: number; named: number; pageSize: number };
  page: { rows: { id: number }[]; total: number; page: number };
};

async function load(query: string, cookie = cookies.admin): Promise<Loaded> {
  const r = await call(register.loader, get(`/gaps${query}`, cookie));
  expect(r.status).toBe(200);
  return { ...r.data, page: { ...r.data.page, rows: unpackRegisterRows(r.data.page.rows) } };
}

async function render(query: string, cookie = cookies.admin) {
  const r = await call(register.loader, get(`/gaps${query}`, cookie));
  expect(r.status).toBe(200);
  rendered.loaderData = JSON.parse(JSON.stringify(r.data));
  rendered.location = { pathname: "/gaps", search: query };
  return renderToStaticMarkup(createElement(register.default as () => ReactNode));
}

/** The practices with gaps (any status) as `summarise` orders them, worked out here from every costed gap. */
async function expectedPracticeGroups(scope: { all: true } | { all: false; icbCodes: string[]; practiceCodes: string[] }) {
  const gaps = await loadCostedGaps(getDb(), { scope, statuses: ALL_STATUSES }, todayIso());
  return { gaps, summary: groupGaps(gaps, "practice") };
}

const FIGURES = ["gaps", "patients", "unknownListSizes", "estimatedPence", "vatPence", "annualPence", "noEstimate"] as const;

describe("the gap register's group table, a page at a time", () => {
  it("more practices than a page: page 1 and 2 hold the groups in order, without overlap, and together every group", async () => {
    const { gaps, summary: expected } = await expectedPracticeGroups({ all: true });
    expect(expected.rows.length).toBe(EXTRA + 3);
    expect(expected.rows.length).toBeGreaterThan(GROUP_PAGE_SIZE);
    const one = await load("?group=practice&status=all");
    const two = await load("?group=practice&status=all&gpage=2");
    expect(one.groupPage).toEqual({ page: 1, pageCount: 2, total: EXTRA + 3, named: EXTRA + 3, pageSize: GROUP_PAGE_SIZE });
    expect(two.groupPage.page).toBe(2);
    expect(one.summary.rows).toHaveLength(GROUP_PAGE_SIZE);
    expect(two.summary.rows).toHaveLength(EXTRA + 3 - GROUP_PAGE_SIZE);
    const keys = (l: Loaded) => l.summary.rows.map((r) => r.key);
    expect(keys(one).filter((k) => keys(two).includes(k))).toEqual([]);
    // In order (names, then code), and the union is exactly the practices with gaps.
    expect([...keys(one), ...keys(two)]).toEqual(expected.rows.map((r) => r.key));
    expect(new Set([...keys(one), ...keys(two)])).toEqual(new Set(gaps.map((g) => g.practiceCode)));
    // Each row's figures are the same as worked out from the gaps themselves.
    const byKey = new Map(expected.rows.map((r) => [r.key, r]));
    for (const r of [...one.summary.rows, ...two.summary.rows]) {
      for (const f of FIGURES) expect(r[f], `${r.key} ${f}`).toBe(byKey.get(r.key)![f]);
    }
  });

  it("the total row is the same on every page and is the sum over every group, not the page's", async () => {
    const { gaps } = await expectedPracticeGroups({ all: true });
    const one = await load("?group=practice&status=all");
    const two = await load("?group=practice&status=all&gpage=2");
    expect(two.summary.total).toEqual(one.summary.total);
    const every = [...one.summary.rows, ...two.summary.rows];
    for (const f of FIGURES) expect(one.summary.total[f], f).toBe(every.reduce((n, r) => n + r[f], 0));
    expect(one.summary.total.gaps).toBe(gaps.length);
    // Not the sum of one page's rows.
    expect(one.summary.total.gaps).toBeGreaterThan(one.summary.rows.reduce((n, r) => n + r.gaps, 0));
    // The gaps' own list counts every gap too.
    expect(one.page.total).toBe(gaps.length);
  });

  it("a gpage that is not a page number is page 1; one past the end is the last page; never an error", async () => {
    const first = (await load("?group=practice&status=all")).summary.rows.map((r) => r.key);
    const last = (await load("?group=practice&status=all&gpage=2")).summary.rows.map((r) => r.key);
    for (const junk of ["abc", "0", "-2", "1.5", "", "%00", "1e400"]) {
      const r = await load(`?group=practice&status=all&gpage=${junk}`);
      expect(r.groupPage.page, junk).toBe(1);
      expect(
        r.summary.rows.map((x) => x.key),
        junk,
      ).toEqual(first);
    }
    for (const far of ["3", "999", "100000000"]) {
      const r = await load(`?group=practice&status=all&gpage=${far}`);
      expect(r.groupPage.page, far).toBe(2);
      expect(
        r.summary.rows.map((x) => x.key),
        far,
      ).toEqual(last);
    }
    // Groupings with few groups have one page whatever gpage says.
    const domains = await load("?group=domain&status=all&gpage=4");
    expect(domains.groupPage).toMatchObject({ page: 1, pageCount: 1 });
    expect(domains.summary.rows.length).toBeGreaterThan(1);
  });

  it("the gaps' page and the groups' page are independent", async () => {
    const gapsTwo = await load("?status=all&page=2");
    const groupsTwo = await load("?group=practice&status=all&gpage=2");
    const both = await load("?group=practice&status=all&page=2&gpage=2");
    expect(both.page.page).toBe(2);
    expect(both.page.rows.map((r) => r.id)).toEqual(gapsTwo.page.rows.map((r) => r.id));
    expect(both.summary.rows).toEqual(groupsTwo.summary.rows);
  });

  it("still within each user's scope: QMF's lead pages QMF's practices; a practice manager sees one practice on one page", async () => {
    const { summary: qmf } = await expectedPracticeGroups({ all: false, icbCodes: ["QMF"], practiceCodes: [] });
    expect(qmf.rows.length).toBe(EXTRA + 2);
    const one = await load("?group=practice&status=all", cookies.lead);
    const two = await load("?group=practice&status=all&gpage=2", cookies.lead);
    expect(one.groupPage.total).toBe(EXTRA + 2);
    expect([...one.summary.rows, ...two.summary.rows].map((r) => r.key)).toEqual(qmf.rows.map((r) => r.key));
    expect(two.summary.total).toEqual(one.summary.total);
    expect(one.summary.total.gaps).toBe(qmf.total.gaps);

    for (const q of ["?group=practice&status=all", "?group=practice&status=all&gpage=2", "?group=pcn&gpage=9"]) {
      const pm = await load(q, cookies.pm);
      expect(pm.groupPage, q).toMatchObject({ page: 1, pageCount: 1, total: 1 });
      expect(
        pm.summary.rows.map((r) => r.key),
        q,
      ).toEqual([q.includes("pcn") ? "U05451" : "F84003"]);
    }
    // A practice filter outside the manager's scope is still nothing at all.
    const other = await load("?group=practice&status=all&practice=T00001", cookies.pm);
    expect(other.summary.rows).toEqual([]);
    expect(other.summary.total.gaps).toBe(0);
  });
});

describe("the group table as rendered", () => {
  it("paged: a navigation of its own by gpage, keeping the other parameters, and a total that says it covers every page", async () => {
    const html = await render("?group=practice&status=all&page=2&gpage=2");
    expect(html).toContain('aria-label="Pagination of the group totals"');
    expect(html).toContain('aria-label="Pagination of the gaps"');
    // The groups' previous page drops gpage and keeps the gaps' page; the gaps' links keep gpage.
    expect(html).toContain('href="/gaps?group=practice&amp;status=all&amp;page=2"');
    expect(html).toMatch(
      /href="\/gaps\?group=practice&amp;status=all&amp;page=3&amp;gpage=2"|href="\/gaps\?group=practice&amp;status=all&amp;gpage=2&amp;page=3"/,
    );
    expect(html).toContain(`<strong>Total</strong> (all ${EXTRA + 3} practices)`);
    expect(html).toContain(`${EXTRA + 3} practices · page 2 of 2`);
    expect(html).toContain("each of its figures is the sum of the rows on every page");
    // A row's link filters to its practice and starts both lists again at page 1.
    const rowLinks = [...html.matchAll(/href="(\/gaps\?[^"]*practice=[A-Z0-9]+[^"]*)"/g)].map((m) => m[1]);
    expect(rowLinks.length).toBe(EXTRA + 3 - GROUP_PAGE_SIZE);
    for (const link of rowLinks) {
      expect(link).not.toContain("page=");
      expect(link).not.toContain("group=");
    }
    // The filter form carries no page of either list.
    expect(html).not.toMatch(/name="g?page"/);
  });

  it("one page of groups: no navigation for them and a plain total", async () => {
    const html = await render("?group=pcn&status=all");
    expect(html).not.toContain("Pagination of the group totals");
    expect(html).toContain("<strong>Total</strong></th>");
    expect(html).not.toContain("on every page");
    // A practice manager's one practice, grouped by practice: one page, no navigation for groups.
    const pm = await render("?group=practice", cookies.pm);
    expect(pm).not.toContain("Pagination of the group totals");
    expect(pm).toContain("<strong>Total</strong></th>");
  });

  it("the component alone: a navigation only when the groups take more than one page; the row for no PCN named in the total", () => {
    const totals = { gaps: 2, patients: 1000, unknownListSizes: 0, estimatedPence: 500, vatPence: 100, annualPence: 0, noEstimate: 1 };
    const groups = [...Array.from({ length: 7 }, (_, i) => [`U0000${i}`, `PCN ${i}`] as const), [null, null] as const].map(
      ([code, name]) => ({
        key: groupKeyOf(groupProbe("pcn", code, name), "pcn"),
        totals,
      }),
    );
    const whole = summarise("pcn", groups, { patients: 8000, unknownListSizes: 0 });
    const draw = (page: number, size: number) => {
      const { summary, groupPage } = pageOfGroups(whole, page, size);
      rendered.location = { pathname: "/gaps", search: `?group=pcn&gpage=${page}` };
      return renderToStaticMarkup(createElement(GapTotals, { group: "pcn", summary, groupPage, query: () => "status=all" }));
    };
    const paged = draw(2, 3);
    expect(paged).toContain('aria-label="Pagination of the group totals"');
    expect(paged).toContain("<strong>Total</strong> (all 7 PCNs and practices not in a PCN)");
    expect(paged).toContain("8 rows · page 2 of 3");
    expect(paged).toContain('href="/gaps?group=pcn"');
    expect(paged).toContain('href="/gaps?group=pcn&amp;gpage=3"');
    // Numbered: pages 1 to 3, the second marked as the current page.
    expect([...paged.matchAll(/aria-label="Page (\d)"( aria-current="page")?/g)].map((m) => m[1] + (m[2] ? " current" : ""))).toEqual([
      "1",
      "2 current",
      "3",
    ]);
    // The total row's figures are every group's: 8 groups of 2 gaps.
    expect(paged).toMatch(/<strong>Total<\/strong>[^<]*<\/th><td class="app-numeric">16<\/td>/);
    const single = draw(1, 50);
    expect(single).not.toContain("<nav");
    expect(single).not.toContain("page 1 of");
    expect(single).toContain("<strong>Total</strong></th>");
    expect(single.match(/<tr>/g)).toHaveLength(9 + 1); // the heading row, 8 groups and the total
  });
});
