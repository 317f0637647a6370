import { describe, expect, it } from "vitest";
import { deadlineFor } from "~/modules/gaps/deadline";
import { priorityOf, type PriorityInput } from "~/modules/gaps/priority";

const base: PriorityInput = {
  requirementId: "TEL-01",
  domain: "telephony",
  category: "enhanced",
  resultStatus: "partial",
  listSize: 5_000,
  deadline: "2027-06-01",
  today: "2026-11-22",
};

describe("gap priority", () => {
  it("explains itself: the score is the sum of its factors' points", () => {
    const p = priorityOf(base);
    expect(p.factors.map((f) => f.factor)).toEqual(["category", "cyber", "patients", "deadline", "extent"]);
    expect(p.score).toBe(p.factors.reduce((s, f) => s + f.points, 0));
    expect(p).toMatchObject({ level: "low", score: 1 });
  });

  it("ranks an overdue core cyber gap at a large practice high", () => {
    const p = priorityOf({
      ...base,
      requirementId: "DEV-02",
      domain: "devices",
      category: "core_mandated",
      resultStatus: "not_met",
      listSize: 21_000,
      deadline: "2026-10-01",
    });
    expect(p.level).toBe("high");
    expect(p.score).toBe(3 + 2 + 2 + 2 + 1);
    expect(p.factors.find((f) => f.factor === "deadline")!.detail).toBe("Overdue by 52 days");
    expect(p.factors.find((f) => f.factor === "patients")!.detail).toMatch(/21,000 registered patients \(15,000 or more\)/);
  });

  it("counts the cyber domain and named cyber requirements as cyber risk", () => {
    expect(priorityOf({ ...base, domain: "cyber_ig", requirementId: "SEC-01" }).factors[1].points).toBe(2);
    expect(priorityOf({ ...base, requirementId: "SEC-03", domain: "cyber_ig" }).factors[1].points).toBe(2);
    expect(priorityOf({ ...base, requirementId: "DEV-04", domain: "devices" }).factors[1].points).toBe(2);
    expect(priorityOf(base).factors[1].points).toBe(0);
  });

  it("weighs deadline proximity: overdue 2, within 90 days 1, later 0", () => {
    const at = (deadline: string) => priorityOf({ ...base, deadline }).factors.find((f) => f.factor === "deadline")!.points;
    expect(at("2026-11-21")).toBe(2);
    expect(at("2026-11-22")).toBe(1);
    expect(at("2027-02-20")).toBe(1);
    expect(at("2027-02-21")).toBe(0);
  });

  it("does not guess patients when the list size is unknown", () => {
    const f = priorityOf({ ...base, listSize: null }).factors.find((x) => x.factor === "patients")!;
    expect(f).toMatchObject({ points: 0, detail: "List size not known" });
  });

  it("moves between levels at 4 and 7 points", () => {
    // core 3 + not met 1 = 4 → medium.
    expect(priorityOf({ ...base, category: "core_mandated", resultStatus: "not_met" }).level).toBe("medium");
    // core 3 + partial 0 = 3 → low.
    expect(priorityOf({ ...base, category: "core_mandated" }).level).toBe("low");
  });
});

describe("gap deadlines", () => {
  it("give core and mandated gaps a quarter and enhanced ones a year from first seen", () => {
    expect(deadlineFor("core_mandated", "2026-11-22")).toBe("2027-02-20");
    expect(deadlineFor("enhanced", "2026-11-22")).toBe("2027-11-22");
    expect(deadlineFor("national_programme", "2026-01-31")).toBe("2026-07-30");
  });
});
