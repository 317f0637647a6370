import { describe, expect, it } from "vitest";
import { evaluateEstate, forecastEstate } from "~/modules/compliance/engine";
import { addMonths } from "~/modules/compliance/evaluate.server";
import type { Status } from "~/modules/compliance/rules";
import { scoreResults } from "~/modules/compliance/scoring";
import { riskByPcn, type DeviceOsGroup, type PracticeFacts } from "~/modules/dashboard/estate-risk";
import { practiceLapses, summariseLapses } from "~/modules/dashboard/forecast";
import { summariseGaps } from "~/modules/dashboard/gaps-summary";
import { costHorizonLastYear } from "~/modules/pricing/financial-year";
import { pipelineFor } from "~/modules/dashboard/pipeline";
import { monthEnd, scoreCounts, trendDates, trendFromCounts } from "~/modules/dashboard/trend";
import type { Priority } from "~/modules/gaps/priority";
import { estimateUnits, PriceBook, ZERO_ESTIMATE, type Estimate, type PriceEntry } from "~/modules/pricing/costing";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { device, estate, LIFECYCLE, many, policy, site, telephony, win10 } from "../support/compliance-estate";

describe("compliance trend", () => {
  it("takes the last 12 month ends before today, then today", () => {
    const d = trendDates("2026-11-22");
    expect(d).toHaveLength(13);
    expect(d[0]).toBe("2025-11-30");
    expect(d.slice(1, 4)).toEqual(["2025-12-31", "2026-01-31", "2026-02-28"]);
    expect(d.at(-2)).toBe("2026-10-31");
    expect(d.at(-1)).toBe("2026-11-22");
    // On a month end, today is that month end and is not repeated.
    const end = trendDates("2026-10-31");
    expect(end).toHaveLength(12);
    expect(end.at(-1)).toBe("2026-10-31");
    expect(new Set(end).size).toBe(end.length);
    expect(monthEnd("2028-02-10")).toBe("2028-02-29");
    expect(trendDates("2026-01-15")[0]).toBe("2025-01-31");
  });

  it("scores grouped counts exactly as scoring every result one by one", () => {
    const items: { status: Status; weight: number; domain: string }[] = [];
    const groups: { status: Status; weight: number; n: number }[] = [
      { status: "met", weight: 3, n: 40 },
      { status: "partial", weight: 3, n: 7 },
      { status: "not_met", weight: 2, n: 11 },
      { status: "met", weight: 1, n: 5 },
      { status: "unknown", weight: 3, n: 9 },
      { status: "not_applicable", weight: 2, n: 4 },
      { status: "met", weight: 3, n: 2 },
    ];
    for (const g of groups) for (let i = 0; i < g.n; i++) items.push({ status: g.status, weight: g.weight, domain: "x" });
    const expected = scoreResults(items).overall;
    expect(scoreCounts(groups)).toEqual(expected);
    // met 42×3 + 5×1 = 131, partial 7×3×0.5 = 10.5; possible (42+7)×3 + 11×2 + 5 = 174.
    expect(expected.score).toBe(Math.round((141.5 / 174) * 1000) / 10);
  });

  it("gives each date its own score, and no score (not 0%) where nothing was in force", () => {
    const points = trendFromCounts(
      ["2026-09-30", "2026-10-31", "2026-11-22"],
      [
        { date: "2026-10-31", status: "met", weight: 2, n: 3 },
        { date: "2026-10-31", status: "not_met", weight: 2, n: 1 },
        { date: "2026-11-22", status: "met", weight: 2, n: 4 },
      ],
      new Map([
        ["2026-10-31", 1],
        ["2026-11-22", 1],
      ]),
    );
    expect(points.map((p) => p.score)).toEqual([null, 75, 100]);
    expect(points.map((p) => p.practices)).toEqual([0, 1, 1]);
    expect(points[1].counts).toMatchObject({ met: 3, not_met: 1 });
  });
});

describe("funding pipeline", () => {
  const totals = [
    { financial_year: 2026, status: "draft", requests: 2, pence: 500_00 },
    { financial_year: 2026, status: "submitted", requests: 3, pence: 30_000_00 },
    { financial_year: 2026, status: "approved", requests: 2, pence: 20_000_00 },
    { financial_year: 2026, status: "funded", requests: 1, pence: 15_000_00 },
    { financial_year: 2026, status: "delivered", requests: 1, pence: 5_000_00 },
    { financial_year: 2026, status: "rejected", requests: 4, pence: 99_000_00 },
    { financial_year: 2027, status: "approved", requests: 1, pence: 1_234_56 },
    { financial_year: 2025, status: "approved", requests: 9, pence: 9_999_999_00 },
  ];

  it("puts each request in one stage; the stages add up to everything requested and not rejected", () => {
    const [y, next] = pipelineFor([2026, 2027], totals, new Map([[2026, 50_000_00]]));
    expect(y.label).toBe("2026/27");
    expect(y.stages.map((s) => [s.stage, s.requests, s.pence])).toEqual([
      ["submitted", 3, 30_000_00],
      ["approved", 2, 20_000_00],
      ["funded", 1, 15_000_00],
      ["delivered", 1, 5_000_00],
    ]);
    expect(y.requested).toEqual({ requests: 7, pence: 70_000_00 });
    expect(y.requested.pence).toBe(y.stages.reduce((s, x) => s + x.pence, 0));
    expect(y.drafts).toEqual({ requests: 2, pence: 500_00 });
    expect(y.rejected).toEqual({ requests: 4, pence: 99_000_00 });
    // Approved, funded and delivered count against the budget; the request awaiting a decision does not.
    expect(y.committedPence).toBe(40_000_00);
    expect(y.remainingPence).toBe(10_000_00);
    expect(y.requestedOverBudgetPence).toBe(20_000_00);
    // Another year's requests never leak in; no budget set is null, not £0.
    expect(next.committedPence).toBe(1_234_56);
    expect(next.budgetPence).toBeNull();
    expect(next.remainingPence).toBeNull();
  });

  it("shows an overspend as a negative remainder", () => {
    const [y] = pipelineFor([2026], totals, new Map([[2026, 30_000_00]]));
    expect(y.remainingPence).toBe(-10_000_00);
  });
});

const estimate = (pence: number | null, knownPence = pence ?? 0): Estimate => ({
  ...ZERO_ESTIMATE,
  pence,
  vatPence: pence === null ? null : 0,
  knownPence,
  missing: pence === null ? [{ kind: "x", label: "X", why: "no unit cost" }] : [],
});
const priority = (level: Priority["level"]): Priority => ({ level, score: 0, factors: [] });

describe("gaps by domain and deadline year", () => {
  const gaps = [
    { practiceCode: "A", domain: "devices" as const, deadlineYear: 2026, priority: priority("high"), estimate: estimate(100_00) },
    { practiceCode: "A", domain: "devices" as const, deadlineYear: 2027, priority: priority("low"), estimate: estimate(null, 40_00) },
    { practiceCode: "B", domain: "devices" as const, deadlineYear: 2026, priority: priority("medium"), estimate: estimate(250_50) },
    { practiceCode: "B", domain: "telephony" as const, deadlineYear: 2025, priority: priority("high"), estimate: estimate(null) },
    { practiceCode: "C", domain: "cyber_ig" as const, deadlineYear: 2026, priority: priority("low"), estimate: estimate(0) },
  ];
  const s = summariseGaps(gaps, 2027);

  it("counts a missing estimate apart, never as £0, with the priced part shown beside it", () => {
    const devices = s.byDomain.find((r) => r.key === "devices")!;
    expect(devices).toMatchObject({ gaps: 3, practices: 2, highPriority: 1, estimatedPence: 350_50, noEstimate: 1, partialPence: 40_00 });
    expect(s.byDomain.find((r) => r.key === "telephony")).toMatchObject({ gaps: 1, estimatedPence: 0, noEstimate: 1 });
    // A real £0 estimate is an estimate.
    expect(s.byDomain.find((r) => r.key === "cyber_ig")).toMatchObject({ estimatedPence: 0, noEstimate: 0 });
  });

  it("orders domains as the catalogue does and years oldest first; totals equal the sum of the rows", () => {
    expect(s.byDomain.map((r) => r.key)).toEqual(["telephony", "devices", "cyber_ig"]);
    expect(s.byYear.map((r) => r.label)).toEqual(["2025/26", "2026/27", "2027/28"]);
    for (const rows of [s.byDomain, s.byYear]) {
      for (const k of ["gaps", "highPriority", "estimatedPence", "noEstimate", "partialPence"] as const) {
        expect(rows.reduce((t, r) => t + r[k], 0)).toBe(s.total[k]);
      }
    }
    expect(s.total).toMatchObject({ gaps: 5, practices: 3, estimatedPence: 350_50, noEstimate: 2 });
  });

  it("puts annual costs in every year they recur in to the horizon, one-off costs in the deadline's year only", () => {
    // A warranty extension (£100 a year, VAT £20) due in 2025/26 and a replacement (£800 one-off) plus an HSCN rental
    // (£300 a year) due in 2026/27; horizon 2026/27 to 2028/29 (costHorizonLastYear of a day in 2026/27).
    const annual = (year: number, oneOff: number, yearly: number) => ({
      practiceCode: "A",
      domain: "devices" as const,
      deadlineYear: year,
      priority: priority("low"),
      estimate: {
        ...estimate(oneOff + yearly),
        vatPence: (oneOff + yearly) / 5,
        split: { capitalPence: oneOff, revenuePence: yearly, oneOffPence: oneOff, annualPence: yearly },
      },
    });
    const r = summariseGaps([annual(2025, 0, 100_00), annual(2026, 800_00, 300_00)], costHorizonLastYear("2026-12-04"));
    expect(r.byYear.map((y) => [y.label, y.gaps, y.estimatedPence, y.vatPence, y.inYearPence, y.recurringPence])).toEqual([
      ["2025/26", 1, 100_00, 20_00, 100_00, 0],
      ["2026/27", 1, 1100_00, 220_00, 1200_00, 100_00],
      // No deadline falls in these years: the two annual costs recur into them.
      ["2027/28", 0, 0, 0, 400_00, 400_00],
      ["2028/29", 0, 0, 0, 400_00, 400_00],
    ]);
    expect(r.total).toMatchObject({ gaps: 2, estimatedPence: 1200_00, vatPence: 240_00 });
  });
});

describe("unsupported devices and analogue telephony by PCN", () => {
  const lifecycle = indexLifecycle(LIFECYCLE);
  const practices: PracticeFacts[] = [
    { ods_code: "P1", pcn_code: "U1", pcn_name: "Beta PCN", system_type: "analogue", analogue_sites: 1, analogue_lines: 3 },
    { ods_code: "P2", pcn_code: "U1", pcn_name: "Beta PCN", system_type: "cloud", analogue_sites: 0, analogue_lines: 0 },
    { ods_code: "P3", pcn_code: "U2", pcn_name: "Alpha PCN", system_type: "on_premises_digital", analogue_sites: 2, analogue_lines: 2 },
    { ods_code: "P4", pcn_code: null, pcn_name: null, system_type: null, analogue_sites: 0, analogue_lines: 0 },
    { ods_code: "P5", pcn_code: "U2", pcn_name: "Alpha PCN", system_type: "isdn", analogue_sites: 0, analogue_lines: 0 },
  ];
  const g = (
    practice_code: string,
    os: [string | null, string | null, string | null],
    n: number,
    esu: number | null = null,
  ): DeviceOsGroup => ({
    practice_code,
    os_family: os[0],
    os_edition: os[1],
    os_version: os[2],
    esu_years: esu,
    n,
  });
  const groups = [
    g("P1", ["Windows 10", "Pro", "22H2"], 4),
    g("P1", ["Windows 10", "Pro", "22H2"], 2, 2),
    g("P1", ["Windows 11", "Enterprise", "24H2"], 10),
    g("P2", ["Windows 11", "Enterprise", "24H2"], 5),
    g("P3", ["Windows Server", "Standard", "2012"], 1),
    g("P3", ["Windows 12", "Pro", "1"], 2),
    g("P4", [null, null, null], 3),
  ];

  it("decides support with the device pages' logic and counts each PCN's devices and practices", () => {
    const { rows, total } = riskByPcn(practices, groups, lifecycle, "2026-11-22");
    expect(rows.map((r) => r.pcn_name)).toEqual(["Alpha PCN", "Beta PCN", "No PCN"]);
    const beta = rows[1];
    expect(beta).toMatchObject({
      practices: 2,
      devicesInUse: 21,
      unsupported: 4,
      esu: 2,
      osUnknown: 0,
      practicesUnsupported: 1,
      telephonyAnalogue: 1,
      telephonyCloud: 1,
      analogueSites: 1,
      analogueLines: 3,
    });
    expect(rows[0]).toMatchObject({
      practices: 2,
      unsupported: 1,
      osUnknown: 2,
      practicesUnsupported: 1,
      telephonyOnPremises: 1,
      telephonyAnalogue: 1,
      analogueSites: 2,
    });
    expect(rows[2]).toMatchObject({ practices: 1, devicesInUse: 3, unsupported: 0, telephonyNotRecorded: 1 });
    for (const k of Object.keys(total) as (keyof typeof total)[]) expect(rows.reduce((s, r) => s + r[k], 0)).toBe(total[k]);
  });

  it("counts by the as-of date: before Windows 10's end of support nothing is unsupported", () => {
    expect(riskByPcn(practices, groups, lifecycle, "2025-10-14").total.unsupported).toBe(1);
  });
});

describe("forecast across practices", () => {
  let id = 1;
  const price = (over: Partial<PriceEntry>): PriceEntry => ({
    id: id++,
    icbCode: null,
    unitKind: "desktop_replacement",
    basis: "each",
    unitCostPence: 80_000,
    effectiveFrom: "2020-01-01",
    source: "test",
    localEstimate: false,
    vatRatePercent: 20,
    finance: "capital",
    recurrence: "one_off",
    ...over,
  });
  const book = new PriceBook([
    price({ unitKind: "desktop_replacement", unitCostPence: 80_000 }),
    price({ unitKind: "os_upgrade", unitCostPence: 5_000 }),
    price({ unitKind: "laptop_replacement", unitCostPence: 95_000 }),
    price({ unitKind: "analogue_line_migration", unitCostPence: 20_000 }),
    price({ unitKind: "warranty_extension", unitCostPence: 10_000 }),
    price({ unitKind: "desktop_replacement", icbCode: "QMF", unitCostPence: 70_000, effectiveFrom: "2028-01-01" }),
  ]);
  const asOf = "2026-11-22";
  const horizons = [addMonths(asOf, 12), addMonths(asOf, 24)];
  const estates = [
    estate({
      devices: [device({ purchase_date: "2022-03-01", warranty_end: "2027-03-01" }), ...many(2, () => device())],
      sites: [site({ analogue_lines: 2 })],
    }),
    estate({
      practice: { ods_code: "F84013" },
      devices: [...many(3, () => device())],
      telephony: telephony({ contract_end: "2027-05-31", system_type: "on_premises_digital" }),
    }),
    estate({ practice: { ods_code: "F84014" }, devices: [win10(), device()] }),
  ];

  it("finds the same lapses as the practice forecast: met today, not met or partly met by each horizon, on the same first date", () => {
    let found = 0;
    for (const e of estates) {
      const mine = practiceLapses(e, policy(), asOf, horizons, book);
      const f = forecastEstate(e, policy(), asOf, horizons);
      f.horizons.forEach((h, i) => {
        const expected = h.changes
          .filter((c) => c.from.status === "met" && (c.to.status === "not_met" || c.to.status === "partial"))
          .map((c) => ({ requirementId: c.requirementId, to: c.to.status, date: c.transitions.find((t) => t.status !== "met")!.date }));
        expect(mine[i].date).toBe(h.date);
        expect(mine[i].lapses.map((l) => ({ requirementId: l.requirementId, to: l.to, date: l.date }))).toEqual(expected);
        found += expected.length;
      });
    }
    expect(found).toBeGreaterThan(4);
  });

  it("costs each lapse with the units the rules name on the horizon date and the price in force then", () => {
    const [in12, in24] = practiceLapses(estates[0], policy(), asOf, horizons, book);
    // A desktop bought in March 2022 reaches the replacement age on 1 March 2027.
    const dev05 = in12.lapses.find((l) => l.requirementId === "DEV-05")!;
    expect(dev05).toMatchObject({ date: "2027-03-01", to: "partial" });
    const units = evaluateEstate(estates[0], policy(), horizons[0]).get("DEV-05")!.units;
    expect(units).toEqual([{ kind: "desktop_replacement", quantity: 1 }]);
    expect(dev05.estimate).toEqual(estimateUnits(units, { icbCode: "QMF", listSize: 10000 }, book, horizons[0]));
    // The national price in November 2027; the ICB's own price from January 2028 by the second horizon.
    expect(dev05.estimate.pence).toBe(80_000);
    expect(in24.lapses.find((l) => l.requirementId === "DEV-05")!.estimate.pence).toBe(70_000);
    // SEC-03's work is the same upgrade DEV-02 costs: £0 here, saying where it is costed, never twice.
    const sec03 = in12.lapses.find((l) => l.requirementId === "SEC-03")!;
    expect(sec03.estimate.pence).toBe(0);
    expect(sec03.estimate.elsewhere.map((x) => x.under)).toContain("DEV-02");
  });

  it("sums lapses by horizon, domain and requirement; missing prices count as no estimate", () => {
    const empty = new PriceBook([]);
    const per = estates.map((e) => practiceLapses(e, policy(), asOf, horizons, book));
    const unpriced = estates.map((e) => practiceLapses(e, policy(), asOf, horizons, empty));
    const s = summariseLapses(horizons.map((date, i) => ({ months: [12, 24][i], date, lapses: per.flatMap((p) => p[i].lapses) })));
    for (const h of s) {
      expect(h.byDomain.reduce((t, r) => t + r.lapses, 0)).toBe(h.total.lapses);
      expect(h.byRequirement.reduce((t, r) => t + r.estimatedPence, 0)).toBe(h.total.estimatedPence);
      expect(h.byRequirement.reduce((t, r) => t + r.noEstimate, 0)).toBe(h.total.noEstimate);
    }
    expect(s[1].total.lapses).toBeGreaterThanOrEqual(s[0].total.lapses);
    const none = summariseLapses(horizons.map((date, i) => ({ months: [12, 24][i], date, lapses: unpriced.flatMap((p) => p[i].lapses) })));
    expect(none[1].total.estimatedPence).toBe(0);
    // With no prices, every lapse is "no estimate" except work costed under another lapse (£0 there).
    const ownWork = unpriced.flatMap((p) => p[1].lapses).filter((l) => l.estimate.remedy !== "elsewhere").length;
    expect(none[1].total.noEstimate).toBe(ownWork);
    expect(none[1].total.lapses).toBe(s[1].total.lapses);
  });
});
