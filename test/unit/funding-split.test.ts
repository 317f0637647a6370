import { describe, expect, it } from "vitest";
import type { CostLine } from "~/modules/pricing/costing";
import { potOverrides, potPosition, previewSplit, splitRequestAmount } from "~/modules/funding/split";
import { gapStatusWord, GAP_STATUS_LABELS, REQUEST_STATUSES } from "~/modules/catalogue/status-words";
import { checkStep, gapStatusFromRequests, SELF_APPROVAL_REFUSED, type Actor } from "~/modules/funding/workflow";

const line = (
  pence: number,
  finance: "capital" | "revenue",
  vatRatePercent = 20,
): Pick<CostLine, "pence" | "vatPence" | "finance"> & CostLine =>
  ({ pence, vatPence: Math.floor((pence * vatRatePercent + 50) / 100), finance }) as CostLine;

describe("a request's capital/revenue split (docs/money.md)", () => {
  it("takes the gaps' priced lines exactly when the amount is their total", () => {
    const split = splitRequestAmount(1_150_00, [{ lines: [line(950_00, "capital")] }, { lines: [line(200_00, "revenue", 0)] }]);
    expect(split).toEqual({ capitalPence: 950_00, revenuePence: 200_00, vatPence: 190_00 });
  });

  it("shares a different amount in the same proportion, rounded half up, revenue taking the rest", () => {
    // 1,000.00 x 2/3 = 666.666..: capital 666.67, revenue 333.33; VAT 20% of the lines, scaled.
    const split = splitRequestAmount(1_000_00, [{ lines: [line(200_00, "capital"), line(100_00, "revenue")] }]);
    expect(split).toEqual({ capitalPence: 666_67, revenuePence: 333_33, vatPence: 200_00 });
    expect(split.capitalPence + split.revenuePence).toBe(1_000_00);
  });

  it("counts an amount with nothing priced as revenue, with VAT at the standard rate", () => {
    expect(splitRequestAmount(4_000_00, [{ lines: [] }])).toEqual({ capitalPence: 0, revenuePence: 4_000_00, vatPence: 800_00 });
  });
});

describe("'Check the split' on a new request", () => {
  it("is the stored split of the amount in its year, with the gaps' annual lines recurring in the two years after", () => {
    const annual = (pence: number, finance: "capital" | "revenue") => ({ ...line(pence, finance), recurrence: "annual" }) as CostLine;
    const oneOff = (pence: number, finance: "capital" | "revenue") => ({ ...line(pence, finance), recurrence: "one_off" }) as CostLine;
    // A replacement (£950 capital, one-off), an HSCN rental (£4,240 a year, revenue) and a warranty extension (£60 a year, revenue).
    const estimates = [{ lines: [oneOff(950_00, "capital"), annual(4_240_00, "revenue")] }, { lines: [annual(60_00, "revenue")] }];
    const p = previewSplit(5_250_00, 2026, estimates);
    expect(p.split).toEqual(splitRequestAmount(5_250_00, estimates));
    expect(p.split).toEqual({ capitalPence: 950_00, revenuePence: 4_300_00, vatPence: 1_050_00 });
    expect(p.later).toEqual([
      { year: 2027, pence: 4_300_00, capitalPence: 0, revenuePence: 4_300_00 },
      { year: 2028, pence: 4_300_00, capitalPence: 0, revenuePence: 4_300_00 },
    ]);
  });
});

describe("the per-pot approval check", () => {
  const pots = { capital: potPosition(1_000_00, 50_00), revenue: potPosition(500_00, 0) };

  it("names the pot and the shortfall, and leaves out a pot the request does not draw on", () => {
    expect(potOverrides(pots, { capitalPence: 1_000_00, revenuePence: 0 }, "2026/27")).toEqual([
      "The capital budget for 2026/27 is short by £50.00: this request needs £1,000.00 of capital, and £950.00 of the £1,000.00 is left after approved, funded and delivered requests.",
    ]);
    expect(potOverrides(pots, { capitalPence: 950_00, revenuePence: 500_00 }, "2026/27")).toEqual([]);
  });

  it("flags each pot separately, and a pot that is not set", () => {
    const reasons = potOverrides(
      { capital: potPosition(null, 0), revenue: potPosition(100_00, 100_00) },
      { capitalPence: 1, revenuePence: 1 },
      "2027/28",
    );
    expect(reasons).toEqual([
      "No capital budget is set for 2027/28, and this request needs £0.01 of capital.",
      "The revenue budget for 2027/28 is short by £0.01: this request needs £0.01 of revenue, and £0.00 of the £100.00 is left after approved, funded and delivered requests.",
    ]);
  });
});

describe("separation of duties", () => {
  const lead: Actor = { canRequest: true, canDecide: true, isCreator: true };
  it("refuses the requester's approval unless the ICB allows it with a reason; rejecting stays open to them", () => {
    expect(checkStep("approve", "submitted", lead)).toEqual({ kind: "forbidden", message: SELF_APPROVAL_REFUSED });
    expect(checkStep("approve", "submitted", { ...lead, selfApproval: "not_allowed" })).toEqual({
      kind: "forbidden",
      message: SELF_APPROVAL_REFUSED,
    });
    expect(checkStep("approve", "submitted", { ...lead, selfApproval: "with_reason" })).toBeNull();
    expect(checkStep("approve", "submitted", { ...lead, isCreator: false })).toBeNull();
    expect(checkStep("reject", "submitted", lead)).toBeNull();
  });
});

describe("one status vocabulary for requests and their gaps", () => {
  it("names a gap with the word of the request that sets its status", () => {
    for (const status of ["submitted", "approved", "delivered"] as const) {
      expect(gapStatusWord(gapStatusFromRequests("open", [status]), [status])).toBe(REQUEST_STATUSES[status]);
    }
    expect(gapStatusWord(gapStatusFromRequests("open", ["funded"]), ["funded"])).toBe("Funded");
    // Without the requests at hand (register, exports), the approved-or-funded step reads "Approved".
    expect(GAP_STATUS_LABELS.funded).toBe("Approved");
  });
});
