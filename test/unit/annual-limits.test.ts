import { describe, expect, it } from "vitest";
import { EXTERNAL_DATES } from "~/modules/catalogue/external-dates";
import { summariseByYear } from "~/modules/compliance/forecast/summary";
import type { ForecastEvent } from "~/modules/compliance/forecast/timeline";
import { mergeParts, practicePart } from "~/modules/dashboard/forecast-parts";
import { summariseGaps } from "~/modules/dashboard/gaps-summary";
import { groupGaps, type RegisterGap } from "~/modules/gaps/register";
import { OS_LIFECYCLE_ROWS } from "~/modules/os-lifecycle/reference";
import { ANNUAL_LIMITS, annualLastYear } from "~/modules/pricing/annual-limits";
import { estimateUnits, PriceBook, type Estimate, type PriceEntry } from "~/modules/pricing/costing";
import { DEFAULT_PRICES } from "~/modules/pricing/defaults";
import { costsByFinancialYear, spreadByFinancialYear } from "~/modules/pricing/financial-year";

// Issue #13: commercial Windows 10 ESU is sold for at most three 12-month periods; the last runs
// 13 October 2027 to 10 October 2028 (feeds.md §5), so it is bought in 2027/28 and no ESU cost
// may fall in 2028/29 or later, whatever the horizon.
let id = 1;
const price = (over: Partial<PriceEntry>): PriceEntry => ({
  id: id++,
  icbCode: null,
  unitKind: "esu_licence",
  basis: "each",
  unitCostPence: 4_800,
  effectiveFrom: "2025-04-01",
  source: "test",
  localEstimate: true,
  vatRatePercent: 20,
  finance: "revenue",
  recurrence: "annual",
  ...over,
});
const book = new PriceBook([price({}), price({ unitKind: "warranty_extension", unitCostPence: 8_000 })]);
const practice = { icbCode: "QMF", listSize: 6_000 };
/** 10 devices on ESU and 2 warranty extensions: £480 + £160 a year. */
const esuGap = (): Estimate =>
  estimateUnits(
    [
      { kind: "esu_licence", quantity: 10 },
      { kind: "warranty_extension", quantity: 2 },
    ],
    practice,
    book,
    "2026-12-04",
  );
const byYear = (rows: { label: string; pence: number }[]) => rows.map((y) => [y.label, y.pence]);

describe("annual units sold for a limited number of years", () => {
  it("ESU's last period starts the day after ESU year 2 ends and cover ends with year 3, as the lifecycle reference records", () => {
    const esu = ANNUAL_LIMITS.esu_licence!;
    expect(esu.lastPeriodStarts).toBe("2027-10-13");
    expect(esu.coverEnds).toBe("2028-10-10");
    expect(esu.coverEnds).toBe(EXTERNAL_DATES.windows10_esu_year3_end.date);
    const win10 = OS_LIFECYCLE_ROWS.find((r) => r.family === "Windows 10" && r.version === "22H2" && r.esu_year_ends.length)!;
    expect(win10.esu_year_ends).toEqual(["2026-10-13", "2027-10-12", "2028-10-10"]);
    expect(esu.source).toMatch(/feeds\.md §5/);
    expect(annualLastYear("esu_licence")).toBe(2027);
    expect(annualLastYear("warranty_extension")).toBeNull();
    expect(DEFAULT_PRICES.esu_licence!.recurrence).toBe("annual");
  });

  it("an estimate marks its ESU lines as ending in 2027/28; other annual lines carry no end", () => {
    const e = esuGap();
    expect(e.split.annualPence).toBe(64_000);
    expect(e.split.annualEnds).toEqual({ 2027: 48_000 });
    const warrantyOnly = estimateUnits([{ kind: "warranty_extension", quantity: 1 }], practice, book, "2026-12-04");
    expect(warrantyOnly.split.annualEnds).toBeUndefined();
  });

  it("an ESU gap seen in 2026/27 costs ESU in 2026/27 and 2027/28 only; the warranty recurs to the horizon", () => {
    const s = esuGap().split;
    const years = costsByFinancialYear([{ year: 2026, ...s }], 2029);
    expect(byYear(years)).toEqual([
      ["2026/27", 64_000],
      ["2027/28", 64_000],
      ["2028/29", 16_000],
      ["2029/30", 16_000],
    ]);
    expect(years.map((y) => y.recurringPence)).toEqual([0, 64_000, 16_000, 16_000]);
    // The same through the helper that spreads one estimate.
    expect(byYear(spreadByFinancialYear(s, "2026-12-04", 4))).toEqual(byYear(years));
  });

  it("an overdue ESU gap (due 2025/26) costs its three ESU years, 2025/26 to 2027/28; one due after 2027/28 shows its first year only", () => {
    const s = esuGap().split;
    expect(byYear(costsByFinancialYear([{ year: 2025, ...s }], 2028))).toEqual([
      ["2025/26", 64_000],
      ["2026/27", 64_000],
      ["2027/28", 64_000],
      ["2028/29", 16_000],
    ]);
    expect(byYear(costsByFinancialYear([{ year: 2028, ...s }], 2029))).toEqual([
      ["2028/29", 64_000],
      ["2029/30", 16_000],
    ]);
  });

  it("the ICB dashboard, the register's grouping (page, CLI, XLSX) and the forecast summary all stop ESU after 2027/28", () => {
    const e = esuGap();
    const gap = {
      id: 1,
      practiceCode: "F84003",
      listSize: 6_000,
      domain: "devices",
      deadlineYear: 2026,
      priority: { level: "high", score: 9 },
      estimate: e,
    };
    const want = [
      ["2026/27", 64_000],
      ["2027/28", 64_000],
      ["2028/29", 16_000],
    ];
    const dashboard = summariseGaps([gap as never], 2028);
    expect(dashboard.byYear.map((y) => [y.label, y.inYearPence])).toEqual(want);
    const register = groupGaps([gap as unknown as RegisterGap], "financial_year", {}, 2028);
    expect(byYear(register.costByYear!)).toEqual(want);
    // The limited part is used for the years, not shown per row.
    expect(register.rows[0]).not.toHaveProperty("annualEnds");
    const event = {
      practiceCode: "F84003",
      requirementId: "DEV-02",
      change: "",
      drivers: [],
      financialYear: 2026,
      worse: true,
      estimate: e,
      date: "2026-12-05",
    } as unknown as ForecastEvent;
    expect(summariseByYear([event], 2028).map((y) => [y.label, y.inYearPence])).toEqual(want);
    // The dashboard's forecast, added up from per-practice shares, the same.
    const merged = mergeParts(new Map([["F84003", practicePart([event])]]), [{ months: 24, date: "2028-12-04" }]);
    expect(merged.byYear.map((y) => [y.label, y.inYearPence])).toEqual(want);
  });
});
