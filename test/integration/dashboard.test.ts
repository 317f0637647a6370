import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { addMonths, evaluateScope } from "~/modules/compliance/evaluate.server";
import { getIcbSummary } from "~/modules/compliance/service.server";
import { dashboardSheets } from "~/modules/dashboard/export.server";
import { clearDashboardCache, forgetDashboardFigures, getIcbDashboard } from "~/modules/dashboard/service.server";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { updateDevice } from "~/modules/devices/service.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import * as dashboardExport from "~/routes/icbs.$code_.dashboard.export";
import * as report from "~/routes/icbs.$code_.report";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addAnalogueTelephony, addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { createUser, seedOrgs } from "../support/factories";
import { call, cookieFor, get } from "../support/requests";
import { trendDates } from "~/modules/dashboard/trend";

// The dashboard's figures against data whose answers are known: North East London (QMF) holds
// F84003 and F84013 in PCN U05451; QHM's A81001 must never appear in QMF's figures.
const today = todayIso();
const fy = financialYearOf(today);
const QMF = { code: "QMF", name: "NHS North East London Integrated Care Board" };
const ALL = { all: true } as const;
const earlier = trendDates(today)[3];
let actor: number;
let agingId: number;
let leadCookie: string;

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await prepareCompliance(db);
  // Months ago every device was healthy: checked then, so the trend has history.
  await addDevices(db, [desktopRow("F84003"), desktopRow("F84013"), desktopRow("A81001")]);
  await evaluateScope(db, ALL, earlier);
  // Since then: Windows 10 (unsupported since October 2025) at both QMF practices and QHM's,
  // one on paid ESU, one spare (not in use); a desktop that reaches the replacement age within
  // 12 months; analogue telephony and analogue lines at F84003.
  await addDevices(db, [
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", device_type: "laptop" }),
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", esu_years: 2 }),
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", status: "spare" }),
    desktopRow("F84013", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
    desktopRow("A81001", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
  ]);
  [agingId] = await addDevices(db, [
    desktopRow("F84013", { asset_tag: "AGING-1", purchase_date: addMonths(today, -57), warranty_end: addMonths(today, 36) }),
  ]);
  await addAnalogueTelephony(db);
  await db.updateTable("site").set({ analogue_lines: 3 }).where("code", "=", "FA1001").execute();
  await db.updateTable("site").set({ analogue_lines: 1 }).where("code", "=", "F84003").execute();
  await evaluateScope(db, ALL, today);

  // Funding requests: QMF this year at every stage, one next year; QHM's must not count.
  const req = (icb_code: string, financial_year: number, status: string, amount_pence: number) => ({
    icb_code,
    title: `${status} ${amount_pence}`,
    financial_year,
    amount_pence,
    justification: "test",
    status: status as "draft",
  });
  await db
    .insertInto("funding_request")
    .values([
      req("QMF", fy, "draft", 100_00),
      req("QMF", fy, "submitted", 3_000_00),
      req("QMF", fy, "submitted", 2_000_00),
      req("QMF", fy, "approved", 4_000_00),
      req("QMF", fy, "funded", 1_500_00),
      req("QMF", fy, "delivered", 500_00),
      req("QMF", fy, "rejected", 9_000_00),
      req("QMF", fy + 1, "approved", 7_000_00),
      req("QHM", fy, "approved", 123_456_00),
    ])
    .execute();
  await db
    .insertInto("icb_budget")
    .values([
      { icb_code: "QMF", financial_year: fy, amount_pence: 5_000_00 },
      { icb_code: "QHM", financial_year: fy, amount_pence: 1 },
    ])
    .execute();

  actor = await createUser(db, { email: "dash-dp@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
  await createUser(db, { email: "dash-lead@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
  leadCookie = await cookieFor("dash-lead@test.nhs.test");
  clearDashboardCache();
});

describe("ICB dashboard figures", () => {
  it("scores the ICB on each trend date exactly as the ICB compliance page does on that date", async () => {
    const d = await getIcbDashboard(getDb(), QMF, ALL, today);
    expect(d.trend.map((p) => p.date)).toEqual(trendDates(today));
    for (const p of d.trend) {
      const s = await getIcbSummary(getDb(), "QMF", p.date);
      expect(p.score, p.date).toBe(s.overall.overall.score);
      expect(p.counts, p.date).toEqual(s.overall.overall.counts);
      expect(p.practices, p.date).toBe(s.practices.length);
    }
    // Nothing was checked before the first evaluation: no score, not 0%.
    expect(d.trend[0]).toMatchObject({ score: null, practices: 0 });
    expect(d.trend.find((p) => p.date === earlier)!.practices).toBe(2);
    // Healthy then, worse now.
    expect(d.trend.at(-1)!.score!).toBeLessThan(d.trend.find((p) => p.date === earlier)!.score!);
    expect(d.headline.score).toBe(d.trend.at(-1)!.score);
    expect(d.headline.practices).toBe(2);
  });

  it("totals gaps by domain and by deadline year from the costed gap register, with no estimate apart", async () => {
    const d = await getIcbDashboard(getDb(), QMF, ALL, today);
    const gaps = await loadCostedGaps(getDb(), { scope: ALL, icb: "QMF" }, today);
    expect(gaps.length).toBeGreaterThan(3);
    expect(gaps.every((g) => g.icbCode === "QMF")).toBe(true);
    expect(d.headline.openGaps).toBe(gaps.length);
    const priced = gaps.filter((g) => g.estimate.pence !== null);
    expect(d.headline.estimatedPence).toBe(priced.reduce((s, g) => s + g.estimate.pence!, 0));
    expect(d.headline.noEstimate).toBe(gaps.length - priced.length);
    expect(d.headline.noEstimate).toBeGreaterThan(0);
    for (const row of d.gaps.byDomain) {
      const mine = gaps.filter((g) => g.domain === row.key);
      expect(row.gaps, row.key).toBe(mine.length);
      expect(row.estimatedPence, row.key).toBe(mine.reduce((s, g) => s + (g.estimate.pence ?? 0), 0));
      expect(row.noEstimate, row.key).toBe(mine.filter((g) => g.estimate.pence === null).length);
    }
    expect(d.gaps.byDomain.reduce((s, r) => s + r.estimatedPence, 0)).toBe(d.gaps.total.estimatedPence);
    expect(d.gaps.byYear.reduce((s, r) => s + r.gaps, 0)).toBe(gaps.length);
    for (const row of d.gaps.byYear) expect(row.gaps).toBe(gaps.filter((g) => g.deadlineYear === row.year).length);
    // The top gaps are the register's, highest priority first.
    expect(d.topGaps.length).toBe(Math.min(20, gaps.length));
    const levels = d.topGaps.map((g) => ({ high: 0, medium: 1, low: 2 })[g.priority.level]);
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
  });

  it("counts in-use devices on an unsupported OS in their PCN (not ESU, not spares), and analogue telephony and lines", async () => {
    const d = await getIcbDashboard(getDb(), QMF, ALL, today);
    expect(d.risk.rows.map((r) => r.pcn_code)).toEqual(["U05451"]);
    const pcn = d.risk.rows[0];
    expect(pcn).toMatchObject({
      practices: 2,
      devicesInUse: 7, // F84003: 1 healthy + 3 on Windows 10 in use (the spare left out); F84013: 1 + 1 + the ageing desktop
      unsupported: 3,
      esu: 1,
      practicesUnsupported: 2,
      telephonyAnalogue: 1,
      telephonyNotRecorded: 1,
      analogueSites: 2,
      analogueLines: 4,
    });
    expect(d.risk.total.unsupported).toBe(3);
  });

  it("shows the funding pipeline for this year and next against the budget, from QMF's requests only", async () => {
    const d = await getIcbDashboard(getDb(), QMF, ALL, today);
    const [now, next] = d.pipeline;
    expect(now.year).toBe(fy);
    expect(now.stages.map((s) => [s.stage, s.requests, s.pence])).toEqual([
      ["submitted", 2, 5_000_00],
      ["approved", 1, 4_000_00],
      ["funded", 1, 1_500_00],
      ["delivered", 1, 500_00],
    ]);
    expect(now.requested).toEqual({ requests: 5, pence: 11_000_00 });
    expect(now.committedPence).toBe(6_000_00);
    expect(now.budgetPence).toBe(5_000_00);
    expect(now.remainingPence).toBe(-1_000_00);
    expect(now.drafts.pence).toBe(100_00);
    expect(now.rejected.pence).toBe(9_000_00);
    expect(next).toMatchObject({ year: fy + 1, committedPence: 7_000_00, budgetPence: null });
    expect(d.headline).toMatchObject({ requestedPence: 11_000_00, committedPence: 6_000_00, budgetPence: 5_000_00 });
  });

  it("forecasts what lapses, costed with the price book, and reuses the forecast until the estate changes", async () => {
    await forgetDashboardFigures(getDb());
    const first = await getIcbDashboard(getDb(), QMF, ALL, today);
    expect(first.forecast.cached).toBe(false);
    const [in12, in24] = first.forecast.horizons;
    expect(in12.date).toBe(addMonths(today, 12));
    const dev05 = in12.byRequirement.find((r) => r.key === "DEV-05")!;
    expect(dev05).toMatchObject({ lapses: 1, noEstimate: 0, firstDate: addMonths(addMonths(today, -57), 60) });
    const book = await loadPriceBook(getDb(), ["QMF"]);
    expect(dev05.estimatedPence).toBe(book.priceFor("QMF", "desktop_replacement", in12.date)!.unitCostPence);
    expect(in24.total.lapses).toBeGreaterThanOrEqual(in12.total.lapses);
    expect(in12.byRequirement.reduce((s, r) => s + r.estimatedPence, 0)).toBe(in12.total.estimatedPence);

    const again = await getIcbDashboard(getDb(), QMF, ALL, today);
    expect(again.forecast.cached).toBe(true);
    expect(again.forecast.horizons).toEqual(first.forecast.horizons);

    // The delivery partner replaces the ageing desktop's record with a new purchase date: the
    // fingerprint changes, so the forecast is worked out again and the lapse is gone.
    const input = DeviceInputSchema.parse({
      asset_tag: "AGING-1",
      device_type: "desktop",
      status: "in_use",
      site_code: "F84013",
      os_family: "Windows 11",
      os_edition: "Enterprise",
      os_version: "24H2",
      purchase_date: today,
      warranty_end: addMonths(today, 36),
    });
    const res = await updateDevice(getDb(), actor, "F84013", agingId, 1, input);
    expect(res.ok).toBe(true);
    const after = await getIcbDashboard(getDb(), QMF, ALL, today);
    expect(after.forecast.cached).toBe(false);
    expect(after.forecast.horizons[0].byRequirement.find((r) => r.key === "DEV-05")).toBeUndefined();
  });

  it("exports one sheet per view; each total row is the sum of the rows above it", async () => {
    const r = await call(dashboardExport.loader, get("/icbs/QMF/dashboard/export?format=xlsx", leadCookie), { code: "QMF" });
    expect(r.status).toBe(200);
    expect(r.response!.headers.get("Content-Type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.response!.arrayBuffer());
    const d = await getIcbDashboard(getDb(), QMF, { all: false, icbCodes: ["QMF"], practiceCodes: [] }, today);
    const sheets = dashboardSheets(d);
    expect(wb.worksheets.map((w) => w.name)).toEqual(sheets.map((s) => s.name.slice(0, 31)));
    let checked = 0;
    for (const s of sheets.filter((x) => x.totals && x.key !== "forecast" && x.key !== "top")) {
      const ws = wb.getWorksheet(s.name.slice(0, 31))!;
      const values = ws
        .getSheetValues()
        .slice(2)
        .map((row) => (row as unknown[]).slice(1));
      const total = values.at(-1)!;
      expect(total.includes("Total"), s.name).toBe(true);
      const body = values.slice(0, -1);
      expect(body.length, s.name).toBeGreaterThan(0);
      total.forEach((v, i) => {
        if (typeof v !== "number") return;
        const sum = body.reduce((t, row) => t + (typeof row[i] === "number" ? (row[i] as number) : 0), 0);
        expect(v, `${s.name} column ${s.columns[i]}`).toBeCloseTo(sum, 2);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(10);
    // The forecast sheet has a total per horizon.
    const fc = wb.getWorksheet("Forecast lapses")!;
    const rows = fc
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    for (const h of d.forecast.horizons) {
      const label = `${h.months} months (${h.date})`;
      const mine = rows.filter((row) => row[0] === label);
      const total = mine.at(-1)!;
      expect(total[1]).toBe("Total");
      expect(total[5]).toBe(mine.slice(0, -1).reduce((t, row) => t + (row[5] as number), 0));
      expect(total[5]).toBe(h.total.lapses);
    }
    // Gaps by domain in the file match the page.
    const byDomain = wb
      .getWorksheet("Gaps by domain")!
      .getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    expect(byDomain.at(-1)![1]).toBe(d.headline.openGaps);
    expect(byDomain.at(-1)![3]).toBeCloseTo(d.headline.estimatedPence / 100, 2);
  });

  it("exports the summary and gaps by domain as CSV, no estimate as a count", async () => {
    const r = await call(dashboardExport.loader, get("/icbs/QMF/dashboard/export", leadCookie), { code: "QMF" });
    expect(r.status).toBe(200);
    const text = (await r.response!.text()).replace(/^\ufeff/, "");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("view,item,measure,value");
    expect(lines).toContain("Summary,,Open practices,2");
    expect(lines.some((l) => l.startsWith("Gaps by domain,Total,gaps_no_estimate,"))).toBe(true);
    expect(text).not.toContain("QHM");
  });

  it("the report pack carries the figures, the top gaps and who prepared it", async () => {
    const r = await call(report.loader, get("/icbs/QMF/report", leadCookie), { code: "QMF" });
    expect(r.status).toBe(200);
    expect(r.data.preparedBy).toBe("dash-lead@test.nhs.test");
    expect(r.data.topGaps.length).toBeGreaterThan(0);
    expect(r.data.headline.practices).toBe(2);
  });
});
