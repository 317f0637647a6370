import { AUTOMATIC_REQUIREMENTS, requirementById, type Requirement } from "~/modules/catalogue";
import { addDays, addYears, formatDate } from "./rules/helpers";
import { RULES, type Finding, type PolicyValues, type PracticeEstate, type Status } from "./rules";
import { CLN14_YYGP_FROM } from "./rules/services";
import { inFrameworkVersion, notInForceFinding } from "./in-force";
import { dsptValidUntil } from "./rules/dspt";
import { costOnceInPlace } from "./remediation";
import { scoreResults, scoreSummary, type ScoreSummary } from "./scoring";

/**
 * Runs the rules for one practice. Pure: the estate, policy and as-of date are all it reads.
 * A requirement not yet in force on the as-of date, or not in the framework version the ICB's
 * policy has in force, is not applicable (and says why).
 * Each remediation unit is then costed once across the requirements evaluated together
 * (remediation.ts).
 */
export function evaluateEstate(
  estate: PracticeEstate,
  policy: PolicyValues,
  asOf: string,
  requirements: readonly Requirement[] = AUTOMATIC_REQUIREMENTS,
): Map<string, Finding> {
  const findings = evaluateRaw(estate, policy, asOf, requirements);
  costOnceInPlace(findings);
  return findings;
}

/**
 * The rules' own findings, before each unit is costed once: units keep the things they are for
 * (`items`, `ref`), so the forecast can cost each thing once across requirements and dates.
 */
export function evaluateRaw(
  estate: PracticeEstate,
  policy: PolicyValues,
  asOf: string,
  requirements: readonly Requirement[] = AUTOMATIC_REQUIREMENTS,
): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const req of requirements) {
    const def = RULES.get(req.id);
    if (!def) throw new Error(`No rule for automatic requirement ${req.id}`);
    if (!inFrameworkVersion(req.id, policy.framework_version)) {
      out.set(req.id, notInForceFinding(policy.framework_version));
      continue;
    }
    if (req.appliesFrom && asOf < req.appliesFrom) {
      out.set(req.id, {
        status: "not_applicable",
        reason: `This requirement applies from ${formatDate(req.appliesFrom)}.`,
        evidence: [],
        units: [],
      });
      continue;
    }
    out.set(req.id, def.rule(estate, policy, asOf));
  }
  return out;
}

const scorable = (findings: Map<string, Finding>) =>
  [...findings.entries()].map(([id, f]) => {
    const r = requirementById(id)!;
    return { status: f.status, weight: r.weight, domain: r.domain };
  });

export function scoreFindings(findings: Map<string, Finding>): { overall: ScoreSummary; byDomain: Record<string, ScoreSummary> } {
  return scoreResults(scorable(findings));
}

/** `scoreFindings(findings).overall` without the per-domain scores, which a re-evaluation does not keep. */
export const overallScore = (findings: Map<string, Finding>): ScoreSummary => scoreSummary(scorable(findings));

/**
 * Dates on which some rule's answer can change: support and ESU ends, warranty and contract
 * ends, device birthdays (age limits), policy dates and requirement start dates, each with the
 * following day (support ends at the end of its last day).
 */
export function candidateDates(estate: PracticeEstate, policy: PolicyValues, from: string, to: string): string[] {
  const dates = new Set<string>();
  const add = (d: string | null | undefined) => {
    if (!d) return;
    for (const x of [d, addDays(d, 1)]) if (x > from && x <= to) dates.add(x);
  };
  for (const row of estate.lifecycle.values()) {
    add(row.end_of_support);
    add(row.extended_end);
    // ESU is bought a year at a time: a device's cover can lapse at the end of any ESU year.
    for (const end of row.esu_year_ends ?? []) add(end);
  }
  const fromYear = Number(from.slice(0, 4));
  const toYear = Number(to.slice(0, 4));
  for (const d of estate.devices) {
    add(d.warranty_end);
    if (d.purchase_date) {
      const bought = Number(d.purchase_date.slice(0, 4));
      for (let y = Math.max(1, fromYear - bought); y <= toYear - bought + 1; y++) add(addYears(d.purchase_date, y));
    }
  }
  add(estate.telephony?.contract_end);
  // SEC-01: a Met status lapses 12 months after its cycle's deadline.
  for (const s of estate.dspt ?? []) add(dsptValidUntil(s.cycle));
  // SEC-05: a certificate counts from its issue date to its expiry date.
  for (const c of estate.cyberEssentials ?? []) {
    add(c.issued_on);
    add(c.expires_on);
  }
  add(policy.pstn_switch_off_date);
  add(policy.smartcard_client_change_date);
  for (const r of AUTOMATIC_REQUIREMENTS) add(r.appliesFrom);
  add(CLN14_YYGP_FROM); // CLN-14: the You and Your General Practice link is expected from this date.
  return [...dates].sort();
}

export interface Transition {
  date: string;
  status: Status;
  reason: string;
}

export interface ForecastChange {
  requirementId: string;
  title: string;
  domain: string;
  from: { status: Status; reason: string };
  to: { status: Status; reason: string };
  /** Each change of status up to the horizon, with the date it happens and why. */
  transitions: Transition[];
}

export interface ForecastHorizon {
  date: string;
  score: ScoreSummary;
  changes: ForecastChange[];
}

/**
 * The same rules at future dates. Checks of recent activity (patching, anti-virus) are left out:
 * today's data cannot say whether a device will be patched next year.
 */
export function forecastEstate(estate: PracticeEstate, policy: PolicyValues, asOf: string, horizons: string[]) {
  const requirements = AUTOMATIC_REQUIREMENTS.filter((r) => RULES.get(r.id)?.forecastable);
  const last = [...horizons].sort().at(-1) ?? asOf;
  const today = evaluateEstate(estate, policy, asOf, requirements);
  const timeline = new Map<string, Transition[]>(requirements.map((r) => [r.id, []]));
  let previous = today;
  for (const date of candidateDates(estate, policy, asOf, last)) {
    const now = evaluateEstate(estate, policy, date, requirements);
    for (const r of requirements) {
      const f = now.get(r.id)!;
      if (f.status !== previous.get(r.id)!.status) timeline.get(r.id)!.push({ date, status: f.status, reason: f.reason });
    }
    previous = now;
  }
  const result: ForecastHorizon[] = horizons.map((h) => {
    const at = evaluateEstate(estate, policy, h, requirements);
    const changes: ForecastChange[] = [];
    for (const r of requirements) {
      const transitions = timeline.get(r.id)!.filter((t) => t.date <= h);
      if (transitions.length === 0) continue;
      const before = today.get(r.id)!;
      const after = at.get(r.id)!;
      changes.push({
        requirementId: r.id,
        title: r.title,
        domain: r.domain,
        from: { status: before.status, reason: before.reason },
        to: { status: after.status, reason: after.reason },
        transitions,
      });
    }
    return { date: h, score: scoreFindings(at).overall, changes };
  });
  return { asOf, score: scoreFindings(today).overall, horizons: result };
}
