import { describe, expect, it } from "vitest";
import { requirementById } from "~/modules/catalogue";
import { evaluateEstate } from "~/modules/compliance/engine";
import { costOnce } from "~/modules/compliance/remediation";
import { RULES, STATUSES, type Finding, type Status } from "~/modules/compliance/rules";
import { policy } from "../support/compliance-estate";
import type { RuleCase } from "./compliance/cases";
import { DEVICE_CASES } from "./compliance/device-cases";
import { CBT_CASES } from "./compliance/cbt-cases";
import { CYBER_ESSENTIALS_CASES } from "./compliance/cyber-essentials-cases";
import { DSPT_CASES } from "./compliance/dspt-cases";
import { PAPER_CASES } from "./compliance/paper-cases";
import { SITE_CASES } from "./compliance/site-cases";
import { TELEPHONY_CASES } from "./compliance/telephony-cases";

const CASES: RuleCase[] = [
  ...DEVICE_CASES,
  ...TELEPHONY_CASES,
  ...SITE_CASES,
  ...PAPER_CASES,
  ...DSPT_CASES,
  ...CYBER_ESSENTIALS_CASES,
  ...CBT_CASES,
];

/**
 * Outcomes a rule cannot give, and why; every other outcome must have a test below. Requirements
 * with a start date get "not applicable" from the engine before it (tested with `engine: true`).
 */
const CANNOT: Record<string, { statuses: Status[]; why: string }> = {
  "DEV-01": { statuses: ["not_applicable"], why: "every practice needs computers; none recorded is unknown" },
  "DEV-02": { statuses: ["not_applicable"], why: "every practice needs computers; none recorded is unknown" },
  "DEV-06": { statuses: ["not_applicable"], why: "a missing register field is itself the failure; only an empty register is unknown" },
  "DEV-08": { statuses: ["not_applicable"], why: "computers always apply" },
  "DEV-09": { statuses: ["not_applicable"], why: "computers always apply" },
  "DEV-10": { statuses: ["not_applicable"], why: "computers always apply" },
  "DEV-11": { statuses: ["not_applicable"], why: "smartcards always apply" },
  "DEV-12": { statuses: ["not_applicable"], why: "remote capacity always applies" },
  "BCP-03": { statuses: ["not_applicable"], why: "remote capacity always applies" },
  "DEV-15": { statuses: ["not_applicable"], why: "computers always apply" },
  "SEC-01": { statuses: ["partial", "not_applicable"], why: "a published DSPT status is met or not; every practice completes the toolkit" },
  "SEC-03": { statuses: ["not_applicable"], why: "devices always apply" },
  "SEC-11": { statuses: ["not_applicable"], why: "computers always apply" },
  "SEC-05": { statuses: ["partial", "not_applicable"], why: "one unsupported device rules out the certificate" },
  "INF-06": { statuses: ["not_applicable"], why: "remote access always applies" },
  "TEL-02": { statuses: ["not_applicable"], why: "every practice has telephony" },
  "TEL-03": { statuses: ["partial"], why: "a supplier is on the framework or not" },
  "TEL-04": { statuses: ["partial", "not_applicable"], why: "one feature, always required" },
  "TEL-07": { statuses: ["partial", "not_applicable"], why: "one feature, always required" },
  "TEL-08": { statuses: ["partial", "not_applicable"], why: "one feature, always required" },
  "TEL-05": { statuses: ["not_applicable"], why: "always required" },
  "TEL-09": { statuses: ["not_applicable"], why: "always required" },
  "TEL-06": { statuses: ["not_applicable"], why: "always required" },
  "TEL-10": { statuses: ["partial"], why: "data is shared or not" },
  "TEL-11": { statuses: ["not_applicable"], why: "remote call handling always applies" },
  "TEL-12": { statuses: ["partial", "not_applicable"], why: "one number, premium or not" },
  "TEL-15": { statuses: ["not_applicable"], why: "every site may have lines" },
  "BCP-04": { statuses: ["not_applicable"], why: "every practice has telephony" },
  "INF-01": { statuses: ["not_applicable"], why: "every site needs HSCN" },
  "INF-02": { statuses: ["not_applicable"], why: "every site needs bandwidth" },
  "INF-03": { statuses: ["not_applicable"], why: "every site needs network kit" },
  "INF-04": { statuses: ["not_applicable"], why: "every site needs Wi-Fi" },
  "INF-05": { statuses: [], why: "" },
  "INF-08": { statuses: ["not_applicable"], why: "every site needs a comms room" },
  "PREM-02": { statuses: ["not_applicable"], why: "every site needs power protection" },
  "PREM-03": { statuses: ["not_applicable"], why: "every site may hold paper" },
  "CLN-01": { statuses: ["partial", "not_applicable"], why: "one system, assured or not" },
  "CLN-05": { statuses: ["partial", "not_applicable"], why: "one service, always required" },
  "CLN-07": { statuses: ["partial", "not_applicable"], why: "one service, always required" },
  "CLN-08": { statuses: ["not_applicable"], why: "always required" },
  "CLN-09": { statuses: ["partial"], why: "one service" },
  "CLN-11": { statuses: ["partial"], why: "one service" },
  "CLN-12": { statuses: ["not_applicable"], why: "always required" },
  "CLN-13": { statuses: ["partial", "not_applicable"], why: "one service, always required" },
  "CLN-14": { statuses: ["not_applicable"], why: "the website is always expected" },
  "SEC-07": { statuses: ["partial", "not_applicable"], why: "one service, always required" },
  "INF-07": { statuses: ["partial", "not_applicable"], why: "one service, always required" },
  "DEV-03": { statuses: [], why: "" },
  "DEV-04": { statuses: [], why: "" },
  "DEV-05": { statuses: [], why: "" },
  "CLN-10": { statuses: [], why: "" },
  "PAP-01": { statuses: ["not_applicable"], why: "every practice may hold paper records; none is met" },
  "PAP-02": { statuses: [], why: "" },
  "PAP-03": { statuses: ["partial", "not_applicable"], why: "a count of new envelopes is zero or not" },
  "PAP-04": { statuses: ["not_applicable"], why: "every practice writes to patients" },
  "PAP-05": { statuses: ["not_applicable"], why: "every practice prints" },
  "PAP-06": { statuses: ["not_met", "not_applicable"], why: "no month reported is unknown; some is partly met" },
};

function run(c: RuleCase): Finding {
  const p = c.policy ?? policy();
  if (c.engine || c.alongside)
    return evaluateEstate(
      c.estate,
      p,
      c.asOf,
      [c.rule, ...(c.alongside ?? [])].map((id) => requirementById(id)!),
    ).get(c.rule)!;
  // As the engine stores it: item keys dropped (costOnce over one finding changes nothing else).
  return costOnce(new Map([[c.rule, RULES.get(c.rule)!.rule(c.estate, p, c.asOf)]])).get(c.rule)!;
}

describe("compliance rules", () => {
  for (const c of CASES) {
    it(`${c.rule}: ${c.name} (${c.asOf}) → ${c.status}`, () => {
      expect(RULES.has(c.rule), `${c.rule} has a rule`).toBe(true);
      const f = run(c);
      expect(f.status, f.reason).toBe(c.status);
      if (typeof c.reason === "string") expect(f.reason).toBe(c.reason);
      else if (c.reason) expect(f.reason).toMatch(c.reason);
      expect(f.reason.length).toBeGreaterThan(10);
      // A unit is work to price, or (quantity 0) work another requirement's gap costs, saying which.
      for (const u of f.units) {
        if (u.quantity === 0) expect((u.costedUnder ?? u.replacedUnder) && u.covered! > 0).toBeTruthy();
        else expect(u.quantity).toBeGreaterThan(0);
      }
      c.check?.(f);
    });
  }

  it("every rule is tested for every outcome it can give", () => {
    const missing: string[] = [];
    for (const id of RULES.keys()) {
      const cannot = CANNOT[id];
      expect(cannot, `${id} is listed in CANNOT`).toBeDefined();
      const tested = new Set(CASES.filter((c) => c.rule === id).map((c) => c.status));
      for (const s of STATUSES) if (!cannot.statuses.includes(s) && !tested.has(s)) missing.push(`${id} ${s}`);
      for (const s of cannot.statuses) expect(tested.has(s), `${id} is said never to be ${s} but a test expects it`).toBe(false);
    }
    expect(missing).toEqual([]);
  });

  it("rules are pure: the same input gives the same finding and the input is not changed", () => {
    for (const c of CASES.slice(0, 40)) {
      const before = JSON.stringify({ ...c.estate, lifecycle: [...c.estate.lifecycle] });
      expect(run(c)).toEqual(run(c));
      expect(JSON.stringify({ ...c.estate, lifecycle: [...c.estate.lifecycle] })).toBe(before);
    }
  });
});
