import { describe, expect, it } from "vitest";
import { mergeAttested, type VerifiedAttestation } from "~/modules/compliance/attested-merge";
import type { Finding } from "~/modules/catalogue/rule-types";

const register = (status: Finding["status"]): Finding => ({
  status,
  reason: "Purchase dates are recorded for every ICB-funded device.",
  evidence: [],
  units: [],
});
const answer = (a: VerifiedAttestation["answer"]): VerifiedAttestation => ({
  answer: a,
  answerId: 7,
  cycleName: "Annual review 2026/27",
  verifiedOn: "2026-11-20",
});

describe("register and attestation together (DEV-03, TEL-12, SEC-05)", () => {
  it("is met only when both halves are", () => {
    expect(mergeAttested("DEV-03", register("met"), answer("met")).status).toBe("met");
    expect(mergeAttested("DEV-03", register("met"), answer("not_met")).status).toBe("partial");
    expect(mergeAttested("DEV-03", register("not_met"), answer("not_met")).status).toBe("not_met");
    expect(mergeAttested("DEV-03", register("partial"), answer("met")).status).toBe("partial");
    expect(mergeAttested("DEV-03", register("unknown"), answer("met")).status).toBe("unknown");
  });

  it("says which half is which, and cites the verified answer", () => {
    const f = mergeAttested("DEV-03", register("met"), answer("partial"));
    expect(f.reason).toBe(
      "Purchase dates are recorded for every ICB-funded device. In its Annual review 2026/27 self-assessment the practice attested the rest as partly met, verified by the ICB on 20 November 2026.",
    );
    expect(f.evidence).toEqual([{ type: "attestation", id: "7", label: "Annual review 2026/27 self-assessment", outcome: "fail" }]);
  });

  it("keeps the register result until an answer is verified, saying the attested part is still to come", () => {
    const f = mergeAttested("SEC-05", register("met"), undefined);
    expect(f.status).toBe("met");
    expect(f.reason).toMatch(/The attested part has not been verified in a self-assessment yet\.$/);
  });

  it("leaves automatic-only requirements alone", () => {
    const f = register("met");
    expect(mergeAttested("DEV-02", f, answer("not_met"))).toBe(f);
  });
});
