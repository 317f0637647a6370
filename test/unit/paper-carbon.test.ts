import { describe, expect, it } from "vitest";
import {
  A4_AREA_M2,
  carbonForActivity,
  gramsToKg,
  gramsToTonnes,
  kgToTonnes,
  last12Months,
  lloydGeorgeCounts,
  monthlyCarbon,
  per1000,
  rolling12,
  savings,
  sheetMassGrams,
  splitTrajectoryTarget,
  tonnesToKg,
  trajectoryTarget,
  yearlyCarbon,
  type ActivityInput,
} from "~/modules/paper/carbon";
import { FACTORS, factorsOn, LATER_FACTORS, SEED_FACTORS, SEED_EFFECTIVE_FROM, type FactorVersion } from "~/modules/paper/factors";

const SEED: FactorVersion[] = SEED_FACTORS.map((f, i) => ({
  ...f,
  id: i + 1,
  unit: FACTORS[f.key as keyof typeof FACTORS].unit,
  effective_from: SEED_EFFECTIVE_FROM,
}));
const month = (ym: string, over: Partial<ActivityInput> = {}): ActivityInput => ({
  period_start: `${ym}-01`,
  period_end: `${ym}-28`,
  site_code: null,
  sheets_printed: 10_000,
  recycled_share_pct: 0,
  letters_posted: 1000,
  sms_sent: 500,
  nhs_app_messages: 100,
  emails_sent: 50,
  ...over,
});

describe("unit conversions and sheet mass", () => {
  it("converts grams, kilograms and tonnes", () => {
    expect(gramsToKg(2500)).toBe(2.5);
    expect(kgToTonnes(919.4)).toBeCloseTo(0.9194, 10);
    expect(tonnesToKg(1.5)).toBe(1500);
    expect(gramsToTonnes(4_990_000)).toBeCloseTo(4.99, 10);
  });

  it("weighs an A4 80 gsm sheet at 4.99 g and a ream at 2.49 kg (research §3.8)", () => {
    expect(A4_AREA_M2).toBeCloseTo(0.06237, 6);
    expect(sheetMassGrams(80)).toBeCloseTo(4.99, 2);
    expect(gramsToKg(sheetMassGrams(80) * 500)).toBeCloseTo(2.49, 2);
    expect(sheetMassGrams(100)).toBeCloseTo(6.237, 3);
  });
});

describe("carbon for one period", () => {
  const f = factorsOn(SEED, "2026-10-01");

  it("adds paper, printing, post and digital messages with the seeded factors", () => {
    const c = carbonForActivity(month("2026-10"), f);
    if (c.status !== "ok") throw new Error("expected a figure");
    // The 1,000 letters' own sheets are in the letter factor (issue #13 item 7: counted once), so
    // 9,000 virgin sheets × 4.9896 g = 44.906 kg = 0.0449064 t × 919.4 = 41.287 kg
    expect(c.parts.paper).toBeCloseTo(0.0449064 * 919.4, 3);
    expect(c.parts.printing).toBeCloseTo(9, 6); // 1 g a sheet, letters' sheets excluded
    expect(c.parts.post).toBeCloseTo(25, 6); // 25 g a letter
    expect(c.parts.digital).toBeCloseTo(0.2, 6); // 50 emails × 4 g; SMS and NHS App 0
    expect(c.kg).toBeCloseTo(c.parts.paper + 9 + 25 + 0.2, 6);
    expect(c.factorIds.length).toBe(9);
  });

  it("counts a letter's paper once: never more letter sheets than sheets printed", () => {
    const c = carbonForActivity(month("2026-10", { sheets_printed: 500, letters_posted: 1000 }), f);
    if (c.status !== "ok") throw new Error("expected a figure");
    expect(c.parts.paper).toBe(0);
    expect(c.parts.printing).toBe(0);
    expect(c.parts.post).toBeCloseTo(25, 6);
  });

  it("uses the recycled factor for the recycled share", () => {
    const virgin = carbonForActivity(month("2026-10"), f);
    const recycled = carbonForActivity(month("2026-10", { recycled_share_pct: 100 }), f);
    const half = carbonForActivity(month("2026-10", { recycled_share_pct: 50 }), f);
    if (virgin.status !== "ok" || recycled.status !== "ok" || half.status !== "ok") throw new Error("expected figures");
    expect(recycled.parts.paper / virgin.parts.paper).toBeCloseTo(707.2 / 919.4, 6);
    expect(half.parts.paper).toBeCloseTo((virgin.parts.paper + recycled.parts.paper) / 2, 6);
  });

  it("gives missing, naming what is missing, rather than zero", () => {
    expect(carbonForActivity(month("2026-10", { letters_posted: null, emails_sent: null }), f)).toEqual({
      status: "missing",
      missing: ["letters posted", "emails sent"],
    });
    const noFactor = carbonForActivity(month("2026-10"), new Map([...f].filter(([k]) => k !== "letter_posted")));
    expect(noFactor).toMatchObject({
      status: "missing",
      missing: [expect.stringMatching(/letter posted emission factor in force on 2026-10-01/)],
    });
  });
});

describe("factor versions by date", () => {
  const newLetter: FactorVersion = {
    id: 99,
    key: "letter_posted",
    value: 29,
    unit: "g CO2e per letter",
    source: "test",
    year: 2026,
    is_assumption: false,
    effective_from: "2026-07-01",
  };
  const versions = [...SEED, newLetter];

  it("picks the latest version effective on or before the date", () => {
    expect(factorsOn(versions, "2026-06-30").get("letter_posted")!.value).toBe(25);
    expect(factorsOn(versions, "2026-07-01").get("letter_posted")!.value).toBe(29);
    expect(factorsOn(versions, "1999-12-31").size).toBe(0);
  });

  it("changes only the periods from the new version's effective date", () => {
    const months = ["2026-05", "2026-06", "2026-07", "2026-08"];
    const before = monthlyCarbon(
      months.map((m) => month(m)),
      SEED,
      months,
    );
    const after = monthlyCarbon(
      months.map((m) => month(m)),
      versions,
      months,
    );
    expect(after[0].kg).toBeCloseTo(before[0].kg!, 9);
    expect(after[1].kg).toBeCloseTo(before[1].kg!, 9);
    expect(after[2].kg! - before[2].kg!).toBeCloseTo(1000 * 0.004, 9); // 1,000 letters × 4 g more
    expect(after[3].kg! - before[3].kg!).toBeCloseTo(4, 9);
    expect(after[2].factorIds).toContain(99);
    expect(after[1].factorIds).not.toContain(99);
  });
});

describe("months, years and the last 12 months", () => {
  it("marks months with nothing recorded, or an incomplete record, as missing", () => {
    const r = monthlyCarbon([month("2026-01"), month("2026-02", { sheets_printed: null })], SEED, ["2026-01", "2026-02", "2026-03"]);
    expect(r.map((m) => m.status)).toEqual(["ok", "missing", "missing"]);
    expect(r[1].missing).toEqual(["sheets printed"]);
    expect(r[2].missing).toEqual(["nothing recorded"]);
    expect(r[2].kg).toBeNull();
  });

  it("adds site records together and shares a quarter across its months", () => {
    const sites = monthlyCarbon([month("2026-01", { site_code: "A" }), month("2026-01", { site_code: "B" })], SEED, ["2026-01"]);
    const single = monthlyCarbon([month("2026-01")], SEED, ["2026-01"]);
    expect(sites[0].kg).toBeCloseTo(single[0].kg! * 2, 9);
    const quarter = monthlyCarbon([{ ...month("2026-01", { letters_posted: 3000 }), period_end: "2026-03-31" }], SEED, [
      "2026-01",
      "2026-02",
      "2026-03",
    ]);
    expect(quarter.every((m) => m.status === "ok")).toBe(true);
    expect(quarter[1].inputs.letters).toBeCloseTo(1000, 9);
  });

  it("totals a year only when every month so far is recorded, and annualises a part year", () => {
    const months = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-03"];
    const monthly = monthlyCarbon(
      months.map((m) => month(m)),
      SEED,
      months,
    );
    const years = yearlyCarbon(monthly, "2026-03");
    expect(years.map((y) => y.year)).toEqual([2025, 2026]);
    expect(years[0]).toMatchObject({ months: 12, recorded: 2, kg: null, annualised: null });
    expect(years[0].missingMonths).toHaveLength(10);
    expect(years[1]).toMatchObject({ months: 3, recorded: 3 });
    expect(years[1].kg).toBeCloseTo(monthly[2].kg! * 3, 9);
    expect(years[1].annualised).toBeCloseTo(monthly[2].kg! * 12, 9);
  });

  it("reports the last 12 whole months, or which are missing", () => {
    expect(last12Months("2026-11-22")).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
    const all = last12Months("2026-11-22");
    const full = monthlyCarbon(
      all.map((m) => month(m)),
      SEED,
      all,
    );
    expect(rolling12(full, "2026-11-22").kg).toBeCloseTo(full[0].kg! * 12, 6);
    const gap = monthlyCarbon(
      all.slice(1).map((m) => month(m)),
      SEED,
      all,
    );
    expect(rolling12(gap, "2026-11-22")).toEqual({ kg: null, missingMonths: ["2025-11"], recorded: 11 });
  });

  it("normalises per 1,000 patients, missing when either side is missing", () => {
    expect(per1000(500, 10_000)).toBe(50);
    expect(per1000(null, 10_000)).toBeNull();
    expect(per1000(500, null)).toBeNull();
    expect(per1000(500, 0)).toBeNull();
  });
});

describe("net zero trajectory", () => {
  // Issue #13 item 7: paper, post and messages are supply chain (NHS Carbon Footprint Plus): 2045 (S40).
  it("draws a straight line from the baseline year to zero in 2045 by default, or to the year given", () => {
    expect(trajectoryTarget(2025, 1500, 2025)).toBe(1500);
    expect(trajectoryTarget(2025, 1500, 2030)).toBeCloseTo(1125, 9);
    expect(trajectoryTarget(2025, 1500, 2040)).toBeCloseTo(375, 9);
    expect(trajectoryTarget(2025, 1500, 2045)).toBe(0);
    expect(trajectoryTarget(2025, 1500, 2030, 2040)).toBeCloseTo(1000, 9);
    expect(trajectoryTarget(2025, 1500, 2040, 2040)).toBe(0);
  });

  it("takes printing energy (directly controlled) to zero by 2040 and the rest by 2045", () => {
    // 300 kg printing → 0 in 2040; 1,200 kg paper and post → 0 in 2045.
    expect(splitTrajectoryTarget(2025, 1500, 300, 2025)).toBe(1500);
    expect(splitTrajectoryTarget(2025, 1500, 300, 2030)).toBeCloseTo(200 + 900, 9);
    expect(splitTrajectoryTarget(2025, 1500, 300, 2040)).toBeCloseTo(0 + 300, 9);
    expect(splitTrajectoryTarget(2025, 1500, 300, 2045)).toBe(0);
  });
});

describe("savings", () => {
  const all = last12Months("2026-11-22");

  it("counts Lloyd George records from envelopes held and destroyed", () => {
    expect(lloydGeorgeCounts({ envelopes_on_site: 6000, envelopes_elsewhere: 2000, digitised: 3000, destroyed: 1000 })).toEqual({
      total: 9000,
      notDigitised: 6000,
      awaitingDestruction: 2000,
      held: 8000,
    });
    expect(lloydGeorgeCounts({ envelopes_on_site: null, envelopes_elsewhere: 2000, digitised: 3000, destroyed: 1000 })).toMatchObject({
      total: null,
      notDigitised: null,
      awaitingDestruction: 2000,
    });
  });

  it("frees the recorded storage area, or the derived area per 1,000 records", () => {
    const lg = { envelopes_on_site: 8000, envelopes_elsewhere: 2000, digitised: 0, destroyed: 0 };
    const fromSites = savings({ lg, storageM2: 3, monthly: [], asOf: "2026-11-22", versions: SEED, targetShare: 0.8 });
    expect(fromSites.lloydGeorge).toMatchObject({
      status: "ok",
      records: 10_000,
      floorM2: 3,
      floorFromSites: true,
      kgPerYear: 90,
      pencePerYear: 60_000,
    });
    const derived = savings({ lg, storageM2: null, monthly: [], asOf: "2026-11-22", versions: SEED, targetShare: 0.8 });
    expect(derived.lloydGeorge).toMatchObject({ status: "ok", floorFromSites: false });
    if (derived.lloydGeorge.status === "ok") expect(derived.lloydGeorge.floorM2).toBeCloseTo(1.4, 9);
    expect(savings({ lg: null, storageM2: 3, monthly: [], asOf: "2026-11-22", versions: SEED, targetShare: 0.8 }).lloydGeorge).toEqual({
      status: "missing",
      missing: ["Lloyd George record counts"],
    });
  });

  it("moves letters to digital until the target share is reached, at last year's volumes", () => {
    // 1,000 letters and 650 digital a month: 19,800 a year in all; 80% digital is 15,840, so 8,040 letters move.
    const monthly = monthlyCarbon(
      all.map((m) => month(m)),
      SEED,
      all,
    );
    const s = savings({ lg: null, storageM2: null, monthly, asOf: "2026-11-22", versions: SEED, targetShare: 0.8 });
    expect(s.letters).toMatchObject({ status: "ok", lettersPerYear: 12_000, digitalPerYear: 7800, lettersMoved: 8040, annualisedFrom: 12 });
    if (s.letters.status === "ok") {
      expect(s.letters.kgPerYear).toBeCloseTo(8040 * 0.025, 9);
      expect(s.letters.pencePerYear).toBe(8040 * 78);
      expect(s.letters.allLettersKg).toBeCloseTo(12_000 * 0.025, 9);
      expect(s.letters.allLettersPence).toBe(12_000 * 78);
    }
    const above = savings({ lg: null, storageM2: null, monthly, asOf: "2026-11-22", versions: SEED, targetShare: 0.3 });
    expect(above.letters).toMatchObject({ status: "ok", lettersMoved: 0, kgPerYear: 0, pencePerYear: 0 });
    const none = savings({
      lg: null,
      storageM2: null,
      monthly: monthlyCarbon([], SEED, all),
      asOf: "2026-11-22",
      versions: SEED,
      targetShare: 0.8,
    });
    expect(none.letters.status).toBe("missing");
  });
});

describe("paper factors from the current DESNZ set (issue #13 item 7)", () => {
  const versions: FactorVersion[] = [
    ...SEED,
    ...LATER_FACTORS.map((f, i) => ({ ...f, id: 100 + i, unit: FACTORS[f.key as keyof typeof FACTORS].unit })),
  ];
  it("adds 2026 versions (virgin 1,345.08; recycled = closed-loop 1,050.08 kg CO2e/t, S41) without changing past periods", () => {
    expect(factorsOn(versions, "2025-12-31").get("paper_virgin")!.value).toBe(919.4);
    expect(factorsOn(versions, "2025-12-31").get("paper_recycled")!.value).toBe(707.2);
    expect(factorsOn(versions, "2026-01-01").get("paper_virgin")!.value).toBe(1345.08);
    expect(factorsOn(versions, "2026-01-01").get("paper_recycled")!.value).toBe(1050.08);
    for (const f of LATER_FACTORS) expect(f.source).toMatch(/S41.*UNCONFIRMED|UNCONFIRMED.*S41/s);
    const [dec, jan] = monthlyCarbon([month("2025-12"), month("2026-01")], versions, ["2025-12", "2026-01"]);
    expect(dec.parts!.paper).toBeCloseTo(0.0449064 * 919.4, 3);
    expect(jan.parts!.paper).toBeCloseTo(0.0449064 * 1345.08, 3);
  });
});
