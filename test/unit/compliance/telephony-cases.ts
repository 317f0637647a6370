import { expect } from "vitest";
import { branch, estate, policy, site, telephony } from "../../support/compliance-estate";
import type { TelephonyRecord } from "~/modules/compliance/rules";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const tel = (over: Partial<TelephonyRecord> = {}) => estate({ telephony: telephony(over) });
const analogue = {
  system_type: "analogue" as const,
  supplier: "BT",
  on_bpf: false,
  lines: 4,
  concurrent_calls: null,
  call_back: null,
  call_queuing: null,
  queue_position_message: null,
  ivr_routing: null,
  clinical_system_integration: null,
  realtime_reporting: null,
  historic_reporting: null,
  remote_agents: null,
  multi_site: null,
  cbt_data_sharing: null,
};
const none = (rule: string): RuleCase => ({
  rule,
  name: "no telephony recorded",
  estate: estate({ telephony: null }),
  asOf: D,
  status: "unknown",
  reason: "No current telephony system is recorded for this practice.",
});

/** A single feature: met, missing, not recorded, and impossible on analogue lines. */
const feature = (rule: string, key: keyof TelephonyRecord): RuleCase[] => [
  { rule, name: "feature on", estate: tel(), asOf: D, status: "met" },
  {
    rule,
    name: "feature off",
    estate: tel({ [key]: false }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "telephony_feature_upgrade", quantity: 1 }]),
  },
  { rule, name: "feature not recorded", estate: tel({ [key]: null }), asOf: D, status: "unknown" },
  {
    rule,
    name: "analogue lines",
    estate: tel(analogue),
    asOf: D,
    status: "not_met",
    reason: /moving to cloud telephony \(TEL-02\) fixes this/,
    alongside: ["TEL-02"],
    // The remedy is TEL-02's move to the cloud, costed once, there.
    check: (f) =>
      expect(f.units).toEqual([
        { kind: "telephony_migration", quantity: 0, costedUnder: "TEL-02", covered: 1 },
        { kind: "cloud_telephony_licence", quantity: 0, costedUnder: "TEL-02", covered: 1 },
      ]),
  },
  none(rule),
];

/** Two features: partial when only one. */
const pair = (rule: string, a: keyof TelephonyRecord, b: keyof TelephonyRecord): RuleCase[] => [
  { rule, name: "both on", estate: tel(), asOf: D, status: "met" },
  { rule, name: "one on", estate: tel({ [b]: false }), asOf: D, status: "partial" },
  { rule, name: "both off", estate: tel({ [a]: false, [b]: false }), asOf: D, status: "not_met" },
  { rule, name: "one not recorded", estate: tel({ [b]: null }), asOf: D, status: "unknown" },
  none(rule),
];

export const TELEPHONY_CASES: RuleCase[] = [
  // TEL-02: cloud telephony.
  { rule: "TEL-02", name: "cloud", estate: tel(), asOf: D, status: "met" },
  {
    rule: "TEL-02",
    name: "analogue",
    estate: tel(analogue),
    asOf: D,
    status: "not_met",
    check: (f) =>
      expect(f.units).toEqual([
        { kind: "telephony_migration", quantity: 1 },
        { kind: "cloud_telephony_licence", quantity: 1 },
      ]),
  },
  {
    rule: "TEL-02",
    name: "on-premises digital under contract",
    estate: tel({ system_type: "on_premises_digital", contract_end: "2027-03-31" }),
    asOf: D,
    status: "partial",
    reason: /when the contract ends on 31 March 2027/,
    check: (f) => expect(f.upcoming?.[0]?.date).toBe("2027-03-31"),
  },
  {
    rule: "TEL-02",
    name: "on-premises digital after its contract",
    estate: tel({ system_type: "on_premises_digital", contract_end: "2026-03-31" }),
    asOf: D,
    status: "not_met",
  },
  {
    rule: "TEL-02",
    name: "on-premises digital, end not recorded",
    estate: tel({ system_type: "on_premises_digital", contract_end: null }),
    asOf: D,
    status: "partial",
  },
  none("TEL-02"),

  // TEL-03: Better Purchasing Framework for contracts from 1 April 2023.
  { rule: "TEL-03", name: "on the framework", estate: tel(), asOf: D, status: "met" },
  {
    rule: "TEL-03",
    name: "new contract off the framework",
    estate: tel({ on_bpf: false, contract_start: "2023-04-01" }),
    asOf: D,
    status: "not_met",
  },
  {
    rule: "TEL-03",
    name: "contract before the framework",
    estate: tel({ on_bpf: false, contract_start: "2023-03-31" }),
    asOf: D,
    status: "not_applicable",
  },
  { rule: "TEL-03", name: "framework status not recorded", estate: tel({ on_bpf: null }), asOf: D, status: "unknown" },
  { rule: "TEL-03", name: "start date not recorded", estate: tel({ on_bpf: false, contract_start: null }), asOf: D, status: "unknown" },
  none("TEL-03"),

  ...feature("TEL-04", "call_back"),
  ...pair("TEL-05", "call_queuing", "queue_position_message"),
  ...feature("TEL-07", "ivr_routing"),
  ...feature("TEL-08", "clinical_system_integration"),
  ...pair("TEL-09", "realtime_reporting", "historic_reporting"),

  // TEL-06: simultaneous calls (1 per 1,000 patients by default; list size 10,000 needs 10).
  {
    rule: "TEL-06",
    name: "30 calls",
    estate: tel(),
    asOf: D,
    status: "met",
    reason: "The system takes 30 calls at once (10 needed for 10,000 patients at 1 per 1,000).",
  },
  {
    rule: "TEL-06",
    name: "6 calls",
    estate: tel({ concurrent_calls: 6 }),
    asOf: D,
    status: "partial",
    check: (f) => expect(f.units).toEqual([{ kind: "telephony_capacity_upgrade", quantity: 4 }]),
  },
  { rule: "TEL-06", name: "2 calls", estate: tel({ concurrent_calls: 2 }), asOf: D, status: "not_met" },
  {
    rule: "TEL-06",
    name: "ISDN lines",
    estate: tel({ ...analogue, system_type: "isdn", lines: 2 }),
    asOf: D,
    status: "not_met",
    reason: /ISDN lines limit calls to the number of physical lines \(2\)/,
  },
  { rule: "TEL-06", name: "cloud with no capacity recorded", estate: tel({ concurrent_calls: null }), asOf: D, status: "met" },
  {
    rule: "TEL-06",
    name: "on-premises with no capacity recorded",
    estate: tel({ system_type: "on_premises_digital", concurrent_calls: null }),
    asOf: D,
    status: "unknown",
  },
  { rule: "TEL-06", name: "list size not known", estate: estate({ practice: { list_size: null } }), asOf: D, status: "unknown" },
  {
    rule: "TEL-06",
    name: "ICB asks for 4 per 1,000",
    estate: tel({ concurrent_calls: 30 }),
    asOf: D,
    policy: policy({ min_concurrent_calls_per_1000: 4 }),
    status: "partial",
    reason: /40 needed for 10,000 patients at 4 per 1,000/,
  },
  none("TEL-06"),

  // TEL-10: call data sharing (cloud only; from 1 October 2024).
  { rule: "TEL-10", name: "sharing", estate: tel(), asOf: D, status: "met" },
  { rule: "TEL-10", name: "not sharing", estate: tel({ cbt_data_sharing: false }), asOf: D, status: "not_met" },
  { rule: "TEL-10", name: "not recorded", estate: tel({ cbt_data_sharing: null }), asOf: D, status: "unknown" },
  { rule: "TEL-10", name: "not cloud", estate: tel(analogue), asOf: D, status: "not_applicable" },
  {
    rule: "TEL-10",
    name: "before the Data Provision Notice",
    estate: tel({ cbt_data_sharing: false }),
    asOf: "2024-09-30",
    status: "not_applicable",
    engine: true,
    reason: "This requirement applies from 1 October 2024.",
  },
  {
    rule: "TEL-10",
    name: "on the first day of the notice",
    estate: tel({ cbt_data_sharing: false }),
    asOf: "2024-10-01",
    status: "not_met",
    engine: true,
  },
  none("TEL-10"),

  // TEL-11: remote agents; multi-site only when there is more than one open site.
  { rule: "TEL-11", name: "remote agents, one site", estate: tel({ multi_site: false }), asOf: D, status: "met" },
  {
    rule: "TEL-11",
    name: "two sites without multi-site",
    estate: estate({ sites: [site(), branch()], telephony: telephony({ multi_site: false }) }),
    asOf: D,
    status: "partial",
  },
  { rule: "TEL-11", name: "no remote agents", estate: tel({ remote_agents: false }), asOf: D, status: "not_met" },
  { rule: "TEL-11", name: "not recorded", estate: tel({ remote_agents: null }), asOf: D, status: "unknown" },
  none("TEL-11"),

  // TEL-12: no premium-rate number.
  { rule: "TEL-12", name: "geographic number", estate: tel(), asOf: D, status: "met" },
  {
    rule: "TEL-12",
    name: "0844 number",
    estate: tel({ main_number: "0844 477 3000" }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "number_change", quantity: 1 }]),
  },
  { rule: "TEL-12", name: "number not recorded", estate: tel({ main_number: null }), asOf: D, status: "unknown" },
  none("TEL-12"),

  // TEL-15: analogue lines against the PSTN switch-off (31 January 2027 by default).
  { rule: "TEL-15", name: "no analogue lines", estate: estate(), asOf: D, status: "met" },
  {
    rule: "TEL-15",
    name: "lines on the switch-off day",
    estate: estate({ sites: [site({ analogue_lines: 3 })] }),
    asOf: "2027-01-31",
    status: "partial",
    reason: /3 analogue lines at 1 site: they need to move before the PSTN switch-off on 31 January 2027/,
    check: (f) => expect(f.units).toEqual([{ kind: "analogue_line_migration", quantity: 3 }]),
  },
  {
    rule: "TEL-15",
    name: "lines the day after switch-off",
    estate: estate({ sites: [site({ analogue_lines: 3 })] }),
    asOf: "2027-02-01",
    status: "not_met",
  },
  { rule: "TEL-15", name: "analogue phone system", estate: tel(analogue), asOf: D, status: "partial" },
  { rule: "TEL-15", name: "lines not recorded", estate: estate({ sites: [site({ analogue_lines: null })] }), asOf: D, status: "unknown" },
  { rule: "TEL-15", name: "nothing recorded", estate: estate({ sites: [], telephony: null }), asOf: D, status: "unknown" },
  { rule: "TEL-15", name: "no lines but no phone system recorded", estate: estate({ telephony: null }), asOf: D, status: "unknown" },

  // BCP-04: cloud telephony and a resilient line at the main site.
  { rule: "BCP-04", name: "cloud and resilient line", estate: estate(), asOf: D, status: "met" },
  {
    rule: "BCP-04",
    name: "cloud, single line",
    estate: estate({ sites: [site({ resilient_line: false })] }),
    asOf: D,
    status: "partial",
    check: (f) =>
      expect(f.units).toEqual([
        { kind: "resilient_line", quantity: 1 },
        { kind: "resilient_line_rental", quantity: 1 },
      ]),
  },
  {
    rule: "BCP-04",
    name: "analogue, single line",
    estate: estate({ sites: [site({ resilient_line: false })], telephony: telephony(analogue) }),
    asOf: D,
    status: "not_met",
  },
  { rule: "BCP-04", name: "line not recorded", estate: estate({ sites: [site({ resilient_line: null })] }), asOf: D, status: "unknown" },
  none("BCP-04"),
];
