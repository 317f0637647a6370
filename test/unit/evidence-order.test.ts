import { describe, expect, it } from "vitest";
import type { EvidenceRef } from "~/modules/catalogue/rule-types";
import { evidenceExcerpt, sortEvidence } from "~/modules/compliance/display";

const ref = (id: string, outcome?: EvidenceRef["outcome"]): EvidenceRef => ({ type: "device", id, label: `Device ${id}`, outcome });

describe("the records behind a result, as a page lists them", () => {
  const evidence = [ref("1", "ok"), ref("2", "unknown"), ref("3"), ref("4", "fail"), ref("5", "unknown"), ref("6", "fail"), ref("7", "ok")];

  it("fail first, then not known, then passing (no outcome is passing), in their own order within each", () => {
    expect(sortEvidence(evidence).map((e) => e.id)).toEqual(["4", "6", "2", "5", "1", "3", "7"]);
    // The records given are not reordered.
    expect(evidence.map((e) => e.id)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
  });

  it("excerpt the first few in that order, with how many there are and how many fail", () => {
    const x = evidenceExcerpt(evidence, 3);
    expect(x.evidence.map((e) => e.id)).toEqual(["4", "6", "2"]);
    expect(x.evidenceTotal).toBe(7);
    expect(x.evidenceFailing).toBe(2);
    expect(evidenceExcerpt([], 3)).toEqual({ evidence: [], evidenceTotal: 0, evidenceFailing: 0 });
  });
});
