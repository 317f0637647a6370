import { describe, expect, it } from "vitest";
import { candidateDates, evaluateEstate, forecastEstate } from "~/modules/compliance/engine";
import { addMonths } from "~/modules/compliance/evaluate.server";
import { AUTOMATIC_REQUIREMENTS } from "~/modules/catalogue";
import { forecastDates, practiceTimeline, type ForecastEvent } from "~/modules/compliance/forecast/timeline";
import { addDays } from "~/modules/compliance/rules/helpers";
import { PriceBook, type PriceEntry } from "~/modules/pricing/costing";
import { device, estate, many, policy, site, win10 } from "../support/compliance-estate";

describe("evaluation engine", () => {
  it("runs every automatic requirement and marks requirements not yet in force as not applicable", () => {
    const f = evaluateEstate(estate(), policy(), "2024-09-30");
    expect(f.size).toBe(AUTOMATIC_REQUIREMENTS.length);
    expect(f.get("TEL-10")).toMatchObject({ status: "not_applicable", reason: "This requirement applies from 1 October 2024." });
    expect(evaluateEstate(estate(), policy(), "2024-10-01").get("TEL-10")?.status).toBe("met");
  });
});

describe("forecast", () => {
  it("finds the day Windows 10 22H2 goes out of support and says why", () => {
    const e = estate({ devices: [...many(3, () => win10()), device()] });
    const f = forecastEstate(e, policy(), "2025-06-01", ["2026-06-01", "2027-06-01"]);
    const dev02 = f.horizons[0].changes.find((c) => c.requirementId === "DEV-02")!;
    expect(dev02.from.status).toBe("met");
    expect(dev02.to.status).toBe("partial");
    expect(dev02.transitions[0]).toMatchObject({ date: "2025-10-15", status: "partial" });
    expect(dev02.transitions[0].reason).toBe("3 of 4 desktops run Windows 10 22H2, unsupported since 14 October 2025.");
  });

  it("shows the PSTN switch-off, warranty ends and device age limits within 12 and 24 months", () => {
    const e = estate({
      sites: [site({ analogue_lines: 2 })],
      devices: [device({ purchase_date: "2022-03-01", warranty_end: "2027-03-01" })],
    });
    const f = forecastEstate(e, policy(), "2026-11-22", [addMonths("2026-11-22", 12), addMonths("2026-11-22", 24)]);
    expect(f.horizons.map((h) => h.date)).toEqual(["2027-11-22", "2028-11-22"]);
    const in12 = new Map(f.horizons[0].changes.map((c) => [c.requirementId, c]));
    expect(in12.get("TEL-15")?.transitions[0]).toMatchObject({ date: "2027-02-01", status: "not_met" });
    expect(in12.get("DEV-15")?.transitions[0]).toMatchObject({ date: "2027-03-02", status: "not_met" });
    expect(in12.get("DEV-05")?.transitions[0]).toMatchObject({ date: "2027-03-01", status: "not_met" });
    // Windows 11 24H2 Enterprise ends on 12 October 2027: inside the 12-month horizon.
    expect(in12.get("DEV-02")?.transitions[0].date).toBe("2027-10-13");
    expect(f.horizons[1].changes.length).toBeGreaterThanOrEqual(f.horizons[0].changes.length);
  });

  it("shows the smartcard client change after 28 February 2027", () => {
    const e = estate({
      devices: [device(), device({ device_type: "smartcard_reader", os_family: null })],
      services: [{ id: 1, service_key: "cis2_smartcard_connect", status: "not_in_use", supplier: null, since_date: null, seats: null }],
    });
    const f = forecastEstate(e, policy(), "2026-11-22", ["2027-11-22"]);
    const dev11 = f.horizons[0].changes.find((c) => c.requirementId === "DEV-11")!;
    expect(dev11.from.status).toBe("partial");
    expect(dev11.transitions).toEqual([
      { date: "2027-03-01", status: "not_met", reason: expect.stringMatching(/stopped working after 28 February 2027/) },
    ]);
  });

  it("leaves out checks of recent activity, and reports nothing when nothing changes", () => {
    const e = estate({
      devices: [device({ last_patched: "2026-11-20", purchase_date: "2026-01-01", warranty_end: "2031-01-01", os_version: "24H2" })],
    });
    const f = forecastEstate(e, policy(), "2026-11-22", ["2027-01-22"]);
    expect(f.horizons[0].changes.map((c) => c.requirementId)).not.toContain("DEV-09");
    expect(f.horizons[0].changes).toEqual([]);
  });

  it("considers each date a rule can change on, and the day after", () => {
    const dates = candidateDates(
      estate({ devices: [device({ warranty_end: "2027-01-01", purchase_date: "2024-01-15" })] }),
      policy(),
      "2026-11-22",
      "2027-11-22",
    );
    expect(dates).toEqual(
      expect.arrayContaining(["2027-01-01", "2027-01-02", "2027-01-15", "2027-01-31", "2027-02-01", "2027-10-12", "2027-10-13"]),
    );
    expect(dates.every((d) => d > "2026-11-22" && d <= "2027-11-22")).toBe(true);
  });

  it("shows a Cyber Essentials Plus certificate expiring, on the day after its expiry date", () => {
    const plus = {
      id: 1,
      level: "ce_plus" as const,
      certificate_number: "IASME-CEP-001",
      certification_body: "IASME",
      issued_on: "2026-03-14",
      expires_on: "2027-03-14",
    };
    const e = estate({ devices: [device()], cyberEssentials: [plus] });
    const f = forecastEstate(e, policy(), "2026-11-22", ["2027-11-22"]);
    const sec05 = f.horizons[0].changes.find((c) => c.requirementId === "SEC-05")!;
    expect(sec05.from.status).toBe("met");
    expect(sec05.transitions).toEqual([
      { date: "2027-03-15", status: "not_met", reason: expect.stringContaining("expired on 14 March 2027") },
    ]);
    const { dates, drivers } = forecastDates(e, policy(), "2026-11-22", "2027-11-22");
    expect(dates).toEqual(expect.arrayContaining(["2027-03-14", "2027-03-15"]));
    expect([...(drivers.get("2027-03-15") ?? [])]).toContain("Cyber Essentials Plus certificate IASME-CEP-001 expires");
  });

  it("adds calendar months", () => {
    expect(addMonths("2026-11-22", 12)).toBe("2027-11-22");
    expect(addMonths("2027-01-31", 1)).toBe("2027-02-28");
    expect(addMonths("2026-12-15", 2)).toBe("2027-02-15");
  });
});

// Issue #13 re-check (4 December 2026): the demo's forecast costed the same work under every
// requirement that failed on it (an OS upgrade under DEV-02, SEC-03 and SEC-05; laptops under
// BCP-03 and INF-06), and on its first day re-costed work today's gaps already hold. Each thing
// is costed once per practice, at the first change that needs it, as in the gap register.
describe("forecast costs: each piece of work once per practice", () => {
  let id = 1;
  const price = (over: Partial<PriceEntry>): PriceEntry => ({
    id: id++,
    icbCode: null,
    unitKind: "os_upgrade",
    basis: "each",
    unitCostPence: 6_000,
    effectiveFrom: "2020-01-01",
    source: "test",
    localEstimate: true,
    vatRatePercent: 20,
    finance: "revenue",
    recurrence: "one_off",
    ...over,
  });
  const book = new PriceBook(
    (["os_upgrade", "desktop_replacement", "laptop_replacement", "laptop_purchase", "warranty_extension"] as const).map((unitKind) =>
      price({ unitKind }),
    ),
  );
  const asOf = "2026-11-22";
  const upgrades = (events: ForecastEvent[]) =>
    events.reduce(
      (n, e) => n + (e.estimate ? e.addedUnits.filter((u) => u.kind === "os_upgrade").reduce((m, u) => m + u.quantity, 0) : 0),
      0,
    );

  it("four desktops reaching the end of Windows 11 24H2 Enterprise are four upgrades, costed under DEV-02 only", () => {
    const e = estate({ devices: many(4, () => device({ purchase_date: "2025-01-01", warranty_end: "2030-01-01" })) });
    const events = practiceTimeline(e, policy(), asOf, addMonths(asOf, 24), book);
    const day = events.filter((x) => x.date === "2027-10-13" && x.worse);
    // More than one requirement fails on the same desktops that day…
    expect(day.map((x) => x.requirementId)).toEqual(expect.arrayContaining(["DEV-02", "SEC-05"]));
    // …and the upgrades are priced once, under DEV-02.
    expect(upgrades(events)).toBe(4);
    expect(day.find((x) => x.requirementId === "DEV-02")!.estimate!.pence).toBe(4 * 6_000);
    for (const x of day.filter((y) => y.requirementId !== "DEV-02")) {
      expect(x.estimate, x.requirementId).toBeNull();
      expect(x.change, x.requirementId).toMatch(/already costed/);
    }
  });

  it("work today's findings already need is not costed again on the forecast's first day", () => {
    // Windows 10 desktops: unsupported today, so today's gaps hold their upgrades.
    const e = estate({ devices: [...many(3, () => win10()), device({ purchase_date: "2025-01-01", warranty_end: "2030-01-01" })] });
    const events = practiceTimeline(e, policy(), asOf, addMonths(asOf, 24), book);
    expect(events.filter((x) => x.date === addDays(asOf, 1))).toEqual([]);
    // Only the one Windows 11 desktop is upgraded in the forecast.
    expect(upgrades(events)).toBe(1);
  });
});
