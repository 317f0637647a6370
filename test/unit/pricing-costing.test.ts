import { describe, expect, it } from "vitest";
import { estimateUnits, PriceBook, type PriceEntry } from "~/modules/pricing/costing";
import { DEFAULT_PRICES } from "~/modules/pricing/defaults";
import { financialYearLabel, financialYearOf, parseFinancialYear } from "~/modules/pricing/financial-year";
import { formatPence, parsePounds, penceToInput, poundsField } from "~/modules/pricing/money";
import { UNIT_KINDS } from "~/modules/catalogue/units";

let nextId = 1;
const price = (over: Partial<PriceEntry>): PriceEntry => ({
  id: nextId++,
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
const practice = { icbCode: "QMF", listSize: 9_512 };

describe("price in force", () => {
  const book = new PriceBook([
    price({ unitCostPence: 75_000, effectiveFrom: "2025-04-01" }),
    price({ unitCostPence: 80_000, effectiveFrom: "2026-04-01" }),
    price({ icbCode: "QMF", unitCostPence: 70_000, effectiveFrom: "2026-10-01" }),
    price({ icbCode: "QWE", unitCostPence: 1, effectiveFrom: "2025-01-01" }),
  ]);

  it("uses the national default until the ICB's own price takes effect", () => {
    expect(book.priceFor("QMF", "desktop_replacement", "2025-12-31")?.unitCostPence).toBe(75_000);
    expect(book.priceFor("QMF", "desktop_replacement", "2026-04-01")?.unitCostPence).toBe(80_000);
    expect(book.priceFor("QMF", "desktop_replacement", "2026-09-30")?.unitCostPence).toBe(80_000);
    expect(book.priceFor("QMF", "desktop_replacement", "2026-10-01")?.unitCostPence).toBe(70_000);
  });

  it("never uses another ICB's price", () => {
    expect(book.priceFor("QMJ", "desktop_replacement", "2026-11-22")?.unitCostPence).toBe(80_000);
  });

  it("has no price before the first version takes effect", () => {
    expect(book.priceFor("QMJ", "desktop_replacement", "2025-03-31")).toBeNull();
  });

  it("lists an ICB's history with its own and national versions, newest first", () => {
    expect(book.history("QMF", "desktop_replacement").map((p) => p.unitCostPence)).toEqual([70_000, 80_000, 75_000]);
  });
});

describe("estimates", () => {
  const book = new PriceBook([
    price({ unitKind: "desktop_replacement", unitCostPence: 75_000 }),
    price({ unitKind: "telephony_migration", basis: "per_1000_patients", unitCostPence: 250_000, localEstimate: false }),
    price({ unitKind: "lloyd_george_digitisation", unitCostPence: 300, localEstimate: false }),
    price({ unitKind: "lloyd_george_destruction", unitCostPence: 20 }),
  ]);
  const on = "2026-11-22";

  it("multiplies unit cost by quantity, in whole pence", () => {
    const e = estimateUnits([{ kind: "desktop_replacement", quantity: 7 }], practice, book, on);
    expect(e.pence).toBe(525_000);
    expect(e.lines).toHaveLength(1);
    expect(e.usesLocalEstimate).toBe(true);
  });

  it("scales per-1,000-patient prices by list size and rounds half up once per line", () => {
    // 250,000p × 9,512 / 1,000 = 2,378,000p exactly.
    expect(estimateUnits([{ kind: "telephony_migration", quantity: 1 }], practice, book, on).pence).toBe(2_378_000);
    // 250,000p × 333 / 1,000 = 83,250p.
    expect(estimateUnits([{ kind: "telephony_migration", quantity: 1 }], { icbCode: "QMF", listSize: 333 }, book, on).pence).toBe(83_250);
    const odd = new PriceBook([price({ unitKind: "telephony_migration", basis: "per_1000_patients", unitCostPence: 1_001 })]);
    // 1,001p × 1,500 / 1,000 = 1,501.5p → 1,502p (half up).
    expect(estimateUnits([{ kind: "telephony_migration", quantity: 1 }], { icbCode: null, listSize: 1_500 }, odd, on).pence).toBe(1_502);
    // 1,001p × 1,499 / 1,000 = 1,500.499p → 1,500p.
    expect(estimateUnits([{ kind: "telephony_migration", quantity: 1 }], { icbCode: null, listSize: 1_499 }, odd, on).pence).toBe(1_500);
  });

  it("adds lines exactly", () => {
    const e = estimateUnits(
      [
        { kind: "lloyd_george_digitisation", quantity: 4_321 },
        { kind: "lloyd_george_destruction", quantity: 4_321 },
      ],
      practice,
      book,
      on,
    );
    expect(e.lines.map((l) => l.pence)).toEqual([1_296_300, 86_420]);
    expect(e.pence).toBe(1_382_720);
    expect(e.usesLocalEstimate).toBe(true);
  });

  it("gives no estimate, never £0, when a unit has no price", () => {
    const e = estimateUnits(
      [
        { kind: "desktop_replacement", quantity: 1 },
        { kind: "clinical_system_procurement", quantity: 1 },
      ],
      practice,
      book,
      on,
    );
    expect(e.pence).toBeNull();
    expect(e.knownPence).toBe(75_000);
    expect(e.missing).toEqual([
      {
        kind: "clinical_system_procurement",
        label: UNIT_KINDS.clinical_system_procurement,
        why: `no price for "${UNIT_KINDS.clinical_system_procurement}" in QMF's price list or the national defaults on ${on}`,
      },
    ]);
  });

  it("gives no estimate when a per-patient price meets an unknown list size", () => {
    const e = estimateUnits([{ kind: "telephony_migration", quantity: 1 }], { icbCode: "QMF", listSize: null }, book, on);
    expect(e.pence).toBeNull();
    expect(e.missing[0].why).toMatch(/list size is not known/);
  });

  it("gives no estimate when the gap names no work at all", () => {
    const e = estimateUnits([], practice, book, on);
    expect(e.pence).toBeNull();
    expect(e.missing[0].label).toBe("No priced remedy");
    expect(e.remedy).toBe("none");
  });

  it("gives no estimate before any price is in force", () => {
    expect(estimateUnits([{ kind: "desktop_replacement", quantity: 1 }], practice, book, "2025-03-31").pence).toBeNull();
  });
});

describe("default price list", () => {
  it("prices only known units, in positive whole pence, each with a source", () => {
    for (const [kind, p] of Object.entries(DEFAULT_PRICES)) {
      expect(Object.keys(UNIT_KINDS)).toContain(kind);
      expect(Number.isInteger(Math.round(p!.pounds * 100))).toBe(true);
      // Only configuration switches are free, and they say so.
      if (kind === "service_configuration") expect(p!.source).toMatch(/no cost/);
      else expect(p!.pounds).toBeGreaterThan(0);
      expect(p!.source.length).toBeGreaterThan(10);
      if (p!.localEstimate) expect(p!.source).toMatch(/^Local estimate: /);
    }
  });

  it("leaves nationally funded clinical systems unpriced so they show no estimate", () => {
    expect(DEFAULT_PRICES.clinical_system_procurement).toBeUndefined();
  });
});

describe("money", () => {
  it("reads pounds as people type them", () => {
    expect(parsePounds("£1,250")).toBe(125_000);
    expect(parsePounds("1250.5")).toBe(125_050);
    expect(parsePounds(" 0.07 ")).toBe(7);
    expect(parsePounds("12.345")).toBeNull();
    expect(parsePounds("-5")).toBeNull();
    expect(parsePounds("five")).toBeNull();
    expect(parsePounds("")).toBeNull();
  });

  it("shows pence as pounds", () => {
    expect(formatPence(123_456)).toBe("£1,234.56");
    expect(formatPence(123_456, { whole: true })).toBe("£1,235");
    expect(penceToInput(125_000)).toBe("1250");
    expect(penceToInput(125_050)).toBe("1250.50");
  });

  it("names the field in its errors", () => {
    const r = poundsField("Unit cost").safeParse("abc");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("Unit cost must be an amount in pounds, like 1,250 or 1250.50");
    expect(poundsField("Unit cost").safeParse("").error?.issues[0].message).toBe("Enter unit cost");
  });
});

describe("financial years", () => {
  it("run from April to March", () => {
    expect(financialYearOf("2026-03-31")).toBe(2025);
    expect(financialYearOf("2026-04-01")).toBe(2026);
    expect(financialYearLabel(2026)).toBe("2026/27");
    expect(financialYearLabel(2099)).toBe("2099/00");
  });

  it("are read from the ways people write them", () => {
    expect(parseFinancialYear("2026/27")).toBe(2026);
    expect(parseFinancialYear("2026-2027")).toBe(2026);
    expect(parseFinancialYear("2026")).toBe(2026);
    expect(parseFinancialYear("2026/28")).toBeNull();
    expect(parseFinancialYear("26/27")).toBeNull();
  });
});
