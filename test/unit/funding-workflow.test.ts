import { describe, expect, it } from "vitest";
import { parseGapIds, requestFieldsSchema, TransitionSchema, BudgetSchema } from "~/modules/funding/schema";
import {
  allowedSteps,
  amountNeedsReason,
  approvalNeedsOverride,
  budgetPosition,
  canEdit,
  checkStep,
  gapStatusFromRequests,
  totalEstimate,
  type Actor,
} from "~/modules/funding/workflow";
import { PriceVersionSchema } from "~/modules/pricing/schema";

const partner: Actor = { canRequest: true, canDecide: false, isCreator: true };
const otherPartner: Actor = { canRequest: true, canDecide: false, isCreator: false };
const lead: Actor = { canRequest: true, canDecide: true, isCreator: false };

describe("funding request workflow", () => {
  it("offers each role only the steps it may take in each state", () => {
    expect(allowedSteps("draft", partner)).toEqual(["submit"]);
    expect(allowedSteps("draft", otherPartner)).toEqual([]);
    expect(allowedSteps("draft", lead)).toEqual(["submit"]);
    expect(allowedSteps("submitted", partner)).toEqual([]);
    expect(allowedSteps("submitted", lead)).toEqual(["approve", "reject"]);
    expect(allowedSteps("approved", lead)).toEqual(["fund"]);
    expect(allowedSteps("funded", lead)).toEqual(["deliver"]);
    expect(allowedSteps("delivered", lead)).toEqual([]);
    expect(allowedSteps("rejected", lead)).toEqual([]);
  });

  it("refuses a delivery partner's approval as forbidden, and a step from the wrong state as a state conflict", () => {
    expect(checkStep("approve", "submitted", partner)?.kind).toBe("forbidden");
    expect(checkStep("approve", "draft", partner)?.kind).toBe("forbidden");
    expect(checkStep("approve", "draft", lead)).toEqual({
      kind: "state",
      message: "This request is still a draft, so it cannot be approved now. Reload the page to see what has happened.",
    });
    expect(checkStep("deliver", "approved", lead)?.kind).toBe("state");
    expect(checkStep("fund", "approved", lead)).toBeNull();
  });

  it("lets only drafts be edited, by their author or the ICB lead", () => {
    expect(canEdit("draft", partner)).toBe(true);
    expect(canEdit("draft", otherPartner)).toBe(false);
    expect(canEdit("draft", lead)).toBe(true);
    expect(canEdit("submitted", partner)).toBe(false);
  });

  it("moves a gap's status with its most advanced live request, and never reopens a closed gap", () => {
    expect(gapStatusFromRequests("open", [])).toBe("open");
    expect(gapStatusFromRequests("open", ["draft"])).toBe("open");
    expect(gapStatusFromRequests("open", ["submitted"])).toBe("funding_requested");
    expect(gapStatusFromRequests("funding_requested", ["approved"])).toBe("funded");
    expect(gapStatusFromRequests("funded", ["funded", "submitted"])).toBe("funded");
    expect(gapStatusFromRequests("funded", ["delivered"])).toBe("in_delivery");
    expect(gapStatusFromRequests("funding_requested", ["rejected"])).toBe("open");
    expect(gapStatusFromRequests("funding_requested", ["rejected", "submitted"])).toBe("funding_requested");
    expect(gapStatusFromRequests("closed", ["delivered"])).toBe("closed");
  });
});

describe("budget arithmetic", () => {
  it("works out what is left and when an approval needs an override", () => {
    const p = budgetPosition(100_000_00, 60_000_00);
    expect(p.remainingPence).toBe(40_000_00);
    expect(approvalNeedsOverride(p, 40_000_00)).toBeNull();
    expect(approvalNeedsOverride(p, 40_000_01)).toBe(
      "Approving this would take the year's approved, funded and delivered total to £100,000.01, over the budget of £100,000.00 by £0.01.",
    );
    expect(budgetPosition(null, 5).remainingPence).toBeNull();
    expect(approvalNeedsOverride(budgetPosition(null, 0), 1)).toBe("No budget is set for this financial year.");
    expect(budgetPosition(10, 25).remainingPence).toBe(-15);
  });

  it("totals estimates exactly, and gives no total when any gap has no estimate", () => {
    expect(totalEstimate([95_000, 1, 2])).toBe(95_003);
    expect(totalEstimate([95_000, null])).toBeNull();
    expect(totalEstimate([])).toBe(0);
    expect(amountNeedsReason(100, 100)).toBe(false);
    expect(amountNeedsReason(101, 100)).toBe(true);
    expect(amountNeedsReason(100, null)).toBe(true);
  });
});

describe("funding forms", () => {
  const base = {
    title: "Windows 10 laptops",
    financial_year: "2026/27",
    amount: "950",
    amount_reason: "",
    justification: "Unsupported OS",
  };

  it("needs a reason only when the amount differs from a complete estimate", () => {
    expect(requestFieldsSchema(95_000).safeParse(base).success).toBe(true);
    const differs = requestFieldsSchema(95_000).safeParse({ ...base, amount: "1,000" });
    expect(differs.success).toBe(false);
    expect(differs.error!.issues[0]).toMatchObject({
      path: ["amount_reason"],
      message: "Give a reason for the amount: it differs from the estimate of £950.00",
    });
    const none = requestFieldsSchema(null).safeParse(base);
    expect(none.error!.issues[0].message).toBe("Explain how you arrived at the amount: some gaps have no estimate");
    expect(requestFieldsSchema(null).parse({ ...base, amount_reason: "Supplier quote" })).toMatchObject({
      amount: 95_000,
      financial_year: 2026,
      amount_reason: "Supplier quote",
    });
    const blank = requestFieldsSchema(0).safeParse({ ...base, title: " ", amount: "" });
    expect(blank.error!.issues.map((i) => i.path[0]).sort()).toEqual(["amount", "title"]);
  });

  it("reads gap ids from hidden inputs and the add box, refusing anything that is not a gap number", () => {
    expect(parseGapIds(["3", "1", "3", "#7, 9 12"])).toEqual({ ok: true, ids: [1, 3, 7, 9, 12] });
    expect(parseGapIds([])).toEqual({ ok: false, message: "Choose at least one gap" });
    expect(parseGapIds(["1", "x1"])).toEqual({ ok: false, message: '"x1" is not a gap number' });
    expect(parseGapIds(["-4"]).ok).toBe(false);
  });

  it("requires a reason to reject and to approve over the budget", () => {
    expect(TransitionSchema.safeParse({ intent: "reject", version: "2" }).error!.issues[0].path).toEqual(["reason"]);
    expect(TransitionSchema.safeParse({ intent: "approve", version: "2", override: "on" }).error!.issues[0].path).toEqual([
      "override_reason",
    ]);
    expect(TransitionSchema.parse({ intent: "approve", version: "2" })).toMatchObject({ override: false, version: 2 });
    expect(TransitionSchema.safeParse({ intent: "delete", version: "2" }).success).toBe(false);
  });

  it("parses budgets and price versions in pounds to pence", () => {
    expect(BudgetSchema.parse({ financial_year: "2026", capital: "£1,000,000", revenue: "250,000", version: "" })).toEqual({
      financial_year: 2026,
      capital: 100_000_000,
      revenue: 25_000_000,
      version: undefined,
    });
    expect(BudgetSchema.safeParse({ financial_year: "2026/28", capital: "1", revenue: "1" }).success).toBe(false);
    expect(BudgetSchema.safeParse({ financial_year: "2026", capital: "1" }).error!.issues.map((i) => i.path[0])).toEqual(["revenue"]);
    expect(
      PriceVersionSchema.parse({
        unit_cost: "799.99",
        basis: "each",
        effective_from: "01/04/2027",
        source: "Framework price",
        local_estimate: "on",
        vat_rate_percent: "20",
        finance: "capital",
        recurrence: "one_off",
      }),
    ).toMatchObject({
      unit_cost: 79_999,
      basis: "each",
      effective_from: "2027-04-01",
      source: "Framework price",
      local_estimate: true,
      vat_rate_percent: 20,
      finance: "capital",
      recurrence: "one_off",
    });
    const bad = PriceVersionSchema.safeParse({ unit_cost: "12.345", basis: "", effective_from: "31/02/2027", source: "" });
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual([
      "basis",
      "effective_from",
      "finance",
      "recurrence",
      "source",
      "unit_cost",
      "vat_rate_percent",
    ]);
  });
});
