import { describe, expect, it } from "vitest";
import {
  AUTOMATIC_REQUIREMENTS,
  FRAMEWORK_VERSIONS,
  REQUIREMENTS,
  inFrameworkVersion,
  requirementById,
  requirementInVersion,
} from "~/modules/catalogue";
import { evaluateEstate } from "~/modules/compliance/engine";
import { DEFAULT_POLICY, policyValueSchema } from "~/modules/catalogue/policy";
import { device, estate, policy, telephony } from "../support/compliance-estate";

// Issue #13 item 8: framework versions pinned to what the research note gives
// (shared/reference/operating-model.md, section 1.1 and the S16 rows of section 2).

const ids = (version: string) => REQUIREMENTS.filter((r) => inFrameworkVersion(r.id, version)).map((r) => r.id);

describe("framework versions", () => {
  it("are the 2021-23 model and the 2026 model and agreement, each with an effective date marked unconfirmed and a source", () => {
    expect(FRAMEWORK_VERSIONS.map((v) => [v.id, v.effectiveFrom, v.effectiveFromUnconfirmed, v.sources.map((s) => s.ref)])).toEqual([
      ["2021-23", "2021-04-01", true, ["S1", "S9"]],
      ["2026", "2026-05-27", true, ["S16"]],
    ]);
    // Neither date is in the research: each says why it was chosen.
    expect(FRAMEWORK_VERSIONS[0].effectiveFromNote).toMatch(/not the day it took effect/);
    expect(FRAMEWORK_VERSIONS[1].effectiveFromNote).toMatch(/HTN reported .* \(S16, secondary\)/);
  });

  it("keep today's behaviour by default: the 2021-23 model, which holds every automatic check", () => {
    expect(DEFAULT_POLICY.framework_version).toBe("2021-23");
    for (const r of AUTOMATIC_REQUIREMENTS) expect(inFrameworkVersion(r.id, "2021-23"), r.id).toBe(true);
    expect(policyValueSchema("framework_version").safeParse("2019-21").success).toBe(false);
  });

  it("put the 2026 agreement's new points (NIS incident reporting, funded clinical system migration) in 2026 only, sourced to S16", () => {
    const only2026 = REQUIREMENTS.filter((r) => !inFrameworkVersion(r.id, "2021-23")).map((r) => r.id);
    expect(only2026).toEqual(["CLN-03", "SEC-09"]);
    for (const id of only2026) {
      const r = requirementById(id)!;
      expect(r.introducedIn).toBe("2026");
      expect(r.versions.map((v) => [v.version, v.unconfirmed, v.sources.map((s) => s.ref)])).toEqual([["2026", false, ["S16"]]]);
    }
    // Nothing the research reports leaves the 2026 version, so it holds every requirement.
    expect(ids("2026")).toEqual(REQUIREMENTS.map((r) => r.id));
  });

  it("mark 2026 membership unconfirmed unless the 2026 report names the requirement", () => {
    for (const r of REQUIREMENTS) {
      const v = requirementInVersion(r, "2026")!;
      const named = r.sources.some((s) => s.ref === "S16");
      expect(v.unconfirmed, r.id).toBe(!named);
      if (!named) expect(v.note, r.id).toMatch(/Carried forward from 2021-23/);
    }
    expect(requirementInVersion(requirementById("TEL-02")!, "2026")).toMatchObject({ unconfirmed: true });
    expect(requirementInVersion(requirementById("SUP-03")!, "2026")).toMatchObject({ unconfirmed: false });
  });

  it("keep DEV-09 (patch window) in 2021-23 as an unconfirmed reading of the Cyber Security heading (S6)", () => {
    const r = requirementById("DEV-09")!;
    expect(r.introducedIn).toBe("2021-23");
    expect(requirementInVersion(r, "2021-23")).toMatchObject({ unconfirmed: true, sources: [{ ref: "S6" }] });
    expect(requirementInVersion(r, "2026")).toMatchObject({ unconfirmed: false, sources: [{ ref: "S16" }] });
    expect(r.sources.map((s) => s.ref)).toEqual(["S16", "S6"]);
  });

  it("word a requirement as each version does where the 2026 agreement changed it", () => {
    const bcp = requirementById("BCP-01")!;
    expect(requirementInVersion(bcp, "2021-23")).toMatchObject({ title: "Practice continuity plan", sources: [{ ref: "S10" }] });
    expect(requirementInVersion(bcp, "2021-23")!.description).not.toMatch(/ICB approves/);
    expect(requirementInVersion(bcp, "2026")!.description).toMatch(/ICB approves/);
    const dev03 = requirementById("DEV-03")!;
    expect(requirementInVersion(dev03, "2021-23")!.description).toMatch(/IND34\.0/);
    expect(requirementInVersion(dev03, "2026")!.description).toMatch(/maintained in line with the refresh programme/);
  });

  it("judge a practice only on the requirements in its ICB's version", () => {
    const e = estate({ devices: [device()], telephony: telephony() });
    const on2021 = evaluateEstate(e, policy({ framework_version: "2021-23" }), "2026-12-03");
    const on2026 = evaluateEstate(e, policy({ framework_version: "2026" }), "2026-12-03");
    // Every automatic check is in both versions, so both judge the same.
    expect([...on2026.entries()]).toEqual([...on2021.entries()]);
    expect([...on2021.values()].some((f) => f.status !== "not_applicable")).toBe(true);
    // A version that holds none of them (as an unknown id) leaves every check out, saying why.
    const none = evaluateEstate(e, policy({ framework_version: "none" }), "2026-12-03");
    for (const f of none.values())
      expect(f).toMatchObject({ status: "not_applicable", reason: expect.stringMatching(/^Not in force for this practice/) });
  });
});
