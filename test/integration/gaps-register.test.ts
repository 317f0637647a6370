import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { EstimateText } from "~/components/Gaps";
import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { GAP_GROUPS, type GapGroup } from "~/modules/gaps/register";
import { cubesStored } from "~/modules/gaps/register-cache.server";
import { unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import { financialYearOf } from "~/modules/pricing/financial-year";
import * as gapExport from "~/routes/gaps.export";
import * as gapPage from "~/routes/gaps.$id";
import * as gapRegister from "~/routes/gaps._index";
import * as practiceGaps from "~/routes/practices.$ods.gaps";
import { getDb } from "~/utils/db.server";
import { PAGE_SIZE } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";
import { call, cookiesFor, get } from "../support/requests";

// The gap register over real gaps: estate that fails requirements, evaluated, then read through
// the route loaders as each role would.
const cookies: Record<string, string> = {};
let fixedGapId: number;

// The register keeps its cube in the database after a load has answered: let that finish before
// the test's database goes (else each store logs that it could not keep the figures).
afterEach(() => cubesStored());

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  await seedGaps(db);
  // Fix F84013's only Windows 10 device and re-check it: its supported-OS gap closes.
  await db
    .updateTable("device")
    .set({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" })
    .where("practice_code", "=", "F84013")
    .execute();
  await evaluatePractice(db, "F84013", todayIso());
  fixedGapId = (
    await db
      .selectFrom("gap")
      .select("id")
      .where("practice_code", "=", "F84013")
      .where("requirement_id", "=", "DEV-02")
      .executeTakeFirstOrThrow()
  ).id;
  Object.assign(
    cookies,
    await cookiesFor({
      admin: "admin@test.nhs.test",
      icbLead: "lead@test.nhs.test",
      partnerIcb: "dp@test.nhs.test",
      pm: "pm@test.nhs.test",
    }),
  );
}, 120_000);

type Row = {
  id: number;
  practiceCode: string;
  requirementId: string;
  funder: string;
  status: string;
  estimatePence: number | null;
  knownPence: number;
  missing: string;
  deadline: string;
  priorityScore: number;
};

async function register(query: string, cookie = cookies.admin) {
  const r = await call(gapRegister.loader, get(`/gaps${query}`, cookie));
  expect(r.status).toBe(200);
  return { ...r.data, page: { ...r.data.page, rows: unpackRegisterRows(r.data.page.rows) } } as {
    page: { rows: Row[]; total: number; pageCount: number };
    summary: { rows: any[]; total: any; patientsAdditive: boolean };
    errors: Record<string, string>;
  };
}

/** Every row across every page of a query. */
async function allRows(query: string, cookie = cookies.admin) {
  const first = await register(query, cookie);
  const rows = [...first.page.rows];
  for (let p = 2; p <= first.page.pageCount; p++) rows.push(...(await register(`${query}${query ? "&" : "?"}page=${p}`, cookie)).page.rows);
  return rows;
}

describe("gap register filters", () => {
  it("open gaps by default; closed only when asked for; all includes both", async () => {
    const open = await allRows("");
    expect(open.length).toBeGreaterThan(PAGE_SIZE);
    expect(open.some((g) => g.status === "closed")).toBe(false);
    expect(open.some((g) => g.id === fixedGapId)).toBe(false);
    const db = getDb();
    const closedIds = (await db.selectFrom("gap").select("id").where("status", "=", "closed").orderBy("id").execute()).map((g) => g.id);
    expect(closedIds).toContain(fixedGapId);
    const closed = await allRows("?status=closed");
    expect(closed.map((g) => g.id).sort((a, b) => a - b)).toEqual(closedIds);
    const all = await register("?status=all");
    expect(all.page.total).toBe(open.length + closedIds.length);
    const stored = await db
      .selectFrom("gap")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "!=", "closed")
      .executeTakeFirstOrThrow();
    expect(open.length).toBe(Number(stored.n));
  });

  it("filters by ICB, sub-ICB, PCN, practice, domain, category, responsibility and financial year, each matching the stored gaps", async () => {
    const db = getDb();
    const joined = await db
      .selectFrom("gap as g")
      .innerJoin("practice as p", "p.ods_code", "g.practice_code")
      .innerJoin("requirement as r", "r.id", "g.requirement_id")
      .select(["g.id", "p.icb_code", "p.sub_icb_code", "p.pcn_code", "g.practice_code", "r.domain", "r.category", "r.funder", "g.deadline"])
      .where("g.status", "!=", "closed")
      .execute();
    const ids = (f: (g: (typeof joined)[number]) => boolean) =>
      joined
        .filter(f)
        .map((g) => g.id)
        .sort((a, b) => a - b);
    const seen = async (q: string) => (await allRows(q)).map((g) => g.id).sort((a, b) => a - b);
    expect(await seen("?icb=QHM")).toEqual(ids((g) => g.icb_code === "QHM"));
    expect(await seen("?sub_icb=A3A8R")).toEqual(ids((g) => g.sub_icb_code === "A3A8R"));
    expect(await seen("?pcn=U05451")).toEqual(ids((g) => g.pcn_code === "U05451"));
    expect(await seen("?practice=f84003")).toEqual(ids((g) => g.practice_code === "F84003"));
    expect(await seen("?domain=telephony")).toEqual(ids((g) => g.domain === "telephony"));
    expect(await seen("?category=practice_business")).toEqual(ids((g) => g.category === "practice_business"));
    expect(await seen("?funder=national")).toEqual(ids((g) => g.funder === "national"));
    const years = [...new Set(joined.map((g) => financialYearOf(g.deadline)))];
    expect(years.length).toBeGreaterThan(1);
    for (const y of years) expect(await seen(`?fy=${y}`)).toEqual(ids((g) => financialYearOf(g.deadline) === y));
    expect((await seen("?funder=national")).length).toBeGreaterThan(0);
    expect((await seen("?domain=telephony&funder=icb")).length).toBe(0);
  });

  it("a mistyped practice code is an error for that field and lists nothing", async () => {
    const r = await register("?practice=F8%21");
    expect(r.errors.practice).toMatch(/ODS code/);
    expect(r.page.total).toBe(0);
  });
});

describe("sorting and pages", () => {
  it("pages hold every gap once, in priority order", async () => {
    const rows = await allRows("");
    expect(new Set(rows.map((g) => g.id)).size).toBe(rows.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].priorityScore).toBeGreaterThanOrEqual(rows[i].priorityScore);
    const first = await register("");
    expect(first.page.rows).toHaveLength(PAGE_SIZE);
    expect(first.page.pageCount).toBe(Math.ceil(rows.length / PAGE_SIZE));
    const past = await register("?page=99");
    expect(past.page.rows).toEqual([]);
    expect(past.page.total).toBe(rows.length);
  });

  it("cost order puts gaps with no estimate last", async () => {
    const rows = await allRows("?sort=cost");
    const firstUnpriced = rows.findIndex((g) => g.estimatePence === null);
    expect(firstUnpriced).toBeGreaterThan(0);
    expect(rows.slice(firstUnpriced).every((g) => g.estimatePence === null)).toBe(true);
    const priced = rows.slice(0, firstUnpriced).map((g) => g.estimatePence!);
    expect(priced).toEqual([...priced].sort((a, b) => b - a));
    const byDeadline = await allRows("?sort=deadline");
    expect(byDeadline.map((g) => g.deadline)).toEqual([...byDeadline.map((g) => g.deadline)].sort());
  });

  it("a gap with no estimate shows 'No estimate' and what is missing, never £0", async () => {
    const rows = await allRows("?status=all");
    const unpriced = rows.filter((g) => g.estimatePence === null);
    expect(unpriced.length).toBeGreaterThan(0);
    for (const g of unpriced) {
      expect(g.missing).not.toBe("");
      const html = renderToStaticMarkup(
        createElement(EstimateText, { pence: g.estimatePence, knownPence: g.knownPence, missing: g.missing }),
      );
      expect(html).toContain("No estimate");
      expect(html).not.toContain("£0.00");
    }
  });
});

describe("grouping: totals equal the sum of their rows", () => {
  for (const by of Object.keys(GAP_GROUPS) as GapGroup[]) {
    it(`group by ${by}`, async () => {
      const r = await register(`?group=${by}&status=all`);
      const all = await loadCostedGaps(
        getDb(),
        { scope: { all: true }, statuses: ["open", "funding_requested", "funded", "in_delivery", "closed"] },
        todayIso(),
      );
      const sum = (k: string) => r.summary.rows.reduce((n: number, row: any) => n + row[k], 0);
      expect(r.summary.total.gaps).toBe(all.length);
      expect(sum("gaps")).toBe(r.summary.total.gaps);
      expect(sum("estimatedPence")).toBe(r.summary.total.estimatedPence);
      expect(r.summary.total.estimatedPence).toBe(all.reduce((n, g) => n + (g.estimate.pence ?? 0), 0));
      expect(sum("noEstimate")).toBe(r.summary.total.noEstimate);
      expect(r.summary.total.noEstimate).toBe(all.filter((g) => g.estimate.pence === null).length);
      // Patients: 11,000 + 15,000 + 4,000 at the three practices, counted once each in the total.
      expect(r.summary.total.patients).toBe(30_000);
      if (r.summary.patientsAdditive) expect(sum("patients")).toBe(30_000);
      // Each group's link lists exactly its gaps.
      for (const row of by === "none" ? [] : r.summary.rows) {
        const qs = new URLSearchParams({ status: "all", ...row.filter }).toString();
        expect((await register(`?${qs}`)).page.total, `${by} ${row.key}`).toBe(row.gaps);
      }
    });
  }
});

describe("one gap", () => {
  it("shows its cost lines, priority factors, history and the funding requests it belongs to", async () => {
    const db = getDb();
    const gap = await db
      .selectFrom("gap")
      .select("id")
      .where("practice_code", "=", "F84003")
      .where("requirement_id", "=", "DEV-02")
      .executeTakeFirstOrThrow();
    const req = await db
      .insertInto("funding_request")
      .values({
        icb_code: "QMF",
        title: "Windows 10 replacements",
        financial_year: 2026,
        amount_pence: 120_00,
        justification: "Unsupported OS",
        status: "submitted",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("funding_request_gap").values({ request_id: req.id, gap_id: gap.id, estimate_pence: 120_00 }).execute();
    const r = await call(gapPage.loader, get(`/gaps/${gap.id}`, cookies.pm), { id: String(gap.id) });
    expect(r.status).toBe(200);
    expect(r.data.gap.estimate.lines.length).toBeGreaterThan(0);
    expect(r.data.gap.estimate.pence).toBe(r.data.gap.estimate.lines.reduce((n: number, l: { pence: number }) => n + l.pence, 0));
    expect(r.data.gap.priority.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "category",
      "cyber",
      "patients",
      "deadline",
      "extent",
    ]);
    expect(r.data.gap.priority.score).toBe(r.data.gap.priority.factors.reduce((n: number, f: { points: number }) => n + f.points, 0));
    expect(r.data.events.map((e: { kind: string }) => e.kind)).toEqual(["opened"]);
    // Issue 11: the practice manager cannot open funding requests, so the gap page names none of them.
    expect(r.data.requests).toEqual([]);
    const lead = await call(gapPage.loader, get(`/gaps/${gap.id}`, cookies.icbLead), { id: String(gap.id) });
    expect(lead.data.requests).toEqual([expect.objectContaining({ id: req.id, title: "Windows 10 replacements", status: "submitted" })]);
  });

  it("a closed gap shows when it closed and its history", async () => {
    const r = await call(gapPage.loader, get(`/gaps/${fixedGapId}`, cookies.icbLead), { id: String(fixedGapId) });
    expect(r.data.gap).toMatchObject({ status: "closed", closedOn: todayIso() });
    expect(r.data.events.map((e: { kind: string }) => e.kind)).toEqual(["opened", "closed"]);
  });
});

describe("a practice's gaps", () => {
  it("splits open gaps into ICB-funded, practice-funded and national, each subtotal the sum of its rows", async () => {
    const r = await call(practiceGaps.loader, get("/practices/F84003/gaps", cookies.pm), { ods: "F84003" });
    expect(r.status).toBe(200);
    const sections = r.data.sections as {
      funder: string;
      heading: string;
      gaps: { funder: string; status: string; estimate: { pence: number | null } }[];
      totals: any;
    }[];
    expect(sections.map((s) => s.heading)).toEqual(["The ICB may fund", "Your practice funds", "Paid for nationally"]);
    const stored = await loadCostedGaps(getDb(), { scope: { all: true }, practice: "F84003" }, todayIso());
    for (const s of sections) {
      expect(s.gaps.length).toBeGreaterThan(0);
      expect(s.gaps.every((g) => g.funder === s.funder && g.status !== "closed")).toBe(true);
      expect(s.gaps.length).toBe(stored.filter((g) => g.funder === s.funder).length);
      expect(s.totals.gaps).toBe(s.gaps.length);
      expect(s.totals.estimatedPence).toBe(s.gaps.reduce((n, g) => n + (g.estimate.pence ?? 0), 0));
      expect(s.totals.noEstimate).toBe(s.gaps.filter((g) => g.estimate.pence === null).length);
    }
    expect(r.data.totals.estimatedPence).toBe(sections.reduce((n, s) => n + s.totals.estimatedPence, 0));
  });

  it("another practice's page is not found for a practice manager", async () => {
    const r = await call(practiceGaps.loader, get("/practices/F84013/gaps", cookies.pm), { ods: "F84013" });
    expect(r.status).toBe(404);
  });
});

describe("exports", () => {
  const download = async (query: string, cookie: string) => {
    const r = await call(gapExport.loader, get(`/gaps/export${query}`, cookie));
    expect(r.status).toBe(200);
    return r.response!;
  };

  it("a delivery partner's CSV holds only their ICB's gaps, costs in pounds and blank (not 0) with no estimate", async () => {
    const res = await download("?format=csv&status=all", cookies.partnerIcb);
    expect(res.headers.get("Content-Type")).toMatch(/text\/csv/);
    const rows = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    const qmf = await loadCostedGaps(
      getDb(),
      {
        scope: { all: false, icbCodes: ["QMF"], practiceCodes: [] },
        statuses: ["open", "funding_requested", "funded", "in_delivery", "closed"],
      },
      todayIso(),
    );
    expect(rows.length).toBe(qmf.length);
    expect(new Set(rows.map((r) => r.icb_code))).toEqual(new Set(["QMF"]));
    for (const r of rows) {
      const g = qmf.find((x) => x.id === Number(r.gap_id))!;
      if (g.estimate.pence === null) {
        expect(r.estimate_pounds).toBe("");
        expect(r.no_estimate_because).not.toBe("");
      } else expect(r.estimate_pounds).toBe((g.estimate.pence / 100).toFixed(2));
    }
  });

  it("a filter outside the exporter's scope gives an empty file", async () => {
    const rows = parse(await (await download("?format=csv&icb=QHM", cookies.partnerIcb)).text(), { bom: true, columns: true });
    expect(rows).toEqual([]);
  });

  it("a practice manager may not export", async () => {
    expect((await call(gapExport.loader, get("/gaps/export?format=csv", cookies.pm))).status).toBe(403);
  });

  it("a bad format or practice code is a 400", async () => {
    expect((await call(gapExport.loader, get("/gaps/export?format=pdf", cookies.admin))).status).toBe(400);
    expect((await call(gapExport.loader, get("/gaps/export?format=csv&practice=%21%21", cookies.admin))).status).toBe(400);
  });

  it("XLSX: the gaps with a totals row and one sheet per view, each total the sum of its rows", async () => {
    const res = await download("?format=xlsx", cookies.admin);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Gaps",
      "By ICB",
      "By PCN",
      "By practice",
      "By domain",
      "By responsibility",
      "By financial year",
    ]);
    const open = await loadCostedGaps(getDb(), { scope: { all: true } }, todayIso());
    const expectedPounds = open.reduce((n, g) => n + (g.estimate.pence ?? 0), 0) / 100;

    const gaps = wb.getWorksheet("Gaps")!;
    const header = (gaps.getRow(1).values as unknown[]).slice(1);
    const est = header.indexOf("estimate_pounds") + 1;
    const body: number[] = [];
    let totalRow: ExcelJS.Row | undefined;
    gaps.eachRow((row, n) => {
      if (n === 1) return;
      if (row.getCell(1).value === "Total") totalRow = row;
      else body.push(typeof row.getCell(est).value === "number" ? (row.getCell(est).value as number) : 0);
    });
    expect(body).toHaveLength(open.length);
    expect(totalRow!.getCell(est).value).toBeCloseTo(expectedPounds, 2);
    expect(totalRow!.getCell(est).numFmt).toBe("£#,##0.00");
    expect(body.reduce((a, b) => a + b, 0)).toBeCloseTo(expectedPounds, 2);

    for (const ws of wb.worksheets.slice(1)) {
      const rows: { gaps: number; cost: number; none: number }[] = [];
      let total: { gaps: number; cost: number; none: number } | undefined;
      ws.eachRow((row, n) => {
        if (n === 1 || typeof row.getCell(3).value !== "number") return;
        const v = { gaps: row.getCell(3).value as number, cost: row.getCell(5).value as number, none: row.getCell(6).value as number };
        if (row.getCell(1).value === "Total") total = v;
        else rows.push(v);
      });
      expect(total, ws.name).toBeDefined();
      expect(total!.gaps, ws.name).toBe(open.length);
      expect(
        rows.reduce((n, r) => n + r.gaps, 0),
        ws.name,
      ).toBe(total!.gaps);
      expect(
        rows.reduce((n, r) => n + r.none, 0),
        ws.name,
      ).toBe(total!.none);
      expect(
        rows.reduce((n, r) => n + r.cost, 0),
        ws.name,
      ).toBeCloseTo(total!.cost, 2);
      expect(total!.cost, ws.name).toBeCloseTo(expectedPounds, 2);
    }
  });
});
