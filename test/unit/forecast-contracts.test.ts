import { describe, expect, it } from "vitest";
import { monthsBefore, noticeDate } from "~/modules/catalogue/contracts";
import { contractEvents, type ContractRowForForecast } from "~/modules/compliance/forecast/contracts";

const contract = (over: Partial<ContractRowForForecast>): ContractRowForForecast => ({
  id: 1,
  practice_code: "F84003",
  icb_code: null,
  supplier: "X-on",
  category: "telephony",
  service: null,
  reference: "XON-1",
  starts_on: "2024-04-01",
  ends_on: "2027-03-31",
  ended_on: null,
  notice_months: 3,
  annual_cost_pence: 480000,
  paid_by: "practice",
  ...over,
});

describe("contract dates on the forecast", () => {
  it("counts notice back in calendar months, to the month's last day when shorter", () => {
    expect(monthsBefore("2027-03-31", 3)).toBe("2026-12-31");
    expect(monthsBefore("2027-05-31", 3)).toBe("2027-02-28");
    expect(monthsBefore("2028-05-31", 3)).toBe("2028-02-29");
    expect(monthsBefore("2027-01-15", 13)).toBe("2025-12-15");
    expect(noticeDate({ ends_on: "2027-03-31", notice_months: 0 })).toBeNull();
  });

  it("lists the notice date and the end inside the horizon; a telephony end with no successor names TEL-02 and TEL-03", () => {
    const events = contractEvents([contract({})], "2026-12-01", "2028-12-01");
    expect(events).toEqual([
      expect.objectContaining({
        date: "2026-12-31",
        kind: "notice",
        financialYear: 2026,
        successor: null,
        description: "Last day to give 3 months' notice on the X-on telephony contract XON-1 (it ends 2027-03-31)",
      }),
      expect.objectContaining({
        date: "2027-03-31",
        kind: "end",
        financialYear: 2026,
        practiceCode: "F84003",
        annualCostPence: 480000,
        paidBy: "practice",
        affects: ["TEL-02", "TEL-03"],
        successor: false,
        description: "X-on telephony contract XON-1 ends; no successor recorded (TEL-02, TEL-03)",
      }),
    ]);
  });

  it("knows a successor of the same category from the next day, and leaves out dates beyond the horizon or already past", () => {
    const next = contract({ id: 2, supplier: "Surgery Connect", reference: "SC-1", starts_on: "2027-04-01", ends_on: "2030-03-31" });
    const events = contractEvents([contract({}), next], "2027-01-01", "2029-01-01");
    // The notice date (31 Dec 2026) is before asOf; the successor's own notice and end are after the horizon.
    expect(events.map((e) => [e.date, e.kind, e.successor])).toEqual([["2027-03-31", "end", true]]);
    expect(events[0].description).toBe("X-on telephony contract XON-1 ends");
    // Another category is no successor.
    const other = contractEvents([contract({}), { ...next, category: "connectivity" }], "2027-01-01", "2029-01-01");
    expect(other[0].successor).toBe(false);
  });

  it("an ended contract shows its early end and no notice date", () => {
    const events = contractEvents([contract({ ended_on: "2027-01-31" })], "2026-12-01", "2028-12-01");
    expect(events.map((e) => [e.date, e.kind, e.description])).toEqual([
      ["2027-01-31", "end", "X-on telephony contract XON-1 is ended early; no successor recorded (TEL-02, TEL-03)"],
    ]);
  });
});
