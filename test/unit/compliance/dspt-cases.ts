import type { DsptRecord } from "~/modules/compliance/rules";
import { estate } from "../../support/compliance-estate";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const status = (id: number, cycle: string | null, outcome: DsptRecord["outcome"], published_on: string | null): DsptRecord => ({
  id,
  cycle,
  status: outcome,
  outcome,
  published_on,
});

// SEC-01 from the published DSPT status (rules/dspt.ts; feeds.md section 2).
export const DSPT_CASES: RuleCase[] = [
  {
    rule: "SEC-01",
    name: "no status imported",
    estate: estate(),
    asOf: D,
    status: "unknown",
    reason: "No DSPT status has been imported for this practice.",
  },
  {
    rule: "SEC-01",
    name: "2025-26 Standards Met",
    estate: estate({ dspt: [status(1, "2025-26", "met", "2026-06-20")] }),
    asOf: D,
    status: "met",
    reason: /2025-26 Standards Met \(published 20 June 2026\); it counts until 30 June 2027/,
  },
  {
    rule: "SEC-01",
    name: "22/23 Exceeded, long lapsed",
    estate: estate({ dspt: [status(1, "22/23", "exceeded", "2023-05-02")] }),
    asOf: D,
    status: "not_met",
    reason: /lapsed on 30 June 2024/,
  },
  {
    rule: "SEC-01",
    name: "Approaching Standards",
    estate: estate({ dspt: [status(1, "2025-26", "approaching", "2026-06-30")] }),
    asOf: D,
    status: "not_met",
    reason: /short of Standards Met/,
  },
  {
    rule: "SEC-01",
    name: "Not Published after a Met",
    asOf: D,
    status: "not_met",
    reason: /Not Published \(last assessment 20 June 2025\)/,
    estate: estate({ dspt: [status(1, "2024-25", "met", "2025-06-20"), status(2, null, "not_published", "2025-06-20")] }),
  },
];
