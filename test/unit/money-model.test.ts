import { describe, expect, it } from "vitest";
import { requirementById } from "~/modules/catalogue";
import { evaluateEstate } from "~/modules/compliance/engine";
import { patchTuesday, dueRelease } from "~/modules/compliance/rules/devices";
import type { Finding } from "~/modules/compliance/rules";
import { estimateUnits, PriceBook, type PriceEntry } from "~/modules/pricing/costing";
import { DEFAULT_PRICES } from "~/modules/pricing/defaults";
import { costHorizonLastYear, costsByFinancialYear, financialYearOf, spreadByFinancialYear } from "~/modules/pricing/financial-year";
import { exFromInc, incVat, vatOf } from "~/modules/pricing/money";
import { device, estate, many, policy, service, site, win10 } from "../support/compliance-estate";

/** Issue #13 items 9-11: the money model. */

const D = "2026-11-22";
const run = (e: ReturnType<typeof estate>, ids: string[], asOf = D) =>
  evaluateEstate(
    e,
    policy(),
    asOf,
    ids.map((id) => requirementById(id)!),
  );
const units = (f: Finding) => f.units;

let id = 1;
const price = (over: Partial<PriceEntry>): PriceEntry => ({
  id: id++,
  icbCode: null,
  unitKind: "desktop_replacement",
  basis: "each",
  unitCostPence: 75_000,
  effectiveFrom: "2025-04-01",
  source: "test",
  localEstimate: true,
  vatRatePercent: 20,
  finance: "capital",
  recurrence: "one_off",
  ...over,
});
const book = new PriceBook(
  Object.entries(DEFAULT_PRICES).map(([unitKind, p]) =>
    price({
      unitKind,
      basis: p!.basis,
      unitCostPence: Math.round(p!.pounds * 100),
      vatRatePercent: p!.vatRatePercent,
      finance: p!.finance,
      recurrence: p!.recurrence,
      localEstimate: p!.localEstimate,
    }),
  ),
);
const practice = { icbCode: "QMF", listSize: 6_000 };
const total = (findings: Map<string, Finding>) =>
  [...findings.values()].reduce((s, f) => s + (estimateUnits(f.units, practice, book, D).pence ?? 0), 0);

describe("a remediation unit is costed once per practice", () => {
  it("one desktop failing three requirements (unsupported OS, cannot take Windows 11, over age) is one replacement", () => {
    // Windows 10 on TPM 1.2, bought in 2018: DEV-02, DEV-04 and DEV-05 all fail on it, and SEC-03 and SEC-05 too.
    const e = estate({ devices: [win10({ id: 9001, tpm_version: "1.2", purchase_date: "2018-01-01" })] });
    const f = run(e, ["DEV-02", "DEV-04", "DEV-05", "SEC-03", "SEC-05", "DEV-15"]);
    for (const id of ["DEV-02", "DEV-04", "DEV-05", "SEC-03", "SEC-05"]) expect(f.get(id)!.status).toBe("not_met");
    const replacements = [...f.values()].flatMap(units).filter((u) => u.kind === "desktop_replacement" && u.quantity > 0);
    expect(replacements).toEqual([{ kind: "desktop_replacement", quantity: 1 }]);
    expect(units(f.get("DEV-02")!)).toEqual([{ kind: "desktop_replacement", quantity: 1 }]);
    for (const id of ["DEV-04", "DEV-05", "SEC-03", "SEC-05"]) {
      expect(units(f.get(id)!)).toEqual([{ kind: "desktop_replacement", quantity: 0, costedUnder: "DEV-02", covered: 1 }]);
      expect(f.get(id)!.reason).toMatch(/costed under DEV-02\.$/);
    }
    // The whole register for this practice: one desktop at £750 ex VAT, nothing else.
    expect(total(f)).toBe(75_000);
  });

  it("an over-age firewall is one network device replacement, not DEV-05 £600 plus INF-03 £1,200", () => {
    const fw = device({ id: 9002, device_type: "firewall", os_family: null, purchase_date: "2018-01-01" });
    const sw = device({ id: 9003, device_type: "network_switch", os_family: null, purchase_date: "2024-01-01" });
    const f = run(estate({ devices: [device(), fw, sw] }), ["DEV-05", "INF-03"]);
    expect(units(f.get("INF-03")!)).toEqual([{ kind: "network_device_replacement", quantity: 1 }]);
    expect(units(f.get("DEV-05")!)).toEqual([{ kind: "network_device_replacement", quantity: 0, costedUnder: "INF-03", covered: 1 }]);
    expect(total(f)).toBe(120_000);
  });

  it("Smartcard Connect is priced per computer and costed once across DEV-11 and INF-07", () => {
    const readers = many(2, () => device({ device_type: "smartcard_reader", os_family: null }));
    const e = estate({ devices: [...many(7, () => device()), ...readers], services: [service("cis2_smartcard_connect", "not_in_use")] });
    const f = run(e, ["DEV-11", "INF-07"]);
    expect(units(f.get("DEV-11")!)).toEqual([{ kind: "smartcard_client_deployment", quantity: 7 }]);
    expect(units(f.get("INF-07")!)).toEqual([{ kind: "smartcard_client_deployment", quantity: 0, costedUnder: "DEV-11", covered: 7 }]);
    // £20 a computer × 7 computers, once.
    expect(total(f)).toBe(7 * 2_000);
  });

  it("switching on an NHS App function is £0 configuration, not a £2,000 digital service set-up", () => {
    const e = estate({
      services: [
        service("nhs_app_appointments"),
        service("nhs_app_repeat_prescriptions"),
        service("nhs_app_messaging", "not_in_use"),
        service("nhs_app_record_view"),
      ],
    });
    const f = run(e, ["CLN-08"]).get("CLN-08")!;
    expect(f.units).toEqual([{ kind: "service_configuration", quantity: 1 }]);
    const est = estimateUnits(f.units, practice, book, D);
    expect(est.pence).toBe(0);
    expect(est.lines[0].label).toMatch(/Switch on a function/);
  });

  it("remote capacity: one shortfall across DEV-12, INF-06 and BCP-03, and remote desktop sessions count", () => {
    const ten = [...many(7, () => device()), ...many(3, () => device({ device_type: "laptop" }))];
    const f = run(estate({ devices: ten }), ["DEV-12", "INF-06", "BCP-03"]);
    expect(units(f.get("DEV-12")!)).toEqual([{ kind: "laptop_purchase", quantity: 3 }]);
    for (const id of ["INF-06", "BCP-03"])
      expect(units(f.get(id)!)).toEqual([{ kind: "laptop_purchase", quantity: 0, costedUnder: "DEV-12", covered: 3 }]);
    expect(total(f)).toBe(3 * 95_000);
    // A VDI service with 3 sessions makes up the shortfall: all three met.
    const vdi = run(estate({ devices: ten, services: [service("remote_desktop", "in_use", { seats: 3 })] }), [
      "DEV-12",
      "INF-06",
      "BCP-03",
    ]);
    for (const id of ["DEV-12", "INF-06", "BCP-03"]) expect(vdi.get(id)!.status).toBe("met");
    expect(vdi.get("DEV-12")!.reason).toMatch(/3 managed laptops in use and 3 remote desktop sessions for 10 users/);
    // Sessions not recorded: not known, never assumed.
    expect(run(estate({ devices: ten, services: [service("remote_desktop", "in_use")] }), ["DEV-12"]).get("DEV-12")!.status).toBe(
      "unknown",
    );
  });

  it("a branch's HSCN is costed once across INF-01 and INF-05, with its rental a year at a time", () => {
    const e = estate({
      sites: [site(), site({ code: "B1", name: "Branch", kind: "branch", hscn_connected: false })],
      devices: [device({ site_code: "B1" })],
    });
    const f = run(e, ["INF-01", "INF-05"]);
    expect(units(f.get("INF-01")!)).toEqual([
      { kind: "hscn_connection", quantity: 1 },
      { kind: "hscn_rental", quantity: 1 },
    ]);
    expect(units(f.get("INF-05")!).every((u) => u.quantity === 0 && u.costedUnder === "INF-01")).toBe(true);
  });
});

describe("VAT, capital and revenue, financial years", () => {
  it("shows VAT both ways and round-trips exactly in whole pence", () => {
    for (const rate of [0, 5, 20]) {
      for (let ex = 0; ex < 20_000; ex++) {
        const inc = incVat(ex, rate);
        expect(inc - ex).toBe(vatOf(ex, rate));
        expect(exFromInc(inc, rate)).toBe(ex);
      }
    }
    expect(vatOf(75_000, 20)).toBe(15_000);
    expect(vatOf(1, 20)).toBe(0);
    expect(vatOf(3, 20)).toBe(1);
  });

  it("an estimate's VAT is the sum of its lines' VAT, and its capital, revenue and annual parts add up", () => {
    const e = estimateUnits(
      [
        { kind: "hscn_connection", quantity: 2 },
        { kind: "hscn_rental", quantity: 2 },
        { kind: "warranty_extension", quantity: 3 },
      ],
      practice,
      book,
      D,
    );
    expect(e.pence).toBe(2 * 100_000 + 2 * 200_000 + 3 * 8_000);
    expect(e.vatPence).toBe(e.lines.reduce((s, l) => s + vatOf(l.pence, l.vatRatePercent), 0));
    expect(e.split.capitalPence).toBe(200_000);
    expect(e.split.revenuePence).toBe(424_000);
    expect(e.split.capitalPence + e.split.revenuePence).toBe(e.pence);
    expect(e.split.annualPence).toBe(424_000);
    expect(e.split.oneOffPence + e.split.annualPence).toBe(e.pence);
  });

  it("spreads one-off and annual costs over April-March financial years", () => {
    expect(financialYearOf("2027-03-31")).toBe(2026);
    expect(financialYearOf("2027-04-01")).toBe(2027);
    const years = spreadByFinancialYear({ oneOffPence: 200_000, annualPence: 424_000 }, "2027-03-31", 3);
    expect(years).toEqual([
      { year: 2026, label: "2026/27", pence: 624_000 },
      { year: 2027, label: "2027/28", pence: 424_000 },
      { year: 2028, label: "2028/29", pence: 424_000 },
    ]);
    expect(years.reduce((s, y) => s + y.pence, 0)).toBe(200_000 + 3 * 424_000);
  });

  it("adds up many estimates by financial year, annual costs recurring to the horizon's last year", () => {
    // Horizon on 4 December 2026: 2026/27 to 2028/29.
    expect(costHorizonLastYear("2026-12-04")).toBe(2028);
    expect(costHorizonLastYear("2027-04-01")).toBe(2029);
    const years = costsByFinancialYear(
      [
        { year: 2026, oneOffPence: 150_000, annualPence: 0 }, // a replacement
        { year: 2026, oneOffPence: 0, annualPence: 6_000 }, // a warranty extension
        { year: 2027, oneOffPence: 0, annualPence: 424_000 }, // HSCN rental
        { year: 2030, oneOffPence: 1_000, annualPence: 500 }, // after the horizon: counted once, in its year
      ],
      2028,
    );
    expect(years.map((y) => [y.label, y.oneOffPence, y.annualPence, y.recurringPence, y.pence])).toEqual([
      ["2026/27", 150_000, 6_000, 0, 156_000],
      ["2027/28", 0, 430_000, 6_000, 430_000],
      ["2028/29", 0, 430_000, 430_000, 430_000],
      ["2029/30", 0, 0, 0, 0],
      ["2030/31", 1_000, 500, 0, 1_500],
    ]);
    // By hand: the one-offs once, each annual cost once per year from its own year to 2028/29.
    expect(years.reduce((s, y) => s + y.pence, 0)).toBe(150_000 + 3 * 6_000 + 2 * 424_000 + 1_500);
    expect(costsByFinancialYear([], 2028)).toEqual([]);
  });

  it("marks every extrapolated national price as a local estimate", () => {
    for (const kind of ["telephony_migration", "lloyd_george_digitisation", "cloud_telephony_licence"] as const) {
      expect(DEFAULT_PRICES[kind]!.localEstimate).toBe(true);
      expect(DEFAULT_PRICES[kind]!.source).toMatch(/^Local estimate: extrapolated/);
    }
    for (const kind of ["warranty_extension", "esu_licence", "hscn_rental", "resilient_line_rental", "cloud_telephony_licence"] as const) {
      expect(DEFAULT_PRICES[kind]!.recurrence).toBe("annual");
    }
  });
});

describe("DEV-09: patches within 14 days of their release", () => {
  it("finds Patch Tuesday and the release due on a date", () => {
    expect(patchTuesday(2026, 11)).toBe("2026-11-10");
    expect(patchTuesday(2026, 9)).toBe("2026-09-08");
    expect(patchTuesday(2026, 12)).toBe("2026-12-08");
    // 10 November's release is due by 24 November: until then 13 October's is the one required.
    expect(dueRelease("2026-11-24", 14)).toBe("2026-10-13");
    expect(dueRelease("2026-11-25", 14)).toBe("2026-11-10");
    expect(dueRelease("2027-01-05", 14)).toBe("2026-12-08");
  });

  it("judges on the release date of the newest update installed where it is recorded, not on 14 days before today", () => {
    // Patched on 15 November with 10 November's update: 18 days before 3 December, but current.
    const f = run(
      estate({ devices: [device({ last_patched: "2026-11-15", patch_released: "2026-11-10" })] }),
      ["DEV-09"],
      "2026-12-03",
    ).get("DEV-09")!;
    expect(f.status).toBe("met");
    expect(f.reason).not.toMatch(/judged on the date last patched/);
    // Patched yesterday, but with September's update: not met.
    const old = run(
      estate({ devices: [device({ last_patched: "2026-12-02", patch_released: "2026-09-08" })] }),
      ["DEV-09"],
      "2026-12-03",
    ).get("DEV-09")!;
    expect(old.status).toBe("not_met");
  });
});
