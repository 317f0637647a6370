import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { runGapsCli } from "~/modules/gaps/cli.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { gapExportResponse } from "~/modules/gaps/export.server";
import { parseGapFilters, sortGaps, type GapSort } from "~/modules/gaps/register";
import { unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import { costHorizonLastYear, costsByFinancialYear, type YearCost } from "~/modules/pricing/financial-year";
import * as gapRegister from "~/routes/gaps._index";
import { getDb } from "~/utils/db.server";
import type { Scope } from "~/utils/permissions";
import { todayIso } from "~/utils/today";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";
import { call, cookieFor, get } from "../support/requests";
import { countingDb } from "./query-count.support";

// The register is summed, sorted and paged by the database: for each role, every page walked
// end to end holds exactly the gaps the JavaScript costing finds in that scope, in the same
// order, and the totals equal the sum of the rows. Exports and the command line stream.
const cookies: Record<string, string> = {};
const SCOPES: Record<string, Scope> = {
  admin: { all: true },
  icbLead: { all: false, icbCodes: ["QMF"], practiceCodes: [] },
  pm: { all: false, icbCodes: [], practiceCodes: ["F84003"] },
};

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  await seedGaps(db);
  await addEsuLines(db);
  cookies.admin = await cookieFor("admin@test.nhs.test");
  cookies.icbLead = await cookieFor("lead@test.nhs.test");
  cookies.pm = await cookieFor("pm@test.nhs.test");
}, 120_000);

/**
 * No rule counts ESU licences today (a device is upgraded or replaced), but an ICB's gap can hold
 * them: give one QMF gap with one unit an ESU line (the SQL's one-unit path), due in 2026/27, and
 * add ESU to one with several lines (the per-line path), so the years show ESU stopping after 2027/28.
 */
async function addEsuLines(db: ReturnType<typeof getDb>) {
  const gaps = await db
    .selectFrom("gap as g")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .select(["g.id", "g.units"])
    .where("p.icb_code", "=", "QMF")
    .where("g.status", "=", "open")
    .orderBy("g.id")
    .execute();
  const units = (g: (typeof gaps)[number]) => g.units as { kind: string; quantity: number }[];
  const one = gaps.find((g) => units(g).length === 1)!;
  const several = gaps.find((g) => units(g).filter((u) => u.quantity > 0).length > 1)!;
  await db
    .updateTable("gap")
    .set({ units: JSON.stringify([{ kind: "esu_licence", quantity: 4 }]), deadline: "2026-12-20" })
    .where("id", "=", one.id)
    .execute();
  await db
    .updateTable("gap")
    .set({ units: JSON.stringify([...units(several), { kind: "esu_licence", quantity: 2 }]) })
    .where("id", "=", several.id)
    .execute();
}

type Row = { id: number; estimatePence: number | null; priorityScore: number };
type Data = {
  page: { rows: Row[]; total: number; pageCount: number };
  summary: {
    rows: { gaps: number; estimatedPence: number; noEstimate: number }[];
    total: { gaps: number; estimatedPence: number; noEstimate: number };
  };
};

async function load(role: string, query: string) {
  const r = await call(gapRegister.loader, get(`/gaps?${query}`, cookies[role]));
  expect(r.status).toBe(200);
  return { ...r.data, page: { ...r.data.page, rows: unpackRegisterRows(r.data.page.rows) } } as Data;
}

async function walk(role: string, query: string) {
  const first = await load(role, query);
  const rows = [...first.page.rows];
  for (let p = 2; p <= first.page.pageCount; p++) rows.push(...(await load(role, `${query}&page=${p}`)).page.rows);
  return { first, rows };
}

describe("the register in SQL, per role", () => {
  it("the fixture spans several ICBs, and each role sees a different number of gaps", async () => {
    const totals = await Promise.all(["admin", "icbLead", "pm"].map(async (role) => (await load(role, "")).summary.total.gaps));
    expect(new Set((await loadCostedGaps(getDb(), { scope: { all: true } }, todayIso())).map((g) => g.icbCode)).size).toBeGreaterThan(1);
    expect(totals[0]).toBeGreaterThan(totals[1]);
    expect(totals[1]).toBeGreaterThan(totals[2]);
    expect(totals[2]).toBeGreaterThan(0);
  });

  for (const role of ["admin", "icbLead", "pm"]) {
    for (const sort of ["priority", "cost", "deadline"] as GapSort[]) {
      it(`${role}, sorted by ${sort}: every page together is the scope's gaps in sortGaps order; totals are the sum of the rows`, async () => {
        const { first, rows } = await walk(role, `sort=${sort}&status=all&group=icb`);
        const expected = sortGaps(
          await loadCostedGaps(
            getDb(),
            { scope: SCOPES[role], statuses: ["open", "funding_requested", "funded", "in_delivery", "closed"] },
            todayIso(),
          ),
          sort,
        );
        expect(rows.map((r) => r.id)).toEqual(expected.map((g) => g.id));
        expect(rows.map((r) => r.estimatePence)).toEqual(expected.map((g) => g.estimate.pence));
        expect(rows.map((r) => r.priorityScore)).toEqual(expected.map((g) => g.priority.score));
        const t = first.summary.total;
        expect(t.gaps).toBe(rows.length);
        expect(first.page.total).toBe(rows.length);
        expect(t.estimatedPence).toBe(rows.reduce((n, r) => n + (r.estimatePence ?? 0), 0));
        expect(t.noEstimate).toBe(rows.filter((r) => r.estimatePence === null).length);
        expect(first.summary.rows.reduce((n, r) => n + r.gaps, 0)).toBe(t.gaps);
        expect(first.summary.rows.reduce((n, r) => n + r.estimatedPence, 0)).toBe(t.estimatedPence);
      });
    }
  }

  it("a page read twice holds the same gaps in the same order (paging is stable)", async () => {
    const a = await load("admin", "sort=cost&page=2");
    const b = await load("admin", "sort=cost&page=2");
    expect(a.page.rows.length).toBeGreaterThan(0);
    expect(b.page.rows.map((r) => r.id)).toEqual(a.page.rows.map((r) => r.id));
  });
});

async function readAll(body: ReadableStream<Uint8Array>) {
  return Buffer.from(await new Response(body).arrayBuffer());
}

describe("exports stream from the database", () => {
  const today = todayIso();

  it("CSV: the body is a stream whose first bytes come before most batches are read, and it holds every gap", async () => {
    const { db, counter } = countingDb(getDb());
    const expected = await loadCostedGaps(getDb(), { scope: { all: true } }, today);
    const batchSize = 5;
    expect(expected.length).toBeGreaterThan(batchSize * 4);
    const res = await gapExportResponse(db, { all: true }, parseGapFilters(new URLSearchParams()), "csv", today, { batchSize });
    expect(res.body).toBeInstanceOf(ReadableStream);
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="gaps-all-${today}.csv"`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const afterFirstChunk = counter.n;
    const batches = Math.ceil(expected.length / batchSize);
    // The first bytes leave after the ordering and at most a couple of batches, not all of them.
    expect(afterFirstChunk).toBeLessThan(batches);
    const chunks = [Buffer.from(first.value!)];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(Buffer.from(r.value));
    expect(counter.n).toBeGreaterThanOrEqual(batches);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.gap_id))).toEqual(sortGaps(expected, "priority").map((g) => g.id));
  });

  it("CSV sorted by cost: every gap, in the JavaScript costing's cost order (the order read by id alone, then the rows in batches)", async () => {
    const expected = await loadCostedGaps(getDb(), { scope: { all: true } }, today);
    const res = await gapExportResponse(getDb(), { all: true }, parseGapFilters(new URLSearchParams("sort=cost")), "csv", today, {
      batchSize: 5,
    });
    const rows = parse((await readAll(res.body!)).toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    const byCost = sortGaps(expected, "cost").map((g) => g.id);
    // Worth testing: the cost order is not the default one.
    expect(byCost).not.toEqual(sortGaps(expected, "priority").map((g) => g.id));
    expect(rows.map((r) => Number(r.gap_id))).toEqual(byCost);
  });

  it("XLSX: streamed in batches, opens with exceljs and has every gap and the total", async () => {
    const expected = await loadCostedGaps(getDb(), { scope: { all: true } }, today);
    const res = await gapExportResponse(getDb(), { all: true }, parseGapFilters(new URLSearchParams()), "xlsx", today, { batchSize: 7 });
    expect(res.body).toBeInstanceOf(ReadableStream);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readAll(res.body!)) as never);
    const ws = wb.getWorksheet("Gaps")!;
    const ids: number[] = [];
    let total: ExcelJS.Row | undefined;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      if (row.getCell(1).value === "Total") total = row;
      else ids.push(row.getCell(1).value as number);
    });
    expect(ids).toEqual(sortGaps(expected, "priority").map((g) => g.id));
    expect(total!.getCell(16).value).toBeCloseTo(expected.reduce((n, g) => n + (g.estimate.pence ?? 0), 0) / 100, 2);
  });
});

describe("the same money everywhere: page, npm run gaps, CSV and XLSX", () => {
  const today = todayIso();
  it("ex VAT and inc VAT totals agree to the penny across the page, the command line, the CSV and both XLSX sheets, and with the JavaScript costing", async () => {
    const expected = await loadCostedGaps(getDb(), { scope: { all: true }, icb: "QMF" }, today);
    const ex = expected.reduce((n, g) => n + (g.estimate.pence ?? 0), 0);
    const vat = expected.reduce((n, g) => n + (g.estimate.pence === null ? 0 : (g.estimate.vatPence ?? 0)), 0);
    expect(vat).toBeGreaterThan(0);
    // Gaps with more than one priced line take the SQL's per-line path: the fixture must have some.
    expect(expected.some((g) => g.estimate.lines.length > 1)).toBe(true);

    const page = (await call(gapRegister.loader, get("/gaps?icb=QMF&group=domain", cookies.admin))).data as {
      summary: { total: { estimatedPence: number; vatPence: number }; rows: { vatPence: number }[] };
    };
    expect(page.summary.total).toMatchObject({ estimatedPence: ex, vatPence: vat });
    expect(page.summary.rows.reduce((n, r) => n + r.vatPence, 0)).toBe(vat);

    const json = { out: [] as string[] };
    await runGapsCli(["--icb", "QMF", "--format", "json", "--group", "domain"], getDb(), {
      out: (t: string) => void json.out.push(t),
      err: () => {},
    });
    expect(JSON.parse(json.out.join("")).summary.total).toMatchObject({ estimatedPence: ex, vatPence: vat });

    const csv = { out: [] as string[], err: [] as string[] };
    await runGapsCli(["--icb", "QMF"], getDb(), { out: (t: string) => void csv.out.push(t), err: (t: string) => void csv.err.push(t) });
    const rows = parse(csv.out.join(""), { bom: true, columns: true }) as Record<string, string>[];
    const pence = (col: string) => rows.reduce((n, r) => n + (r[col] ? Math.round(Number(r[col]) * 100) : 0), 0);
    expect(pence("estimate_pounds")).toBe(ex);
    expect(pence("estimate_inc_vat_pounds")).toBe(ex + vat);
    expect(csv.err.join("")).toContain(`£${((ex + vat) / 100).toFixed(2)} inc VAT`);

    const res = await gapExportResponse(getDb(), { all: true }, parseGapFilters(new URLSearchParams("icb=QMF")), "xlsx", today, {
      batchSize: 5,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readAll(res.body!)) as never);
    const totalOf = (sheet: string) => {
      let found: ExcelJS.Row | undefined;
      wb.getWorksheet(sheet)!.eachRow((row) => {
        if (row.getCell(1).value === "Total") found = row;
      });
      return found!;
    };
    const header = (wb.getWorksheet("Gaps")!.getRow(1).values as unknown[]).slice(1) as string[];
    const gapsTotal = totalOf("Gaps");
    expect(Math.round((gapsTotal.getCell(header.indexOf("estimate_pounds") + 1).value as number) * 100)).toBe(ex);
    expect(Math.round((gapsTotal.getCell(header.indexOf("estimate_inc_vat_pounds") + 1).value as number) * 100)).toBe(ex + vat);
    for (const sheet of ["By domain", "By financial year"]) {
      expect(Math.round((totalOf(sheet).getCell(5).value as number) * 100)).toBe(ex);
      expect(Math.round((totalOf(sheet).getCell(7).value as number) * 100)).toBe(ex + vat);
    }
  });

  it("by financial year: annual costs recur in every year to the horizon, the same on the page (SQL), npm run gaps and the XLSX as from the JavaScript costing", async () => {
    const expected = await loadCostedGaps(getDb(), { scope: { all: true }, icb: "QMF" }, today);
    const priced = expected.filter((g) => g.estimate.pence !== null);
    // Worth testing: some gaps have annual lines (warranty extension, ESU year, rental, licences).
    expect(priced.some((g) => g.estimate.split.annualPence > 0)).toBe(true);
    const want = costsByFinancialYear(
      priced.map((g) => ({ year: g.deadlineYear, ...g.estimate.split })),
      costHorizonLastYear(today),
    );
    expect(want.some((y) => y.recurringPence > 0)).toBe(true);
    // ESU (sold for three years, the last bought in 2027/28) falls in no later year: each year
    // after 2027/28 is the same years worked out without the ESU lines at all.
    const esu = priced.filter((g) => g.estimate.lines.some((l) => l.kind === "esu_licence"));
    expect(esu.length).toBe(2);
    expect(esu.some((g) => g.estimate.lines.length === 1 && g.deadlineYear === 2026)).toBe(true);
    const withoutEsu = costsByFinancialYear(
      priced.map((g) => {
        const esuPence = g.estimate.lines.filter((l) => l.kind === "esu_licence").reduce((n, l) => n + l.pence, 0);
        return { year: g.deadlineYear, oneOffPence: g.estimate.split.oneOffPence, annualPence: g.estimate.split.annualPence - esuPence };
      }),
      costHorizonLastYear(today),
    );
    const afterEsu = (years: YearCost[]) => years.filter((y) => y.year > 2027).map((y) => [y.label, y.pence]);
    expect(afterEsu(want).length).toBeGreaterThan(0);
    expect(afterEsu(want)).toEqual(afterEsu(withoutEsu));
    expect(want.find((y) => y.year === 2027)!.pence).toBeGreaterThan(withoutEsu.find((y) => y.year === 2027)!.pence);
    expect(want.at(-1)!.year).toBeGreaterThanOrEqual(costHorizonLastYear(today));

    const page = (await call(gapRegister.loader, get("/gaps?icb=QMF&group=financial_year", cookies.admin))).data as {
      summary: { costByYear: YearCost[] };
    };
    expect(page.summary.costByYear).toEqual(want);

    const json = { out: [] as string[] };
    await runGapsCli(["--icb", "QMF", "--format", "json", "--group", "financial_year"], getDb(), {
      out: (t: string) => void json.out.push(t),
      err: () => {},
    });
    expect(JSON.parse(json.out.join("")).summary.costByYear).toEqual(want);

    const res = await gapExportResponse(getDb(), { all: true }, parseGapFilters(new URLSearchParams("icb=QMF")), "xlsx", today);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readAll(res.body!)) as never);
    const sheetYears: [string, number][] = [];
    let after = false;
    wb.getWorksheet("By financial year")!.eachRow((row) => {
      if (after) sheetYears.push([String(row.getCell(1).value), Math.round((row.getCell(7).value as number) * 100)]);
      if (String(row.getCell(1).value).startsWith("Costs falling in each financial year")) after = true;
    });
    expect(sheetYears).toEqual(want.map((y) => [y.label, y.pence]));
  });
});

describe("npm run gaps", () => {
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
  };

  it("--icb QMF --format json: the page's summary for an admin filtered to QMF, and every gap", async () => {
    const c = capture();
    await runGapsCli(["--icb", "QMF", "--format", "json", "--group", "domain"], getDb(), c.io);
    const data = JSON.parse(c.out.join(""));
    const page = await load("admin", "icb=QMF&group=domain");
    expect(data.summary).toEqual(page.summary);
    expect(data.gaps).toHaveLength(page.summary.total.gaps);
    expect(data.gaps.every((g: { icb_code: string }) => g.icb_code === "QMF")).toBe(true);
    const pounds = data.gaps.reduce((n: number, g: { estimate_pounds: number | null }) => n + (g.estimate_pounds ?? 0), 0);
    expect(pounds).toBeCloseTo(page.summary.total.estimatedPence / 100, 2);
  });

  it("prices its summary from the national defaults on a database no page has priced yet, as the rows are", async () => {
    const national = () => getDb().selectFrom("price_list_entry").select("id").where("icb_code", "is", null).execute();
    expect(await national()).toEqual([]);
    const c = capture();
    await runGapsCli(["--icb", "QMF", "--format", "json"], getDb(), c.io);
    const data = JSON.parse(c.out.join(""));
    expect((await national()).length).toBeGreaterThan(0);
    const pence = data.gaps.reduce((n: number, g: { estimate_pounds: number | null }) => n + Math.round((g.estimate_pounds ?? 0) * 100), 0);
    expect(pence).toBeGreaterThan(0);
    expect(data.summary.total.estimatedPence).toBe(pence);
    expect(data.summary.total.noEstimate).toBe(
      data.gaps.filter((g: { estimate_pounds: number | null }) => g.estimate_pounds === null).length,
    );
  });

  it("--all --format csv: one row per gap in England, totals on stderr", async () => {
    const c = capture();
    await runGapsCli(["--all"], getDb(), c.io);
    const rows = parse(c.out.join(""), { bom: true, columns: true }) as Record<string, string>[];
    const page = await load("admin", "");
    expect(rows).toHaveLength(page.summary.total.gaps);
    expect(c.err.join("")).toContain(`${page.summary.total.gaps} gaps`);
  });

  it("--practice F84003 lists that practice's gaps; a bad choice or no scope is a usage error", async () => {
    const c = capture();
    await runGapsCli(["--practice", "F84003", "--format", "json"], getDb(), c.io);
    const data = JSON.parse(c.out.join(""));
    expect(data.gaps.length).toBe((await load("pm", "")).summary.total.gaps);
    await expect(runGapsCli(["--all", "--domain", "nope"], getDb(), capture().io)).rejects.toThrow(/--domain nope/);
    await expect(runGapsCli([], getDb(), capture().io)).rejects.toThrow(/exactly one/);
    await expect(runGapsCli(["--all", "--format", "pdf"], getDb(), capture().io)).rejects.toThrow(/csv or json/);
  });
});
