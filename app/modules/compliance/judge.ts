import crypto from "node:crypto";
import type { LifecycleRow } from "~/modules/os-lifecycle/support";
import { mergeAttested, type VerifiedAttestation } from "./attested-merge";
import { AUTOMATIC_REQUIREMENTS, FRAMEWORK_VERSION_IDS } from "~/modules/catalogue";
import { ATTESTED_VERSIONED, backInForceFinding, inFrameworkVersion, notInForceFinding } from "./in-force";
import { evaluateEstate, overallScore } from "./engine";
import { policyFor } from "~/modules/catalogue/policy";
import type { OutcomeForGaps } from "~/modules/gaps/sync.server";
import type * as repo from "./repository.server";
import { storedOutcome } from "./stored-outcomes";
import type { DeviceRecord, DigitalServiceRecord, Finding, PaperActivityRecord, PolicyValues, PracticeEstate, Status } from "./rules";
import { dueFromEstate } from "~/modules/gaps/due";

// The CPU side of an evaluation: rows in, findings and what to store out. No database and no
// server-only imports, so the same code runs on the main thread and in the evaluation worker
// threads (judge.worker.ts), which is what keeps their results identical.

/** Groups rows by practice code. */
function byPractice<T extends { practice_code: string }>(rows: T[]) {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.practice_code);
    if (list) list.push(r);
    else m.set(r.practice_code, [r]);
  }
  return m;
}

/** Builds one PracticeEstate per practice from the set queries' rows. */
export function buildEstates(rows: repo.EstateRows, lifecycle: Map<string, LifecycleRow>): PracticeEstate[] {
  const sites = byPractice(rows.sites);
  const devices = byPractice(rows.devices);
  const services = byPractice(rows.services);
  const telephony = new Map(rows.telephony.map((t) => [t.practice_code, t]));
  const lloydGeorge = new Map(rows.lloydGeorge.map(({ practice_code, ...lg }) => [practice_code, lg]));
  const paper = byPractice(rows.paper);
  const dspt = byPractice(rows.dspt ?? []);
  const cyberEssentials = byPractice(rows.cyberEssentials ?? []);
  const cbt = byPractice(rows.cbt ?? []);
  const cbtPublished = byPractice(rows.cbtPublished ?? []);
  return rows.practices.map((p) => ({
    practice: {
      ods_code: p.ods_code,
      name: p.name,
      icb_code: p.icb_code,
      pcn_code: p.pcn_code,
      list_size: p.list_size,
      clinical_system: p.clinical_system,
    },
    sites: (sites.get(p.ods_code) ?? []).map(({ practice_code: _, ...s }) => ({
      ...s,
      bandwidth_mbps: s.bandwidth_mbps === null ? null : Number(s.bandwidth_mbps),
      records_storage_m2: s.records_storage_m2 === null ? null : Number(s.records_storage_m2),
    })),
    // The rows themselves, not copies without practice_code: the rules read named fields only, and
    // copying 360,000 devices cost a tenth of a national run's judging in allocation alone.
    devices: (devices.get(p.ods_code) ?? []) as DeviceRecord[],
    telephony: (() => {
      const t = telephony.get(p.ods_code);
      if (!t) return null;
      const { practice_code: _, ...rest } = t;
      return rest;
    })(),
    // Services and paper activity as read, too (130,000 and 122,000 rows nationally): the rules
    // read their named fields only, and copying each without practice_code was pure allocation.
    services: (services.get(p.ods_code) ?? []) as DigitalServiceRecord[],
    lloydGeorge: lloydGeorge.get(p.ods_code) ?? null,
    paper: (paper.get(p.ods_code) ?? []) as PaperActivityRecord[],
    dspt: (dspt.get(p.ods_code) ?? []).map(({ practice_code: _, ...d }) => d),
    cyberEssentials: (cyberEssentials.get(p.ods_code) ?? []).map(({ practice_code: _, ...c }) => c),
    cbt: (cbt.get(p.ods_code) ?? []).map(({ practice_code: _, ...c }) => c),
    cbtPublished: (cbtPublished.get(p.ods_code) ?? []).map((m) => m.month),
    lifecycle,
  }));
}

/**
 * SHA-256 of a string, hex. Node's one-shot `crypto.hash` (Node 20.12 and later) gives the same
 * digest as createHash at a third of its cost for strings this short (350,000 of them a national
 * run); `createHash` remains for older Node.
 */
const sha256 = (text: string): string =>
  typeof crypto.hash === "function" ? crypto.hash("sha256", text, "hex") : crypto.createHash("sha256").update(text).digest("hex");

/**
 * The text an outcome's hash is taken of: status, reason, evidence, units and upcoming events as
 * one JSON array. A result that is written travels to the database as this same text
 * (`ResultRow.outcome_text`), so evidence listing every device of a practice is serialised once.
 */
export const outcomeText = (f: Finding) => JSON.stringify([f.status, f.reason, f.evidence, f.units, f.upcoming ?? []]);

export const outcomeHash = (f: Finding) => sha256(outcomeText(f));

export interface PracticeSummary {
  ods_code: string;
  name: string;
  icb_code: string | null;
  counts: Record<Status, number>;
  score: number | null;
}

export interface RunCounts {
  practices: number;
  results: number;
  written: number;
  removed: number;
  unchanged: number;
  byStatus: Record<Status, number>;
  /** Gap register changes: gaps opened, updated and closed by this evaluation. */
  gaps: { opened: number; changed: number; closed: number };
}

export const emptyCounts = (): RunCounts => ({
  practices: 0,
  results: 0,
  written: 0,
  removed: 0,
  unchanged: 0,
  byStatus: { met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 },
  gaps: { opened: 0, changed: 0, closed: 0 },
});

/** What judging needs besides the rows: the OS lifecycle table, every ICB's policy, and whether to re-sync every gap. */
export interface JudgeContext {
  lifecycle: Map<string, LifecycleRow>;
  policies: Map<string, PolicyValues>;
  syncAllGaps?: boolean;
}

/**
 * Evaluates one chunk of practices and stores what changed. Results are change points: a
 * result is written only when it differs from the outcome in force before `asOf`, so
 * re-running with unchanged data writes nothing. A result dated `asOf` that now matches the
 * earlier outcome again is removed.
 */
export type Attestations = Awaited<ReturnType<typeof repo.loadVerifiedAttestations>>;
export type ChunkReads = [repo.EstateRows, Awaited<ReturnType<typeof repo.loadStoredOutcomes>>, Attestations];
export const BOTH_IDS = AUTOMATIC_REQUIREMENTS.filter((r) => r.evidence === "both").map((r) => r.id);

/** The rules' findings for one practice, with verified answers merged into "both" requirements. */
export function findingsFor(estate: PracticeEstate, policy: PolicyValues, asOf: string, attested: Attestations) {
  const findings = evaluateEstate(estate, policy, asOf);
  for (const id of BOTH_IDS) {
    if (!inFrameworkVersion(id, policy.framework_version)) continue;
    const f = findings.get(id);
    if (f) findings.set(id, mergeAttested(id, f, attested.get(`${estate.practice.ods_code}|${id}`) as VerifiedAttestation | undefined));
  }
  return findings;
}

/** The stored outcome of a requirement set aside by a version change (the same for every requirement). */
const NOT_IN_FORCE_HASHES: ReadonlySet<string> = new Set(FRAMEWORK_VERSION_IDS.map((v) => outcomeHash(notInForceFinding(v))));

/**
 * Self-assessed requirements follow the ICB's framework version too. The rules never judge
 * them, so only a stored answer matters: one that a version change leaves out is set aside (not
 * applicable, which closes its gap unless money is committed); one back in force after being
 * set aside is not known until verified again. Practices with no stored answer get nothing.
 */
function versionAttested(findings: Map<string, Finding>, ods: string, version: string, stored: ChunkReads[1]) {
  for (const id of ATTESTED_VERSIONED) {
    const inForce = storedOutcome(stored.at, ods, id) ?? storedOutcome(stored.before, ods, id);
    if (!inForce) continue;
    const setAside = NOT_IN_FORCE_HASHES.has(inForce.outcome_hash);
    if (!inFrameworkVersion(id, version)) findings.set(id, notInForceFinding(version));
    else if (setAside) findings.set(id, backInForceFinding(version));
  }
}

/** What the rules made of one chunk: the results to store or remove and the outcomes the gap register follows. */
export interface ChunkJudgement {
  writes: repo.ResultRow[];
  removals: number[];
  forGaps: OutcomeForGaps[];
  summaries: PracticeSummary[];
}

/** What the gap register follows of one outcome. */
const outcomeForGaps = (estate: PracticeEstate, requirementId: string, f: Finding, policy: PolicyValues, asOf: string): OutcomeForGaps => ({
  practiceCode: estate.practice.ods_code,
  requirementId,
  status: f.status,
  reason: f.reason,
  units: f.units,
  due: dueFromEstate(requirementId, f, estate, asOf),
  notInForce: !inFrameworkVersion(requirementId, policy.framework_version),
});

/** Practices judged between yields to the event loop, so queries already sent keep moving. */
const YIELD_EVERY = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the rules over one chunk's rows and decides what to store: CPU only, no queries. A
 * result is written only when it differs from the outcome in force before `asOf`, so re-running
 * with unchanged data writes nothing; a result dated `asOf` that now matches the earlier outcome
 * again is removed.
 */
export async function judgeChunk(
  [rows, stored, attested]: ChunkReads,
  asOf: string,
  ctx: JudgeContext,
  counts: RunCounts,
): Promise<ChunkJudgement> {
  const estates = buildEstates(rows, ctx.lifecycle);
  const out: ChunkJudgement = { writes: [], removals: [], forGaps: [], summaries: [] };
  for (let i = 0; i < estates.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
    const estate = estates[i];
    const policy = policyFor(ctx.policies, estate.practice.icb_code);
    const findings = findingsFor(estate, policy, asOf, attested);
    versionAttested(findings, estate.practice.ods_code, policy.framework_version, stored);
    // This practice's stored outcomes, looked up by requirement id (repository.server.ts says why).
    const atHere = stored.at.get(estate.practice.ods_code);
    const beforeHere = stored.before.get(estate.practice.ods_code);
    // By key, then get: iterating entries makes a [key, value] array per outcome (57 a practice).
    for (const requirementId of findings.keys()) {
      const f = findings.get(requirementId)!;
      // The gap register's view of an outcome is built only when the register needs it: an
      // unchanged outcome (most of a re-run) needs neither it nor its due date.
      const forGap = () => outcomeForGaps(estate, requirementId, f, policy, asOf);
      counts.results++;
      counts.byStatus[f.status]++;
      const text = outcomeText(f);
      const hash = sha256(text);
      const at = atHere?.get(requirementId);
      const before = beforeHere?.get(requirementId);
      if (before?.outcome_hash === hash) {
        if (at) {
          out.removals.push(at.id);
          out.forGaps.push(forGap());
        } else {
          counts.unchanged++;
          if (ctx.syncAllGaps) out.forGaps.push(forGap());
        }
        continue;
      }
      if (at?.outcome_hash === hash) {
        counts.unchanged++;
        if (ctx.syncAllGaps) out.forGaps.push(forGap());
        continue;
      }
      out.forGaps.push(forGap());
      out.writes.push({
        practice_code: estate.practice.ods_code,
        requirement_id: requirementId,
        as_of: asOf,
        status: f.status,
        outcome_text: text,
        outcome_hash: hash,
      });
    }
    const score = overallScore(findings);
    out.summaries.push({
      ods_code: estate.practice.ods_code,
      name: estate.practice.name,
      icb_code: estate.practice.icb_code,
      counts: score.counts,
      score: score.score,
    });
  }
  counts.practices += estates.length;
  return out;
}
