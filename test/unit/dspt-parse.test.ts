import { describe, expect, it } from "vitest";
import { cycleDeadline, mapHeaders, parseDsptDate, parseStatus, validateRows } from "~/modules/dspt/parse";
import { dsptInForce, dsptValidUntil, sec01 } from "~/modules/compliance/rules/dspt";
import { DEFAULT_POLICY } from "~/modules/catalogue/policy";
import type { DsptRecord, PracticeEstate } from "~/modules/compliance/rules";

describe("DSPT status text (feeds.md section 2)", () => {
  it.each([
    ["22/23 Standards Met", "22/23", "Standards Met", "met"],
    ["22/23 Standards Exceeded", "22/23", "Standards Exceeded", "exceeded"],
    ["21/22 Approaching Standards", "21/22", "Approaching Standards", "approaching"],
    ["2025-26 Standards Met", "2025-26", "Standards Met", "met"],
    ["2024-25  approaching standards ", "2024-25", "Approaching Standards", "approaching"],
    ["23/24 Standards Not Met", "23/24", "Standards Not Met", "not_met"],
    ["Not Published", null, "Not Published", "not_published"],
  ])("%s", (raw, cycle, status, outcome) => {
    expect(parseStatus(raw)).toEqual({ cycle, status, outcome });
  });

  it.each(["Standards Met", "22/23 Not Published", "22/23 Compliant", "2022/23 Standards Met", "", "22-23 Standards Met"])(
    "refuses %j",
    (raw) => {
      expect(parseStatus(raw)).toBeNull();
    },
  );

  it("reads publication dates day first", () => {
    expect(parseDsptDate("02/05/2023")).toBe("2023-05-02");
    expect(parseDsptDate("2/5/2023")).toBe("2023-05-02");
    expect(parseDsptDate("2023-05-02")).toBe("2023-05-02");
    expect(parseDsptDate("02 May 2023")).toBe("2023-05-02");
    expect(parseDsptDate("31/02/2023")).toBeNull();
    expect(parseDsptDate("05/13/2023")).toBeNull();
    expect(parseDsptDate("yesterday")).toBeNull();
  });

  it("gives each cycle's 30 June deadline and the day a Met status lapses", () => {
    expect(cycleDeadline("22/23")).toBe("2023-06-30");
    expect(cycleDeadline("2025-26")).toBe("2026-06-30");
    expect(dsptValidUntil("2024-25")).toBe("2026-06-30");
    expect(dsptValidUntil(null)).toBeNull();
  });
});

describe("DSPT file rows", () => {
  it("matches headers by substring, ignoring case, and not Postcode for Code", () => {
    const { map, missing } = mapHeaders([
      "Postcode",
      "Organisation Name",
      "ORGANISATION CODE",
      "Latest Status",
      "Date Of Publication",
      "Primary Sector",
    ]);
    expect(missing).toEqual([]);
    expect(map).toEqual({ code: 2, name: 1, status: 3, published: 4, sector: 5 });
    expect(mapHeaders(["Code", "Name"]).missing).toEqual(["status", "published"]);
  });

  it("upper-cases codes and names each problem with its row and column", () => {
    const { rows, issues } = validateRows({
      headers: ["Code", "Organisation Name", "Status", "Date Of Publication", "Primary Sector"],
      rows: [
        { row: 2, cells: ["f84003", "Lower Clapton", "22/23 Standards Met", "02/05/2023", "GP"] },
        { row: 3, cells: ["A81001", "Densham", "Not Published", "", "GP"] },
        { row: 4, cells: ["RQX", "Homerton", "22/23 Standards Exceeded", "30/06/2023", "NHS Trust"] },
        { row: 5, cells: ["F84013", "Stamford Hill", "Compliant", "31/02/2023", "GP"] },
        { row: 6, cells: ["", "No code", "22/23 Standards Met", "", "GP"] },
      ],
    });
    expect(rows.map((r) => [r.row, r.practiceCode, r.cycle, r.outcome, r.publishedOn, r.sector])).toEqual([
      [2, "F84003", "22/23", "met", "2023-05-02", "GP"],
      [3, "A81001", null, "not_published", null, "GP"],
      [4, "RQX", "22/23", "exceeded", "2023-06-30", "NHS Trust"],
    ]);
    expect(issues).toEqual([
      { row: 5, column: "Status", message: expect.stringContaining('"Compliant" is not a DSPT status') },
      { row: 5, column: "Date Of Publication", message: expect.stringContaining("dd/mm/yyyy") },
      { row: 6, column: "Code", message: "Enter the organisation's ODS code" },
      { row: 6, column: "Date Of Publication", message: "Enter the date the status was published, as dd/mm/yyyy" },
    ]);
  });
});

describe("SEC-01 from the DSPT status", () => {
  const rec = (id: number, cycle: string | null, outcome: DsptRecord["outcome"], published_on: string | null): DsptRecord => ({
    id,
    cycle,
    status: outcome,
    outcome,
    published_on,
  });
  const estate = (dspt?: DsptRecord[]) => ({ dspt }) as unknown as PracticeEstate;

  it("is not known with no status", () => {
    expect(sec01(estate(), DEFAULT_POLICY, "2026-12-03").status).toBe("unknown");
    expect(sec01(estate([]), DEFAULT_POLICY, "2026-12-03").status).toBe("unknown");
  });

  it("is met for a current Met or Exceeded and lapses 12 months after the cycle's deadline", () => {
    const met = [rec(1, "2024-25", "met", "2025-05-20")];
    expect(sec01(estate(met), DEFAULT_POLICY, "2026-06-30").status).toBe("met");
    expect(sec01(estate(met), DEFAULT_POLICY, "2026-07-01").status).toBe("not_met");
    expect(sec01(estate([rec(1, "22/23", "exceeded", "2023-05-02")]), DEFAULT_POLICY, "2024-01-01").status).toBe("met");
  });

  it("follows the newest status published by the as-of date", () => {
    const history = [rec(1, "2024-25", "approaching", "2025-06-30"), rec(2, "2025-26", "met", "2026-05-01")];
    expect(sec01(estate(history), DEFAULT_POLICY, "2026-04-30").status).toBe("not_met");
    expect(sec01(estate(history), DEFAULT_POLICY, "2026-05-01").status).toBe("met");
    expect(dsptInForce(history, "2025-01-01")).toBeNull();
    expect(sec01(estate([...history, rec(3, null, "not_published", "2026-05-01")]), DEFAULT_POLICY, "2026-12-03").status).toBe("not_met");
  });
});
