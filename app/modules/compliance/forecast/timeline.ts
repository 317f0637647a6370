import { AUTOMATIC_REQUIREMENTS, type Requirement } from "~/modules/catalogue";
import { evaluateRaw } from "~/modules/compliance/engine";
import { isReplacement, mootIfReplaced, ownerRank, unitKeys } from "~/modules/compliance/remediation";
import { supportStatus, type LifecycleRow } from "~/modules/os-lifecycle/support";
import {
  RULES,
  STATUS_LABELS,
  type Finding,
  type PolicyValues,
  type PracticeEstate,
  type Status,
  type Unit,
} from "~/modules/compliance/rules";
import { addDays, addYears } from "~/modules/compliance/rules/helpers";
import { estimateUnits, unitLabel, type Estimate, type PriceBook } from "~/modules/pricing/costing";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { dsptValidUntil } from "~/modules/compliance/rules/dspt";
import { LEVEL_LABELS } from "~/modules/catalogue/cyber-essentials";
import { EXTERNAL_DATE_LIST } from "~/modules/catalogue/external-dates";

/**
 * The forecast as a timeline: every date on which some result changes if nothing is replaced,
 * renewed or upgraded, for every requirement the rules can project (met today or not), with
 * what changes (status and extent) and what the change costs. Pure: the rules are
 * (estate, policy, asOf) → finding, so the future is the same rules on future dates, in memory.
 */

/** One change of one requirement at one practice on one date. */
export interface ForecastEvent {
  /** First day the change shows (support ends at the end of its last day, so the day after). */
  date: string;
  financialYear: number;
  practiceCode: string;
  requirementId: string;
  from: { status: Status; failing: number };
  to: { status: Status; failing: number; reason: string };
  /** Plain words: "Partly met → Not met; 14 more devices fail (20 in all); +14 Operating system upgrade". */
  change: string;
  /** Worse: the status drops, or more records fail, or more work is needed. */
  worse: boolean;
  /** The known dates that fall on this day (an OS's end of support, the PSTN switch-off…). */
  drivers: string[];
  /** The remediation units this change adds (the extra work it brings). */
  addedUnits: Unit[];
  /** The added units priced with the ICB's price book on the event date; null when not worse or nothing is added. */
  estimate: Estimate | null;
}

/** Requirements the forecast covers: checks of recent activity (patching, anti-virus) cannot be projected. */
export const FORECASTABLE: readonly Requirement[] = AUTOMATIC_REQUIREMENTS.filter((r) => RULES.get(r.id)?.forecastable);

const RANK: Record<Status, number> = { not_applicable: 3, met: 3, partial: 2, not_met: 1, unknown: 0 };
const failingOf = (f: Finding) => f.evidence.filter((r) => r.outcome === "fail").length;
const unitsKey = (u: readonly Unit[]) =>
  u
    .map((x) => `${x.kind}:${x.quantity}`)
    .sort()
    .join(",");
/** What makes two findings the same for the forecast: status, failing records and work needed (not the wording). */
const shapeKey = (f: Finding) => `${f.status}|${failingOf(f)}|${unitsKey(f.units)}`;

/** Units in `to` beyond those in `from`, kind by kind. */
export function addedUnits(from: readonly Unit[], to: readonly Unit[]): Unit[] {
  const before = new Map<string, number>();
  for (const u of from) before.set(u.kind, (before.get(u.kind) ?? 0) + u.quantity);
  const after = new Map<string, number>();
  for (const u of to) after.set(u.kind, (after.get(u.kind) ?? 0) + u.quantity);
  const out: Unit[] = [];
  for (const [kind, q] of after)
    if (q > (before.get(kind) ?? 0)) out.push({ kind: kind as Unit["kind"], quantity: q - (before.get(kind) ?? 0) });
  return out;
}

/**
 * The work a practice needs, claimed thing by thing as remediation.ts's costOnce does (one device
 * replaced, the practice's remote capacity, its move to cloud telephony): the forecast costs each
 * thing once, at the first change that needs it, whatever requirements fail on it. Work today's
 * findings already need is in today's gaps and is never costed again.
 */
class Claims {
  private readonly items = new Set<string>();
  private readonly refs = new Map<string, number>();

  /** The units of `units` whose things are not yet claimed, claimed now; units with no things are left out. */
  take(units: readonly Unit[]): Unit[] {
    const out = new Map<Unit["kind"], number>();
    // Replacements first: the OS upgrade or warranty of a device replaced is then not needed.
    const ordered = [...units].sort((a, b) => Number(isReplacement(b.kind)) - Number(isReplacement(a.kind)));
    for (const u of ordered) {
      let n = 0;
      if (u.items) {
        for (const [i, key] of unitKeys(u).entries()) {
          if (mootIfReplaced(u.kind) && this.items.has(`replace|${u.items[i]}`)) continue;
          if (this.items.has(key)) continue;
          this.items.add(key);
          n++;
        }
      } else if (u.ref) {
        // One thing for the whole quantity (laptops short of remote capacity): only growth is new.
        const key = unitKeys(u)[0];
        const had = this.refs.get(key) ?? 0;
        if (u.quantity > had) {
          n = u.quantity - had;
          this.refs.set(key, u.quantity);
        }
      }
      if (n > 0) out.set(u.kind, (out.get(u.kind) ?? 0) + n);
    }
    return [...out].map(([kind, quantity]) => ({ kind, quantity }));
  }
}

const keyed = (units: readonly Unit[]) => units.filter((u) => u.items || u.ref);
const unkeyed = (units: readonly Unit[]) => units.filter((u) => !u.items && !u.ref);
/** Units of `all` beyond those in `part`, kind by kind (the work a change needs that is already costed). */
const beyond = (all: readonly Unit[], part: readonly Unit[]) => addedUnits(part, all);

/**
 * `added`: the work the change brings and is costed for; `already`: work it needs that today's
 * gaps or an earlier change already cost (shown, not costed again).
 */
function describe(from: Finding, to: Finding, added: Unit[], already: Unit[] = []): { change: string; worse: boolean } {
  const parts: string[] = [];
  if (from.status !== to.status) parts.push(`${STATUS_LABELS[from.status]} → ${STATUS_LABELS[to.status]}`);
  const a = failingOf(from);
  const b = failingOf(to);
  const noun = (n: number) => {
    const type = to.evidence.find((r) => r.outcome === "fail")?.type ?? from.evidence.find((r) => r.outcome === "fail")?.type;
    const word = type === "device" ? "device" : type === "site" ? "site" : "record";
    return n === 1 ? word : `${word}s`;
  };
  if (b > a) parts.push(`${(b - a).toLocaleString("en-GB")} more ${noun(b - a)} fail (${b.toLocaleString("en-GB")} in all)`);
  if (b < a) parts.push(`${(a - b).toLocaleString("en-GB")} fewer ${noun(a - b)} fail (${b.toLocaleString("en-GB")} in all)`);
  // "+39 Operating system upgrade (41 already costed)"; work wholly costed already: "Replace a desktop or thin client: 1 already costed".
  const before = new Map(already.map((u) => [u.kind, u.quantity]));
  for (const u of added) {
    const n = before.get(u.kind);
    before.delete(u.kind);
    parts.push(`+${u.quantity.toLocaleString("en-GB")} ${unitLabel(u.kind)}${n ? ` (${n.toLocaleString("en-GB")} already costed)` : ""}`);
  }
  for (const [kind, n] of before) parts.push(`${unitLabel(kind)}: ${n.toLocaleString("en-GB")} already costed`);
  const statusWorse = RANK[to.status] < RANK[from.status] && to.status !== "unknown";
  const statusBetter = RANK[to.status] > RANK[from.status] && from.status !== "unknown";
  const worse = statusWorse || (!statusBetter && (b > a || added.length > 0 || already.length > 0));
  return { change: parts.join("; ") || "Reason changes", worse };
}

/**
 * Dates to check, each with the day after: the same kinds as the engine's candidateDates (OS
 * support and ESU ends, warranty and contract ends, device birthdays, policy dates, requirement
 * start dates), but only the lifecycle rows of OSes the practice runs, plus every external
 * date (ESU year ends, PSTN switch-off, Identity Agent retirement). Also the labels that
 * explain each date.
 */
export function forecastDates(estate: PracticeEstate, policy: PolicyValues, asOf: string, until: string) {
  const dates = new Set<string>();
  const drivers = new Map<string, Set<string>>();
  const note = (d: string | null | undefined, label: string | null) => {
    if (!d) return;
    for (const x of [d, addDays(d, 1)]) {
      if (x <= asOf || x > until) continue;
      dates.add(x);
      if (label) (drivers.get(x) ?? drivers.set(x, new Set()).get(x)!).add(label);
    }
  };
  for (const x of EXTERNAL_DATE_LIST) note(x.date, x.label);
  // The lifecycle rows of the operating systems this practice's devices run (looked up through
  // os-lifecycle, so new lifecycle data flows in): every other OS's dates change nothing here.
  const rows = new Set<LifecycleRow>();
  for (const d of estate.devices) {
    const row = supportStatus(d, estate.lifecycle, asOf).lifecycle;
    if (row) rows.add(row);
  }
  for (const row of rows) {
    const name = [row.family, row.edition, row.version].filter(Boolean).join(" ");
    const named = EXTERNAL_DATE_LIST.some((x) => x.date === row.end_of_support && x.label.startsWith(row.family));
    note(row.end_of_support, named ? null : `${name} end of support`);
    note(row.extended_end, `${name} Extended Security Updates end`);
  }
  note(policy.pstn_switch_off_date, "PSTN switch-off (local policy date)");
  note(policy.smartcard_client_change_date, "Smartcard Connect becomes the default client");
  note(estate.telephony?.contract_end, "Telephony contract ends");
  // SEC-01 and SEC-05: a DSPT Met lapses 12 months after its cycle's deadline; a Cyber
  // Essentials certificate at its expiry date.
  for (const st of estate.dspt ?? []) note(dsptValidUntil(st.cycle), `DSPT ${st.cycle ?? ""} status lapses`.replace("  ", " "));
  for (const c of estate.cyberEssentials ?? []) note(c.expires_on, `${LEVEL_LABELS[c.level]} certificate ${c.certificate_number} expires`);
  const fromYear = Number(asOf.slice(0, 4));
  const toYear = Number(until.slice(0, 4));
  for (const d of estate.devices) {
    note(d.warranty_end, "A device's warranty ends");
    if (d.purchase_date) {
      const bought = Number(d.purchase_date.slice(0, 4));
      for (let y = Math.max(1, fromYear - bought); y <= toYear - bought + 1; y++)
        note(addYears(d.purchase_date, y), "A device reaches another year of age");
    }
  }
  for (const r of AUTOMATIC_REQUIREMENTS) note(r.appliesFrom, `${r.id} applies from this date`);
  note("2025-04-01", null); // CLN-14's date (engine.ts candidateDates)
  return { dates: [...dates].sort(), drivers };
}

/**
 * Every change for one practice between `asOf` (exclusive) and `until` (inclusive), in date order.
 *
 * Each projectable rule runs on its own: on the last candidate date of each month, and where
 * its answer differs from the month before, on the candidate dates between by halving the
 * interval until each change is pinned to its day. So the work grows with the number of changes
 * (times about five), not with the number of candidate dates (device birthdays, warranty ends:
 * hundreds a practice). A change that undoes itself within a month is not listed (dates mostly
 * end support, warranties, contracts and age allowances, so findings move one way; quarters
 * missed a paper-activity window that lapsed and recovered within five weeks, months do not).
 */
export function practiceTimeline(
  estate: PracticeEstate,
  policy: PolicyValues,
  asOf: string,
  until: string,
  book: PriceBook,
): ForecastEvent[] {
  return timelineFrom(estate, policy, timelineInputs(estate, policy, asOf, until), book);
}

/**
 * All that a practice's timeline reads of `asOf` and `until`: the candidate dates with their
 * labels, and the rules' findings on `asOf`. practiceTimeline reads the two dates nowhere
 * else, so for the same estate, policy and price book, two windows with equal inputs have the
 * same timeline (forecast/basis.server.ts uses this to carry a practice's share to a new day).
 */
export interface TimelineInputs {
  dates: string[];
  drivers: Map<string, Set<string>>;
  today: Map<string, Finding>;
}

export function timelineInputs(estate: PracticeEstate, policy: PolicyValues, asOf: string, until: string): TimelineInputs {
  const { dates, drivers } = forecastDates(estate, policy, asOf, until);
  return { dates, drivers, today: evaluateRaw(estate, policy, asOf, FORECASTABLE) };
}

/** practiceTimeline on inputs already worked out (timelineInputs). */
export function timelineFrom(
  estate: PracticeEstate,
  policy: PolicyValues,
  { dates, drivers, today }: TimelineInputs,
  book: PriceBook,
): ForecastEvent[] {
  // The last candidate date of each calendar month.
  const anchors: number[] = [];
  for (let i = 0; i < dates.length; i++) if (i === dates.length - 1 || dates[i + 1].slice(0, 7) !== dates[i].slice(0, 7)) anchors.push(i);
  // `today` holds the rules' own findings (units with the things they are for), so work is costed once below.
  const claims = new Claims();
  for (const f of today.values()) claims.take(f.units);
  const ids = FORECASTABLE.map((r) => r.id);
  const found: { req: Requirement; i: number; from: Finding; to: Finding }[] = [];
  for (const req of FORECASTABLE) {
    const at = (i: number) => evaluateRaw(estate, policy, dates[i], [req]).get(req.id)!;
    // Changes in (iLo, iHi]: dates[iLo] judged fLo (iLo -1 is asOf), dates[iHi] judged fHi.
    const between = (iLo: number, fLo: Finding, iHi: number, fHi: Finding) => {
      if (shapeKey(fLo) === shapeKey(fHi)) return;
      if (iHi - iLo === 1) {
        found.push({ req, i: iHi, from: fLo, to: fHi });
        return;
      }
      const mid = (iLo + iHi) >> 1;
      const fMid = at(mid);
      between(iLo, fLo, mid, fMid);
      between(mid, fMid, iHi, fHi);
    };
    let iPrev = -1;
    let fPrev = today.get(req.id)!;
    for (const i of anchors) {
      const f = at(i);
      between(iPrev, fPrev, i, f);
      iPrev = i;
      fPrev = f;
    }
  }
  // In date order, and on one day the requirement that owns the work first (remediation.ts).
  found.sort((a, b) => a.i - b.i || ownerRank(a.req.id, ids) - ownerRank(b.req.id, ids));
  const events: ForecastEvent[] = [];
  for (const { req, i, from, to } of found) {
    const d = dates[i];
    // What this change brings that no requirement has needed yet: things claimed now, and units
    // that are for no particular thing (by kind, against the requirement's own previous finding).
    const added = [...claims.take(keyed(to.units)), ...addedUnits(unkeyed(from.units), unkeyed(to.units))];
    const { change, worse } = describe(from, to, added, beyond(addedUnits(from.units, to.units), added));
    events.push({
      date: d,
      financialYear: financialYearOf(d),
      practiceCode: estate.practice.ods_code,
      requirementId: req.id,
      from: { status: from.status, failing: failingOf(from) },
      to: { status: to.status, failing: failingOf(to), reason: to.reason },
      change,
      worse,
      drivers: [...(drivers.get(d) ?? [])],
      addedUnits: added,
      // A change that adds no work (the PSTN date passing with today's lines already costed)
      // brings no new cost: its work is in today's gap.
      estimate:
        worse && added.length
          ? estimateUnits(added, { icbCode: estate.practice.icb_code, listSize: estate.practice.list_size }, book, d)
          : null,
    });
  }
  return events.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || a.practiceCode.localeCompare(b.practiceCode) || a.requirementId.localeCompare(b.requirementId),
  );
}
