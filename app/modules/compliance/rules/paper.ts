import { lloydGeorgeCounts } from "~/modules/catalogue/paper-records";
import { last12Months, monthOf, monthsBetween } from "~/utils/months";
import { finding, formatDate, list, memo, num, plural, sharedUnit, units } from "./helpers";
import type { EvidenceRef, PaperActivityRecord, PracticeEstate, Rule, Unit } from "~/modules/catalogue/rule-types";

/**
 * Digitising the practice's remaining Lloyd George records, and destroying the scanned envelopes:
 * shared units, so PAP-01, PAP-02 and PREM-03 (the floor space paper takes) cost them once.
 */
export function lloydGeorgeRemedy(e: PracticeEstate, what: "digitise" | "destroy" | "both"): Unit[] {
  const lg = e.lloydGeorge;
  if (!lg) return [];
  const c = lloydGeorgeCounts(lg);
  const left = c.notDigitised ?? 0;
  const pending = lg.digitised !== null && lg.destroyed !== null ? Math.max(0, lg.digitised - lg.destroyed) : 0;
  return [
    ...(what !== "destroy" ? sharedUnit("lloyd_george_digitisation", left, "practice:lloyd-george") : []),
    ...(what !== "digitise" ? sharedUnit("lloyd_george_destruction", pending, "practice:lloyd-george-destruction") : []),
  ];
}

/** PAP-01 to PAP-06: Lloyd George records and paper activity (issue 6). */

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
export const monthLabel = (ym: string) => `${MONTH_NAMES[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

/** Judging shares (digital messages, recycled paper) needs at least this many of the last 12 months. */
export const MIN_MONTHS_FOR_SHARE = 6;

const NO_LG =
  "No Lloyd George record counts are recorded for this practice (envelopes held, digitised and destroyed), so this cannot be checked.";
const LG_FIELDS = {
  envelopes_on_site: "envelopes on site",
  envelopes_elsewhere: "envelopes held elsewhere",
  digitised: "records digitised",
  destroyed: "envelopes destroyed",
} as const;

const lgRef = (e: PracticeEstate, outcome: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "lloyd_george",
  id: e.practice.ods_code,
  label: "Lloyd George records",
  outcome,
});

function lgMissing(e: PracticeEstate, fields: (keyof typeof LG_FIELDS)[]) {
  const missing = fields.filter((f) => e.lloydGeorge![f] === null).map((f) => LG_FIELDS[f]);
  return missing.length ? `Not recorded: ${list(missing)}, so this cannot be checked.` : null;
}

/** PAP-01: every Lloyd George record scanned to the national standard and uploaded. */
export const pap01: Rule = (e, _policy, asOf) => {
  const lg = e.lloydGeorge;
  if (!lg) return finding("unknown", NO_LG);
  const missing = lgMissing(e, ["envelopes_on_site", "envelopes_elsewhere", "digitised", "destroyed"]);
  if (missing) return finding("unknown", missing, [lgRef(e, "unknown")]);
  const c = lloydGeorgeCounts(lg);
  const total = c.total!;
  const left = c.notDigitised!;
  if (total === 0) return finding("met", "The practice holds no paper Lloyd George records.", [lgRef(e, "ok")]);
  if (left === 0)
    return finding("met", `All ${plural(total, "Lloyd George record")} have been scanned to the national standard and uploaded.`, [
      lgRef(e, "ok"),
    ]);
  const parts = [
    `${num(total - left)} of ${plural(total, "Lloyd George record")} ${total - left === 1 ? "has" : "have"} been digitised; ${num(left)} ${left === 1 ? "is" : "are"} still on paper only.`,
  ];
  const inForce = lg.contract_start && lg.contract_start <= asOf && (!lg.contract_end || lg.contract_end >= asOf);
  if (inForce)
    parts.push(
      `A digitisation contract${lg.supplier ? ` with ${lg.supplier}` : ""} runs${lg.contract_end ? ` to ${formatDate(lg.contract_end)}` : ""}.`,
    );
  if (lg.supplier_approved === false) parts.push("The scanning supplier is not recorded as an approved supplier.");
  return finding(total - left > 0 ? "partial" : "not_met", parts.join(" "), [lgRef(e, "fail")], lloydGeorgeRemedy(e, "digitise"));
};

/** PAP-02: envelopes scanned to standard are securely destroyed. */
export const pap02: Rule = (e) => {
  const lg = e.lloydGeorge;
  if (!lg) return finding("unknown", NO_LG);
  const missing = lgMissing(e, ["digitised", "destroyed"]);
  if (missing) return finding("unknown", missing, [lgRef(e, "unknown")]);
  const scanned = lg.digitised!;
  const destroyed = lg.destroyed!;
  if (scanned === 0)
    return finding("not_applicable", "No records have been scanned yet, so there are no envelopes to destroy.", [lgRef(e, "ok")]);
  const pending = Math.max(0, scanned - destroyed);
  const approved = lg.destruction_approved_on ? ` Destruction was approved on ${formatDate(lg.destruction_approved_on)}.` : "";
  if (pending === 0)
    return finding("met", `All ${plural(scanned, "scanned envelope")} have been securely destroyed.${approved}`, [lgRef(e, "ok")]);
  const reason = `${num(pending)} of ${plural(scanned, "scanned envelope")} ${pending === 1 ? "is" : "are"} still kept on paper and could be securely destroyed.${approved}`;
  return finding(destroyed > 0 ? "partial" : "not_met", reason, [lgRef(e, "fail")], lloydGeorgeRemedy(e, "destroy"));
};

/** PAP-03: no new paper envelopes since January 2021. */
export const pap03: Rule = (e) => {
  const lg = e.lloydGeorge;
  if (!lg) return finding("unknown", NO_LG);
  const n = lg.new_envelopes_since_2021;
  if (n === null)
    return finding("unknown", "Whether any new paper envelopes were started since January 2021 is not recorded.", [lgRef(e, "unknown")]);
  if (n === 0) return finding("met", "No new paper Lloyd George envelopes have been started since January 2021.", [lgRef(e, "ok")]);
  return finding(
    "not_met",
    `${plural(n, "new paper envelope")} ${n === 1 ? "was" : "were"} started since January 2021, when new envelopes stopped; each needs explaining.`,
    [lgRef(e, "fail")],
  );
};

type Field = keyof Omit<PaperActivityRecord, "id" | "site_code" | "period_start" | "period_end">;

/**
 * PAP-04, PAP-05 and PAP-06 read the same window of the same practice: worked out once per
 * estate and date (rules are pure, so the estate object itself is the cache key).
 */
const windows = new WeakMap<PracticeEstate, Map<string, ReturnType<typeof buildWindow>>>();
function window(e: PracticeEstate, asOf: string) {
  let byDate = windows.get(e);
  if (!byDate) windows.set(e, (byDate = new Map()));
  let w = byDate.get(asOf);
  if (!w) byDate.set(asOf, (w = buildWindow(e, asOf)));
  return w;
}

// Every practice has the same few periods and the same window: each worked out once (read only).
const monthsOf = memo((fromTo: string) => {
  const [from, to] = fromTo.split("|");
  return monthsBetween(from, to);
});
const windowMonths = memo(last12Months, 1000);

/**
 * The months a record covers. Records are monthly returns (all 122,000 of the national data
 * cover one month), and one month needs no key string and memo look-up: only spans do.
 */
function monthsOfRecord(r: PaperActivityRecord): readonly string[] {
  const from = monthOf(r.period_start);
  const to = monthOf(r.period_end);
  return from === to ? [from] : monthsOf(`${from}|${to}`);
}

/** The last 12 whole months, and for each the records covering it (a record spanning months is shared evenly). */
function buildWindow(e: PracticeEstate, asOf: string) {
  const months = windowMonths(asOf);
  const inWindow = new Set(months);
  const byMonth = new Map<string, { r: PaperActivityRecord; share: number }[]>();
  const records = new Set<PaperActivityRecord>();
  for (const r of e.paper) {
    const span = monthsOfRecord(r);
    for (const m of span) {
      if (!inWindow.has(m)) continue;
      const list = byMonth.get(m);
      if (list) list.push({ r, share: 1 / span.length });
      else byMonth.set(m, [{ r, share: 1 / span.length }]);
      records.add(r);
    }
  }
  /** Months where every covering record has all the given fields. */
  const known = (fields: Field[]) =>
    months.filter((m) => (byMonth.get(m) ?? []).length > 0 && byMonth.get(m)!.every(({ r }) => fields.every((f) => r[f] !== null)));
  const sum = (ms: string[], f: (r: PaperActivityRecord) => number) =>
    ms.reduce((s, m) => s + byMonth.get(m)!.reduce((t, { r, share }) => t + f(r) * share, 0), 0);
  const span = `${monthLabel(months[0])} to ${monthLabel(months[11])}`;
  const listed = [...records];
  return { months, byMonth, known, sum, span, records: listed, labels: listed.map(periodLabel) };
}

const periodLabel = (r: PaperActivityRecord) =>
  `Paper activity, ${monthOf(r.period_start) === monthOf(r.period_end) ? monthLabel(monthOf(r.period_start)) : `${monthLabel(monthOf(r.period_start))} to ${monthLabel(monthOf(r.period_end))}`}${r.site_code ? ` (site ${r.site_code})` : ""}`;
/**
 * Evidence for the window's records. PAP-04, PAP-05 and PAP-06 each list the same records, so
 * their labels are made once, with the window (`labels[i]` is `records[i]`'s).
 */
const windowRefs = (w: PaperWindow, outcome: (r: PaperActivityRecord) => EvidenceRef["outcome"]): EvidenceRef[] =>
  w.records.map((r, i) => ({ type: "paper_activity", id: String(r.id), label: w.labels[i], outcome: outcome(r) }));
type PaperWindow = ReturnType<typeof buildWindow>;

const pct = (share: number) => `${Math.round(share * 100)}%`;

function shareRule(opts: {
  fields: Field[];
  what: string;
  target: (p: Parameters<Rule>[1]) => number;
  part: (r: PaperActivityRecord) => number;
  whole: (r: PaperActivityRecord) => number;
  describe: (share: number, part: number, whole: number, target: number) => string;
  zeroWhole: string;
  unit?: "digital_messaging_setup";
}): Rule {
  return (e, policy, asOf) => {
    const w = window(e, asOf);
    const ms = w.known(opts.fields);
    if (ms.length < MIN_MONTHS_FOR_SHARE) {
      const have = ms.length === 0 ? "none is recorded" : `only ${plural(ms.length, "month")} ${ms.length === 1 ? "is" : "are"} recorded`;
      return finding(
        "unknown",
        `${opts.what} for ${w.span} is needed for at least ${MIN_MONTHS_FOR_SHARE} months; ${have}.`,
        windowRefs(w, () => "unknown"),
      );
    }
    const part = w.sum(ms, opts.part);
    const whole = w.sum(ms, opts.whole);
    const target = opts.target(policy);
    const gap =
      ms.length < 12
        ? ` Based on ${ms.length} of the last 12 months; not recorded: ${list(w.months.filter((m) => !ms.includes(m)).map(monthLabel))}.`
        : "";
    const refs = (o: EvidenceRef["outcome"]) => windowRefs(w, () => o);
    if (whole === 0) return finding("met", `${opts.zeroWhole}${gap}`, refs("ok"));
    const share = part / whole;
    const text = opts.describe(share, part, whole, target) + gap;
    if (share >= target - 1e-9) return finding("met", text, refs("ok"));
    if (part === 0) return finding("not_met", text, refs("fail"), opts.unit ? units([opts.unit, 1]) : []);
    return finding("partial", text, refs("fail"));
  };
}

/** PAP-04: patient letters moved to NHS App messages, text or email. */
export const pap04 = shareRule({
  fields: ["letters_posted", "sms_sent", "nhs_app_messages", "emails_sent"],
  what: "Letters posted and digital messages sent",
  target: (p) => p.digital_message_share_target,
  part: (r) => r.sms_sent! + r.nhs_app_messages! + r.emails_sent!,
  whole: (r) => r.letters_posted! + r.sms_sent! + r.nhs_app_messages! + r.emails_sent!,
  describe: (share, part, whole, target) =>
    `${pct(share)} of patient messages were sent digitally (${num(Math.round(part))} of ${num(Math.round(whole))}; ${num(Math.round(whole - part))} letters posted); the target is ${pct(target)}.`,
  zeroWhole: "No letters were posted and no messages sent in the months recorded.",
  unit: "digital_messaging_setup",
});

/** PAP-05: copier paper is recycled. */
export const pap05 = shareRule({
  fields: ["sheets_printed", "recycled_share_pct"],
  what: "Sheets printed and the recycled paper share",
  target: (p) => p.recycled_paper_share_target,
  part: (r) => (r.sheets_printed! * r.recycled_share_pct!) / 100,
  whole: (r) => r.sheets_printed!,
  describe: (share, _part, whole, target) =>
    `${pct(share)} of the ${num(Math.round(whole))} sheets printed were recycled paper; the target is ${pct(target)}.`,
  zeroWhole: "No paper was printed in the months recorded.",
});

const CARBON_FIELDS: Field[] = ["sheets_printed", "recycled_share_pct", "letters_posted", "sms_sent", "nhs_app_messages", "emails_sent"];

/** PAP-06: carbon from paper and post can be reported for each of the last 12 months. */
export const pap06: Rule = (e, _policy, asOf) => {
  const w = window(e, asOf);
  const ms = w.known(CARBON_FIELDS);
  const refs = windowRefs(w, (r) => (CARBON_FIELDS.every((f) => r[f] !== null) ? "ok" : "unknown"));
  if (ms.length === 12)
    return finding("met", `Paper, printing and post are recorded for every month from ${w.span}, so their carbon is reported.`, refs);
  const gaps = w.months.filter((m) => !ms.includes(m));
  const detail = (m: string) => ((w.byMonth.get(m) ?? []).length ? `${monthLabel(m)} (incomplete)` : monthLabel(m));
  if (ms.length === 0) {
    return finding(
      "unknown",
      `No month from ${w.span} has the sheets printed, recycled share, letters posted and digital messages needed to report carbon.`,
      refs,
    );
  }
  return finding("partial", `Carbon can be reported for ${ms.length} of the last 12 months; missing: ${list(gaps.map(detail))}.`, refs);
};
