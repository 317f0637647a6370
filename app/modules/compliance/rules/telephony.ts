import { isPremiumNumber } from "~/modules/catalogue/phone-number";
import {
  NO_SITES,
  NO_TELEPHONY,
  combine,
  daysFrom,
  finding,
  formatDate,
  itemUnit,
  num,
  openSites,
  plural,
  sharedUnit,
  siteRef,
  units,
  verb,
} from "./helpers";
import { cbtLatest, cbtRef, monthName } from "./cbt";
import type { EvidenceRef, Finding, PracticeEstate, Rule, Status, TelephonyRecord, Unit } from "~/modules/catalogue/rule-types";

/**
 * The move to cloud telephony: set-up once, then licences every year. One shared unit for the
 * practice, so the requirements an analogue or ISDN system fails (features, capacity, the PSTN
 * switch-off, resilience) cost it once, under TEL-02 (remediation.ts).
 */
const MOVE_TO_CLOUD: Unit[] = [
  ...sharedUnit("telephony_migration", 1, "practice:telephony"),
  ...sharedUnit("cloud_telephony_licence", 1, "practice:telephony"),
];

const TYPE_LABELS: Record<TelephonyRecord["system_type"], string> = {
  analogue: "analogue lines",
  isdn: "ISDN lines",
  on_premises_digital: "an on-premises digital system",
  cloud: "cloud-based telephony",
};
const isLegacy = (t: TelephonyRecord) => t.system_type === "analogue" || t.system_type === "isdn";
const ref = (t: TelephonyRecord, outcome?: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "telephony_system",
  id: String(t.id),
  label: `${t.supplier ?? "Telephony"} (${TYPE_LABELS[t.system_type]})`,
  outcome,
});
const outcomeOf = (s: Status): EvidenceRef["outcome"] => (s === "met" ? "ok" : s === "unknown" ? "unknown" : "fail");

/** With no current system recorded, every telephony check is not known. */
function withTelephony(check: (t: TelephonyRecord, e: PracticeEstate, policy: Parameters<Rule>[1], asOf: string) => Finding): Rule {
  return (e, policy, asOf) => (e.telephony ? check(e.telephony, e, policy, asOf) : finding("unknown", NO_TELEPHONY));
}

type FeatureKey =
  | "call_back"
  | "call_queuing"
  | "queue_position_message"
  | "ivr_routing"
  | "clinical_system_integration"
  | "realtime_reporting"
  | "historic_reporting"
  | "remote_agents"
  | "multi_site";

interface Feature {
  key: FeatureKey;
  label: string;
}
// Each rule's features, made once rather than per call.
const CALL_BACK: readonly Feature[] = [{ key: "call_back", label: "call-back" }];
const QUEUING: readonly Feature[] = [
  { key: "call_queuing", label: "call queuing" },
  { key: "queue_position_message", label: "queue position messages" },
];
const IVR: readonly Feature[] = [{ key: "ivr_routing", label: "call routing (IVR)" }];
const INTEGRATION: readonly Feature[] = [{ key: "clinical_system_integration", label: "clinical system integration" }];
const REPORTING: readonly Feature[] = [
  { key: "realtime_reporting", label: "real-time reporting" },
  { key: "historic_reporting", label: "historic reporting" },
];
const REMOTE: readonly Feature[] = [{ key: "remote_agents", label: "remote call handling" }];
const REMOTE_MULTI_SITE: readonly Feature[] = [...REMOTE, { key: "multi_site", label: "calls shared across sites" }];

/**
 * Features a system has or lacks. Analogue and ISDN lines cannot offer them, and the fix is the
 * move to cloud telephony (TEL-02), so no separate units are counted for them.
 */
function features(parts: readonly Feature[], t: TelephonyRecord): Finding {
  // One pass sorts the features into has, lacks and not recorded (six rules ask this of every practice).
  const statuses: Status[] = [];
  const has: string[] = [];
  const lacks: string[] = [];
  const unknown: string[] = [];
  for (const p of parts) {
    if (t[p.key] === true) {
      statuses.push("met");
      has.push(p.label);
    } else if (t[p.key] === false || isLegacy(t)) {
      statuses.push("not_met");
      lacks.push(p.label);
    } else {
      statuses.push("unknown");
      unknown.push(p.label);
    }
  }
  const status = combine(statuses);
  const reasons: string[] = [];
  if (has.length) reasons.push(`The phone system offers ${has.join(" and ")}.`);
  if (lacks.length)
    reasons.push(
      isLegacy(t)
        ? `${capital(TYPE_LABELS[t.system_type])} cannot offer ${lacks.join(" or ")}; moving to cloud telephony (TEL-02) fixes this.`
        : `The phone system does not offer ${lacks.join(" or ")}.`,
    );
  if (unknown.length) reasons.push(`Whether it offers ${unknown.join(" or ")} is not recorded.`);
  return finding(
    status,
    reasons.join(" "),
    [ref(t, outcomeOf(status))],
    lacks.length === 0 ? [] : isLegacy(t) ? MOVE_TO_CLOUD : units(["telephony_feature_upgrade", 1]),
  );
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** TEL-04: call-back. Call-backs made in NHS England's latest month of data show the system has it, whatever the record says. */
export const tel04 = withTelephony((t, e, _policy, asOf) => {
  const cbt = t.system_type === "cloud" && t.call_back !== true ? cbtLatest(e, asOf) : null;
  if (cbt?.row?.callback_made) {
    return finding(
      "met",
      `NHS England's cloud telephony data shows ${plural(cbt.row.callback_made, "call-back")} made in ${monthName(cbt.month)}.`,
      [cbtRef(cbt, "ok"), ref(t)],
    );
  }
  return features(CALL_BACK, t);
});
export const tel05 = withTelephony((t) => features(QUEUING, t));
export const tel07 = withTelephony((t) => features(IVR, t));
export const tel08 = withTelephony((t) => features(INTEGRATION, t));
export const tel09 = withTelephony((t) => features(REPORTING, t));
export const tel11 = withTelephony((t, e, _p, asOf) => features(openSites(e, asOf).length > 1 ? REMOTE_MULTI_SITE : REMOTE, t));

/** TEL-02: cloud telephony; an on-premises digital system may run to the end of its contract. */
export const tel02 = withTelephony((t, _e, policy, asOf) => {
  const r = [ref(t)];
  const upcoming =
    t.contract_end && t.contract_end >= asOf && daysFrom(asOf, t.contract_end) <= policy.contract_warning_days
      ? [
          {
            date: t.contract_end,
            message:
              t.system_type === "cloud"
                ? `The telephony contract ends on ${formatDate(t.contract_end)}; a renewal must be with a Better Purchasing Framework supplier.`
                : `The telephony contract ends on ${formatDate(t.contract_end)}, when the practice must move to cloud telephony.`,
          },
        ]
      : [];
  if (t.system_type === "cloud") return finding("met", "The practice uses cloud-based telephony.", [ref(t, "ok")], [], upcoming);
  const move = MOVE_TO_CLOUD;
  if (isLegacy(t))
    return finding(
      "not_met",
      `The practice still uses ${TYPE_LABELS[t.system_type]} and must move to cloud-based telephony.`,
      [ref(t, "fail")],
      move,
      upcoming,
    );
  if (!t.contract_end)
    return finding(
      "partial",
      "The practice uses an on-premises digital system; it must move to cloud telephony when the contract ends, but the end date is not recorded.",
      [ref(t, "unknown")],
      move,
    );
  if (t.contract_end >= asOf)
    return finding(
      "partial",
      `The practice uses an on-premises digital system; it must move to cloud telephony when the contract ends on ${formatDate(t.contract_end)}.`,
      r,
      move,
      upcoming,
    );
  return finding(
    "not_met",
    `The on-premises phone contract ended on ${formatDate(t.contract_end)} and the practice has not moved to cloud telephony.`,
    [ref(t, "fail")],
    move,
  );
});

const BPF_START = "2023-04-01";

/** TEL-03: contracts from April 2023 are with a Better Purchasing Framework supplier. */
export const tel03 = withTelephony((t) => {
  if (t.on_bpf === true) return finding("met", `${t.supplier ?? "The supplier"} is on the Better Purchasing Framework.`, [ref(t, "ok")]);
  if (t.contract_start && t.contract_start < BPF_START) {
    return finding(
      "not_applicable",
      `The current contract began on ${formatDate(t.contract_start)}, before the framework applied; it applies when the contract is renewed.`,
      [ref(t)],
    );
  }
  if (!t.contract_start)
    return finding("unknown", "The contract start date is not recorded, so it is not known whether the framework applies.", [
      ref(t, "unknown"),
    ]);
  if (t.on_bpf === false)
    return finding(
      "not_met",
      `The contract began on ${formatDate(t.contract_start)} with ${t.supplier ?? "a supplier"} that is not on the Better Purchasing Framework.`,
      [ref(t, "fail")],
    );
  return finding("unknown", `Whether ${t.supplier ?? "the supplier"} is on the Better Purchasing Framework is not recorded.`, [
    ref(t, "unknown"),
  ]);
});

/** TEL-06: simultaneous call capacity for the list size (local policy: calls per 1,000 patients). */
export const tel06 = withTelephony((t, e, policy) => {
  if (isLegacy(t)) {
    const limit = t.lines ?? t.concurrent_calls;
    return finding(
      "not_met",
      `${capital(TYPE_LABELS[t.system_type])} limit calls to the number of physical lines${limit ? ` (${num(limit)})` : ""}; moving to cloud telephony (TEL-02) removes the limit.`,
      [ref(t, "fail")],
      MOVE_TO_CLOUD,
    );
  }
  if (!e.practice.list_size)
    return finding("unknown", "The practice's list size is not known, so the calls it needs cannot be worked out.", [ref(t, "unknown")]);
  const needed = Math.max(1, Math.ceil((e.practice.list_size / 1000) * policy.min_concurrent_calls_per_1000));
  const basis = `${num(needed)} needed for ${num(e.practice.list_size)} patients at ${num(policy.min_concurrent_calls_per_1000)} per 1,000`;
  if (t.concurrent_calls === null) {
    return t.system_type === "cloud"
      ? finding("met", "Cloud telephony is not limited by physical lines.", [ref(t, "ok")])
      : finding("unknown", `The system's simultaneous call capacity is not recorded (${basis}).`, [ref(t, "unknown")]);
  }
  if (t.concurrent_calls >= needed)
    return finding("met", `The system takes ${plural(t.concurrent_calls, "call")} at once (${basis}).`, [ref(t, "ok")]);
  const status: Status = t.concurrent_calls * 2 >= needed ? "partial" : "not_met";
  return finding(
    status,
    `The system takes only ${plural(t.concurrent_calls, "call")} at once (${basis}).`,
    [ref(t, "fail")],
    units(["telephony_capacity_upgrade", needed - t.concurrent_calls]),
  );
});

/**
 * TEL-10: call data shared with NHS England (cloud telephony only). Once NHS England's data has
 * been imported it answers (rules/cbt.ts): included in the latest month is met; missing is not
 * met, unless the telephony record says the data is shared, when it may be under a phone account
 * shared with other practices ("Unassigned" in the data) and so is not known.
 */
export const tel10 = withTelephony((t, e, _policy, asOf) => {
  if (t.system_type !== "cloud")
    return finding("not_applicable", "The national call data collection covers cloud telephony; this practice does not use it yet.", [
      ref(t),
    ]);
  const cbt = cbtLatest(e, asOf);
  if (cbt?.row)
    return finding("met", `NHS England's cloud telephony data for ${monthName(cbt.month)} includes this practice.`, [cbtRef(cbt, "ok")]);
  if (cbt && t.cbt_data_sharing === true) {
    return finding(
      "unknown",
      `NHS England's cloud telephony data for ${monthName(cbt.month)} does not include this practice by its code, though its telephony record says call data is shared: it may be sent under a phone account shared with other practices, which the data cannot attribute.`,
      [cbtRef(cbt, "unknown"), ref(t, "ok")],
    );
  }
  if (cbt)
    return finding(
      "not_met",
      `NHS England's cloud telephony data for ${monthName(cbt.month)} does not include this practice: its call data is not being shared, which the Data Provision Notice requires.`,
      [cbtRef(cbt, "fail"), ref(t)],
    );
  if (t.cbt_data_sharing === true) return finding("met", "Monthly call data is shared with NHS England.", [ref(t, "ok")]);
  if (t.cbt_data_sharing === false)
    return finding("not_met", "Monthly call data is not shared with NHS England, which the Data Provision Notice requires.", [
      ref(t, "fail"),
    ]);
  return finding("unknown", "Whether call data is shared with NHS England is not recorded.", [ref(t, "unknown")]);
});

/** TEL-12: the main number costs no more than a local call. */
export const tel12 = withTelephony((t) => {
  if (!t.main_number) return finding("unknown", "The practice's main number is not recorded.", [ref(t, "unknown")]);
  if (isPremiumNumber(t.main_number))
    return finding(
      "not_met",
      `The main number ${t.main_number} costs callers more than a local call.`,
      [ref(t, "fail")],
      units(["number_change", 1]),
    );
  return finding("met", `The main number ${t.main_number} is not a premium-rate number. The out-of-hours message is attested separately.`, [
    ref(t, "ok"),
  ]);
});

/** TEL-15: nothing depends on analogue or ISDN lines after the PSTN switch-off. */
export const tel15: Rule = (e, policy, asOf) => {
  const sites = openSites(e, asOf);
  if (sites.length === 0 && !e.telephony) return finding("unknown", NO_SITES);
  const switchOff = policy.pstn_switch_off_date;
  const after = asOf > switchOff;
  const withLines = sites.filter((s) => (s.analogue_lines ?? 0) > 0);
  const lines = withLines.reduce((n, s) => n + (s.analogue_lines ?? 0), 0);
  const unknownSites = sites.filter((s) => s.analogue_lines === null);
  const legacy = e.telephony ? isLegacy(e.telephony) : false;
  const evidence: EvidenceRef[] = [
    ...sites.map((s) => siteRef(s, (s.analogue_lines ?? 0) > 0 ? "fail" : s.analogue_lines === null ? "unknown" : "ok")),
    ...(e.telephony ? [ref(e.telephony, legacy ? "fail" : "ok")] : []),
  ];
  const u = [...units(["analogue_line_migration", lines]), ...(legacy ? MOVE_TO_CLOUD : [])];
  if (lines > 0 || legacy) {
    const what = [
      ...(lines ? [`${plural(lines, "analogue line")} at ${plural(withLines.length, "site")}`] : []),
      ...(legacy ? [`the phone system runs on ${TYPE_LABELS[e.telephony!.system_type]}`] : []),
    ].join(", and ");
    const reason = after
      ? `${capital(what)}, but the PSTN was switched off on ${formatDate(switchOff)}.`
      : `${capital(what)}: ${verb(lines + (legacy ? 1 : 0), "it needs", "they need")} to move before the PSTN switch-off on ${formatDate(switchOff)}.`;
    const upcoming =
      !after && daysFrom(asOf, switchOff) <= policy.eos_warning_days
        ? [{ date: switchOff, message: `The PSTN switch-off is on ${formatDate(switchOff)}.` }]
        : [];
    return finding(after ? "not_met" : "partial", reason, evidence, u, upcoming);
  }
  if (sites.length === 0) return finding("unknown", NO_SITES, evidence);
  if (unknownSites.length)
    return finding("unknown", `Analogue lines are not recorded for ${plural(unknownSites.length, "site")}.`, evidence);
  if (!e.telephony)
    return finding("unknown", `No analogue lines are recorded at the practice's sites, but its phone system is not recorded.`, evidence);
  return finding(
    "met",
    `No analogue lines are recorded at the practice's ${plural(sites.length, "open site")}, and the phone system is digital.`,
    evidence,
  );
};

/** BCP-04: cloud telephony on a resilient line at the main site. */
export const bcp04 = withTelephony((t, e, _policy, asOf) => {
  const main = openSites(e, asOf).find((s) => s.kind === "main");
  const cloud: Status = t.system_type === "cloud" ? "met" : "not_met";
  const line: Status = !main || main.resilient_line === null ? "unknown" : main.resilient_line ? "met" : "not_met";
  const reasons = [
    t.system_type === "cloud"
      ? "Cloud telephony can divert calls if the building is out of action."
      : `${capital(TYPE_LABELS[t.system_type])} cannot divert calls away from the building.`,
    line === "unknown"
      ? "Whether the main site has a resilient line is not recorded."
      : line === "met"
        ? "The main site has a resilient line."
        : "The main site has no resilient line.",
  ];
  return finding(
    combine([cloud, line]),
    reasons.join(" "),
    [ref(t, outcomeOf(cloud)), ...(main ? [siteRef(main, outcomeOf(line))] : [])],
    [
      ...(cloud === "not_met" ? MOVE_TO_CLOUD : []),
      ...(line === "not_met" && main
        ? itemUnit("resilient_line", [`site:${main.code}`]).concat(itemUnit("resilient_line_rental", [`site:${main.code}`]))
        : []),
    ],
  );
});
