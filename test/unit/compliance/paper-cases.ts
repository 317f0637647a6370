import { expect } from "vitest";
import type { LloydGeorgeRecord, PaperActivityRecord } from "~/modules/compliance/rules";
import { estate, policy } from "../../support/compliance-estate";
import type { RuleCase } from "./cases";

const D = "2026-11-22"; // the last 12 whole months are November 2025 to October 2026

const lg = (over: Partial<LloydGeorgeRecord> = {}): LloydGeorgeRecord => ({
  envelopes_on_site: 6000,
  envelopes_elsewhere: 2000,
  digitised: 3000,
  destroyed: 1000,
  new_envelopes_since_2021: 0,
  supplier: "Scan Co",
  supplier_approved: true,
  contract_start: "2026-01-01",
  contract_end: "2027-12-31",
  destruction_approved_on: "2026-06-01",
  ...over,
});

let id = 1;
const YM = (i: number) => {
  const t = 2025 * 12 + 10 + i; // i = 0 → November 2025
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`;
};
const lastDay = (ym: string) => `${ym}-${new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate()}`;
const month = (i: number, over: Partial<PaperActivityRecord> = {}): PaperActivityRecord => ({
  id: id++,
  site_code: null,
  period_start: `${YM(i)}-01`,
  period_end: lastDay(YM(i)),
  sheets_printed: 10_000,
  recycled_share_pct: 100,
  letters_posted: 200,
  sms_sent: 700,
  nhs_app_messages: 100,
  emails_sent: 0,
  ...over,
});
const year = (over: Partial<PaperActivityRecord> = {}, n = 12) => Array.from({ length: n }, (_, i) => month(i, over));

export const PAPER_CASES: RuleCase[] = [
  // PAP-01: digitisation.
  { rule: "PAP-01", name: "no counts", estate: estate(), asOf: D, status: "unknown", reason: /No Lloyd George record counts/ },
  {
    rule: "PAP-01",
    name: "a count missing",
    estate: estate({ lloydGeorge: lg({ envelopes_elsewhere: null }) }),
    asOf: D,
    status: "unknown",
    reason: "Not recorded: envelopes held elsewhere, so this cannot be checked.",
  },
  {
    rule: "PAP-01",
    name: "part digitised",
    estate: estate({ lloydGeorge: lg() }),
    asOf: D,
    status: "partial",
    // 6,000 + 2,000 held + 1,000 destroyed = 9,000 records; 3,000 digitised.
    reason:
      /^3,000 of 9,000 Lloyd George records have been digitised; 6,000 are still on paper only\. A digitisation contract with Scan Co runs to 31 December 2027\./,
    check: (f) => expect(f.units).toEqual([{ kind: "lloyd_george_digitisation", quantity: 6000 }]),
  },
  {
    rule: "PAP-01",
    name: "none digitised",
    estate: estate({ lloydGeorge: lg({ digitised: 0, destroyed: 0 }) }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "lloyd_george_digitisation", quantity: 8000 }]),
  },
  {
    rule: "PAP-01",
    name: "all digitised",
    estate: estate({ lloydGeorge: lg({ envelopes_on_site: 500, envelopes_elsewhere: 0, digitised: 1500, destroyed: 1000 }) }),
    asOf: D,
    status: "met",
    check: (f) => expect(f.units).toEqual([]),
  },
  {
    rule: "PAP-01",
    name: "no paper at all",
    estate: estate({ lloydGeorge: lg({ envelopes_on_site: 0, envelopes_elsewhere: 0, digitised: 0, destroyed: 0 }) }),
    asOf: D,
    status: "met",
    reason: "The practice holds no paper Lloyd George records.",
  },

  // PAP-02: destruction after scanning.
  { rule: "PAP-02", name: "no counts", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "PAP-02",
    name: "destroyed not recorded",
    estate: estate({ lloydGeorge: lg({ destroyed: null }) }),
    asOf: D,
    status: "unknown",
    reason: /envelopes destroyed/,
  },
  {
    rule: "PAP-02",
    name: "nothing scanned yet",
    estate: estate({ lloydGeorge: lg({ digitised: 0, destroyed: 0 }) }),
    asOf: D,
    status: "not_applicable",
  },
  {
    rule: "PAP-02",
    name: "some destroyed",
    estate: estate({ lloydGeorge: lg() }),
    asOf: D,
    status: "partial",
    reason: /^2,000 of 3,000 scanned envelopes are still kept on paper/,
    check: (f) => expect(f.units).toEqual([{ kind: "lloyd_george_destruction", quantity: 2000 }]),
  },
  {
    rule: "PAP-02",
    name: "none destroyed",
    estate: estate({ lloydGeorge: lg({ destroyed: 0 }) }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "lloyd_george_destruction", quantity: 3000 }]),
  },
  { rule: "PAP-02", name: "all destroyed", estate: estate({ lloydGeorge: lg({ destroyed: 3000 }) }), asOf: D, status: "met" },

  // PAP-03: no new envelopes.
  { rule: "PAP-03", name: "no counts", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "PAP-03",
    name: "not recorded",
    estate: estate({ lloydGeorge: lg({ new_envelopes_since_2021: null }) }),
    asOf: D,
    status: "unknown",
  },
  { rule: "PAP-03", name: "none", estate: estate({ lloydGeorge: lg() }), asOf: D, status: "met" },
  {
    rule: "PAP-03",
    name: "some",
    estate: estate({ lloydGeorge: lg({ new_envelopes_since_2021: 3 }) }),
    asOf: D,
    status: "not_met",
    reason: /3 new paper envelopes were started/,
  },

  // PAP-04: letters to digital (target 80% by default).
  { rule: "PAP-04", name: "nothing recorded", estate: estate(), asOf: D, status: "unknown", reason: /at least 6 months; none is recorded/ },
  {
    rule: "PAP-04",
    name: "only 5 months",
    estate: estate({ paper: year({}, 5) }),
    asOf: D,
    status: "unknown",
    reason: /only 5 months are recorded/,
  },
  {
    rule: "PAP-04",
    name: "a year at 80%",
    estate: estate({ paper: year() }),
    asOf: D,
    status: "met",
    reason: /^80% of patient messages were sent digitally \(9,600 of 12,000; 2,400 letters posted\)/,
  },
  {
    rule: "PAP-04",
    name: "8 months recorded names the gaps",
    estate: estate({ paper: year({}, 8) }),
    asOf: D,
    status: "met",
    reason: /Based on 8 of the last 12 months; not recorded: July 2026, August 2026, September 2026 and October 2026\./,
  },
  {
    rule: "PAP-04",
    name: "letters in last year's months do not count",
    estate: estate({ paper: [...year(), month(-3, { letters_posted: 99_999 })] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "PAP-04",
    name: "a year at 50%",
    estate: estate({ paper: year({ letters_posted: 800 }) }),
    asOf: D,
    status: "partial",
    check: (f) => expect(f.units).toEqual([]),
  },
  {
    rule: "PAP-04",
    name: "no digital messages at all",
    estate: estate({ paper: year({ sms_sent: 0, nhs_app_messages: 0 }) }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "digital_messaging_setup", quantity: 1 }]),
  },
  {
    rule: "PAP-04",
    name: "a lower local target",
    estate: estate({ paper: year({ letters_posted: 800 }) }),
    asOf: D,
    policy: policy({ digital_message_share_target: 0.5 }),
    status: "met",
  },
  {
    rule: "PAP-04",
    name: "a quarter recorded as one period counts for its three months",
    estate: estate({
      paper: [...year({}, 4), { ...month(4, { letters_posted: 600, sms_sent: 2100, nhs_app_messages: 300 }), period_end: "2026-05-31" }],
    }),
    asOf: D,
    status: "met",
    reason: /Based on 7 of the last 12 months/,
  },

  // PAP-05: recycled paper (target 100% by default).
  { rule: "PAP-05", name: "nothing recorded", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "PAP-05",
    name: "share not recorded",
    estate: estate({ paper: year({ recycled_share_pct: null }) }),
    asOf: D,
    status: "unknown",
    reason: /Sheets printed and the recycled paper share/,
  },
  {
    rule: "PAP-05",
    name: "all recycled",
    estate: estate({ paper: year() }),
    asOf: D,
    status: "met",
    reason: /^100% of the 120,000 sheets printed were recycled paper/,
  },
  { rule: "PAP-05", name: "half recycled", estate: estate({ paper: year({ recycled_share_pct: 50 }) }), asOf: D, status: "partial" },
  { rule: "PAP-05", name: "none recycled", estate: estate({ paper: year({ recycled_share_pct: 0 }) }), asOf: D, status: "not_met" },

  // PAP-06: carbon reported for each of the last 12 months.
  {
    rule: "PAP-06",
    name: "nothing recorded",
    estate: estate(),
    asOf: D,
    status: "unknown",
    reason: /No month from November 2025 to October 2026/,
  },
  { rule: "PAP-06", name: "every month", estate: estate({ paper: year() }), asOf: D, status: "met" },
  {
    rule: "PAP-06",
    name: "one month incomplete, two missing",
    estate: estate({ paper: [...year({}, 9), month(9, { emails_sent: null })] }),
    asOf: D,
    status: "partial",
    reason: "Carbon can be reported for 9 of the last 12 months; missing: August 2026 (incomplete), September 2026 and October 2026.",
  },
];
