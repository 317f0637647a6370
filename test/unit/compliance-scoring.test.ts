import { describe, expect, it } from "vitest";
import { scoreResults } from "~/modules/compliance/scoring";

describe("compliance score", () => {
  it("weights met 1, partly met 0.5, not met 0 and leaves unknown and not applicable out of the denominator", () => {
    const { overall } = scoreResults([
      { status: "met", weight: 3, domain: "devices" },
      { status: "partial", weight: 2, domain: "devices" },
      { status: "not_met", weight: 1, domain: "telephony" },
      { status: "unknown", weight: 3, domain: "telephony" },
      { status: "not_applicable", weight: 3, domain: "telephony" },
    ]);
    expect(overall.earned).toBe(4);
    expect(overall.possible).toBe(6);
    expect(overall.score).toBe(66.7);
    expect(overall.counts).toEqual({ met: 1, partial: 1, not_met: 1, unknown: 1, not_applicable: 1 });
    expect(overall.total).toBe(5);
  });

  it("scores each domain separately", () => {
    const { byDomain } = scoreResults([
      { status: "met", weight: 3, domain: "devices" },
      { status: "not_met", weight: 1, domain: "devices" },
      { status: "unknown", weight: 2, domain: "telephony" },
    ]);
    expect(byDomain.devices.score).toBe(75);
    expect(byDomain.telephony.score).toBeNull();
    expect(byDomain.telephony.counts.unknown).toBe(1);
  });

  it("has no score when nothing can be judged", () => {
    expect(scoreResults([]).overall.score).toBeNull();
    expect(scoreResults([{ status: "unknown", weight: 3, domain: "x" }]).overall).toMatchObject({ score: null, possible: 0 });
  });

  it("gives 100 when everything judged is met, whatever is unknown", () => {
    expect(
      scoreResults([
        { status: "met", weight: 1, domain: "x" },
        { status: "unknown", weight: 3, domain: "x" },
      ]).overall.score,
    ).toBe(100);
  });
});
