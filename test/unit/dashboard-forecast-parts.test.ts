import { describe, expect, it } from "vitest";
import { addMonths } from "~/modules/compliance/evaluate.server";
import { summariseLapses, toLapse } from "~/modules/dashboard/forecast";
import { COSTLIEST, mergeParts, practicePart } from "~/modules/dashboard/forecast-parts";
import { summariseByYear } from "~/modules/compliance/forecast/summary";
import { practiceTimeline, type ForecastEvent } from "~/modules/compliance/forecast/timeline";
import { PriceBook, type PriceEntry } from "~/modules/pricing/costing";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { device, estate, many, policy, site, telephony, win10 } from "../support/compliance-estate";

// The dashboard keeps its forecast practice by practice (dashboard/forecast-parts.ts). This
// holds the figures added up from the shares to those worked out from the whole ICB's
// timeline at once, the way the dashboard did before (every event of every practice sorted
// together), on practices whose lapses tie on cost and date and outnumber the top 25.
describe("the dashboard forecast from per-practice shares", () => {
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
  // No laptop price: laptop lapses have no estimate and must count apart, never as £0.
  const book = new PriceBook([
    price({ unitKind: "desktop_replacement", unitCostPence: 80_000 }),
    price({ unitKind: "os_upgrade", unitCostPence: 5_000 }),
    price({ unitKind: "analogue_line_migration", unitCostPence: 20_000 }),
    price({ unitKind: "warranty_extension", unitCostPence: 10_000, finance: "revenue", recurrence: "annual" }),
    price({ unitKind: "esu_licence", unitCostPence: 4_000, finance: "revenue", recurrence: "annual" }),
    price({ unitKind: "desktop_replacement", icbCode: "QMF", unitCostPence: 70_000, effectiveFrom: "2027-06-01" }),
  ]);
  const asOf = "2026-11-22";
  const until = addMonths(asOf, 24);
  const horizons = [12, 24].map((m) => ({ months: m, date: addMonths(asOf, m) }));
  const estates = Array.from({ length: 9 }, (_, i) => {
    const ods = `F8${4100 + i}`;
    const year = 2020 + (i % 4);
    return estate({
      practice: { ods_code: ods, list_size: 4000 + i * 1500 },
      devices: [
        // Several practices' desktops reach the same age on the same day: ties on cost and date.
        ...many(2 + (i % 3), () => device({ purchase_date: `${year}-03-01`, warranty_end: `${year + 5}-03-01` })),
        ...many(i % 2, () => win10({ esu_years: 1 })),
        // A warranty that ends years before the age limit: an extension (annual) rather than a
        // replacement, so annual costs recur (a device replaced needs no extension).
        ...many(1, () => device({ purchase_date: `${year + 2}-05-01`, warranty_end: `${year + 5}-05-01` })),
        ...many(1, () => device({ device_type: "laptop", purchase_date: `${year}-07-15`, warranty_end: `${year + 4}-07-15` })),
        ...many(i % 3, () => device()),
      ],
      sites: [site({ code: ods, analogue_lines: i % 2 ? 2 : 0 })],
      telephony: telephony({
        contract_end: i % 3 === 0 ? "2027-05-31" : "2029-01-31",
        system_type: i % 2 ? "on_premises_digital" : "cloud",
      }),
    });
  });

  /** The figures as the dashboard worked them out from the whole ICB's timeline (before this change). */
  function wholeIcb(events: ForecastEvent[]) {
    events.sort(
      (a, b) =>
        a.date.localeCompare(b.date) || a.practiceCode.localeCompare(b.practiceCode) || a.requirementId.localeCompare(b.requirementId),
    );
    const worse = events.filter((e) => e.worse);
    return {
      horizons: summariseLapses(horizons.map((h) => ({ ...h, lapses: worse.filter((e) => e.date <= h.date).map(toLapse) }))),
      byYear: summariseByYear(events, financialYearOf(until)),
      costliest: [...worse]
        .sort((a, b) => (b.estimate?.pence ?? -1) - (a.estimate?.pence ?? -1) || a.date.localeCompare(b.date))
        .slice(0, 25)
        .map((e) => ({
          date: e.date,
          practiceCode: e.practiceCode,
          requirementId: e.requirementId,
          change: e.change,
          drivers: e.drivers,
          estimatePence: e.estimate ? e.estimate.pence : 0,
          missing: e.estimate?.missing.map((m) => m.label) ?? [],
        })),
    };
  }

  it("gives exactly the whole ICB's horizons, years and costliest changes", () => {
    const timelines = new Map(estates.map((e) => [e.practice.ods_code, practiceTimeline(e, policy(), asOf, until, book)]));
    const all = [...timelines.values()].flat();
    const expected = wholeIcb(all);
    // The fixture is worth testing: more lapses than the top 25, ties, and lapses with no estimate.
    expect(all.filter((e) => e.worse).length).toBeGreaterThan(COSTLIEST);
    expect(expected.horizons[1].total.noEstimate).toBeGreaterThan(0);
    const ranks = expected.costliest.map((c) => `${c.estimatePence}|${c.date}`);
    expect(new Set(ranks).size).toBeLessThan(ranks.length);
    // Annual costs (ESU years, warranty extensions) are paid again in later years of the horizon.
    expect(expected.byYear.some((y) => y.recurringPence > 0)).toBe(true);
    for (const y of expected.byYear) expect(y.inYearPence).toBe(y.estimatedPence + y.recurringPence);

    // Shares in any order (a cache fills them practice by practice) give the same figures.
    const parts = new Map([...timelines].reverse().map(([code, events]) => [code, practicePart(events)]));
    expect(mergeParts(parts, horizons)).toEqual(expected);
  });

  it("adds nothing for a practice with no changes, and counts each practice once per year", () => {
    const timelines = estates.slice(0, 3).map((e) => [e.practice.ods_code, practiceTimeline(e, policy(), asOf, until, book)] as const);
    const parts = new Map([...timelines.map(([c, ev]) => [c, practicePart(ev)] as const), ["F89999", practicePart([])]]);
    const merged = mergeParts(parts, horizons);
    expect(merged).toEqual(wholeIcb(timelines.flatMap(([, ev]) => ev)));
    for (const y of merged.byYear) expect(y.practices).toBeLessThanOrEqual(3);
  });
});
