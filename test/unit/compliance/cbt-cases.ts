import { estate, telephony } from "../../support/compliance-estate";
import type { CbtMonthRecord, TelephonyRecord } from "~/modules/compliance/rules";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const PUBLISHED = ["2026-09-01", "2026-10-01"];
const month = (m: string, over: Partial<CbtMonthRecord> = {}): CbtMonthRecord => ({
  month: m,
  inbound: 1200,
  answered: 1000,
  callback_made: 40,
  ...over,
});
const tel = (over: Partial<TelephonyRecord>, cbt: CbtMonthRecord[], published = PUBLISHED) =>
  estate({ telephony: telephony(over), cbt, cbtPublished: published });

// TEL-10 and TEL-04 from NHS England's cloud telephony data (rules/cbt.ts).
export const CBT_CASES: RuleCase[] = [
  {
    rule: "TEL-10",
    name: "in the latest month's data, whatever the record says",
    estate: tel({ cbt_data_sharing: false }, [month("2026-10-01")]),
    asOf: D,
    status: "met",
    reason: "NHS England's cloud telephony data for October 2026 includes this practice.",
  },
  {
    rule: "TEL-10",
    name: "missing from the latest month",
    estate: tel({ cbt_data_sharing: null }, [month("2026-09-01")]),
    asOf: D,
    status: "not_met",
    reason: /data for October 2026 does not include this practice: its call data is not being shared/,
  },
  {
    rule: "TEL-10",
    name: "missing, but the record says it shares (a shared account)",
    estate: tel({ cbt_data_sharing: true }, []),
    asOf: D,
    status: "unknown",
    reason: /may be sent under a phone account shared with other practices/,
  },
  // A month counts only once it is over: on 15 October the latest month that can count is September.
  {
    rule: "TEL-10",
    name: "a month's data counts after the month",
    estate: tel({ cbt_data_sharing: false }, [month("2026-09-01")]),
    asOf: "2026-10-15",
    status: "met",
    reason: /September 2026/,
  },
  {
    rule: "TEL-10",
    name: "no data imported: the record decides",
    estate: tel({ cbt_data_sharing: false }, [], []),
    asOf: D,
    status: "not_met",
    reason: /not shared with NHS England/,
  },
  {
    rule: "TEL-04",
    name: "call-backs made in the data, not in the record",
    estate: tel({ call_back: null }, [month("2026-10-01", { callback_made: 40 })]),
    asOf: D,
    status: "met",
    reason: "NHS England's cloud telephony data shows 40 call-backs made in October 2026.",
  },
  {
    rule: "TEL-04",
    name: "no call-backs made: the record decides",
    estate: tel({ call_back: false }, [month("2026-10-01", { callback_made: 0 })]),
    asOf: D,
    status: "not_met",
  },
];
