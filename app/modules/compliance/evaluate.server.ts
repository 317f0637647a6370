import { createHash } from "node:crypto";
import type { Db } from "#db/connect";
import { indexLifecycle, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { mergeAttested, type VerifiedAttestation } from "./attested-merge";
import { AUTOMATIC_REQUIREMENTS } from "./catalogue";
import { ensureCatalogue } from "./catalogue.server";
import { evaluateEstate, forecastEstate, scoreFindings } from "./engine";
import { getPolicies, policyFor } from "./policy.server";
import { syncGaps, type OutcomeForGaps } from "~/modules/gaps/sync.server";
import { dueFromEstate } from "~/modules/gaps/due";
import * as repo from "./repository.server";
import { assertStorableDate } from "./what-if";
import type { DeviceRecord, Finding, PolicyValues, PracticeEstate, Status } from "./rules";
import type { ScoreSummary } from "./scoring";

export const CHUNK_SIZE = 500;
/** Chunk size inside a caller's transaction (see evaluateScope). */
export const TRANSACTION_CHUNK_SIZE = 100;

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
  return rows.practices.map((p) => ({
    practice: { ods_code: p.ods_code, name: p.name, icb_code: p.icb_code, pcn_code: p.pcn_code, list_size: p.list_size, clinical_system: p.clinical_system },
    sites: (sites.get(p.ods_code) ?? []).map(({ practice_code: _, ...s }) => ({ ...s, bandwidth_mbps: s.bandwidth_mbps === null ? null : Number(s.bandwidth_mbps), records_storage_m2: s.records_storage_m2 === null ? null : Number(s.records_storage_m2) })),
    devices: (devices.get(p.ods_code) ?? []).map(({ practice_code: _, ...d }) => d as DeviceRecord),
    telephony: (() => {
      const t = telephony.get(p.ods_code);
      if (!t) return null;
      const { practice_code: _, ...rest } = t;
      return rest;
    })(),
    services: (services.get(p.ods_code) ?? []).map(({ practice_code: _, ...s }) => s),
    lloydGeorge: lloydGeorge.get(p.ods_code) ?? null,
    paper: (paper.get(p.ods_code) ?? []).map(({ practice_code: _, ...a }) => a),
    lifecycle,
  }));
}

export const outcomeHash = (f: Finding) =>
  createHash("sha256").update(JSON.stringify([f.status, f.reason, f.evidence, f.units, f.upcoming ?? []])).digest("hex");

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

const emptyCounts = (): RunCounts => ({
  practices: 0, results: 0, written: 0, removed: 0, unchanged: 0,
  byStatus: { met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 },
  gaps: { opened: 0, changed: 0, closed: 0 },
});

/**
 * Evaluates one chunk of practices and stores what changed. Results are change points: a
 * result is written only when it differs from the outcome in force before `asOf`, so
 * re-running with unchanged data writes nothing. A result dated `asOf` that now matches the
 * earlier outcome again is removed.
 */
type Attestations = Awaited<ReturnType<typeof repo.loadVerifiedAttestations>>;
type ChunkReads = [repo.EstateRows, Awaited<ReturnType<typeof repo.loadStoredOutcomes>>, Attestations];
export const BOTH_IDS = AUTOMATIC_REQUIREMENTS.filter((r) => r.evidence === "both").map((r) => r.id);
const readChunk = (db: Db, codes: string[], asOf: string): Promise<ChunkReads> =>
  Promise.all([repo.loadEstateRows(db, codes), repo.loadStoredOutcomes(db, codes, asOf), repo.loadVerifiedAttestations(db, codes, BOTH_IDS, asOf)]);

/** The rules' findings for one practice, with verified answers merged into "both" requirements. */
export function findingsFor(estate: PracticeEstate, policy: PolicyValues, asOf: string, attested: Attestations) {
  const findings = evaluateEstate(estate, policy, asOf);
  for (const id of BOTH_IDS) {
    const f = findings.get(id);
    if (f) findings.set(id, mergeAttested(id, f, attested.get(`${estate.practice.ods_code}|${id}`) as VerifiedAttestation | undefined));
  }
  return findings;
}

/** What the rules made of one chunk: the results to store or remove and the outcomes the gap register follows. */
interface ChunkJudgement {
  writes: repo.ResultRow[];
  removals: number[];
  forGaps: OutcomeForGaps[];
  summaries: PracticeSummary[];
}

/** Practices judged between yields to the event loop, so queries already sent keep moving. */
const YIELD_EVERY = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the rules over one chunk's rows and decides what to store: CPU only, no queries. A
 * result is written only when it differs from the outcome in force before `asOf`, so re-running
 * with unchanged data writes nothing; a result dated `asOf` that now matches the earlier outcome
 * again is removed.
 */
async function judgeChunk(
  [rows, stored, attested]: ChunkReads,
  asOf: string,
  ctx: { lifecycle: Map<string, LifecycleRow>; policies: Map<string, PolicyValues>; syncAllGaps?: boolean },
  counts: RunCounts,
): Promise<ChunkJudgement> {
  const estates = buildEstates(rows, ctx.lifecycle);
  const out: ChunkJudgement = { writes: [], removals: [], forGaps: [], summaries: [] };
  for (let i = 0; i < estates.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
    const estate = estates[i];
    const findings = findingsFor(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, attested);
    for (const [requirementId, f] of findings) {
      const forGap = { practiceCode: estate.practice.ods_code, requirementId, status: f.status, reason: f.reason, units: f.units, due: dueFromEstate(requirementId, f, estate, asOf) };
      counts.results++;
      counts.byStatus[f.status]++;
      const key = `${estate.practice.ods_code}|${requirementId}`;
      const hash = outcomeHash(f);
      const at = stored.at.get(key);
      const before = stored.before.get(key);
      if (before?.outcome_hash === hash) {
        if (at) {
          out.removals.push(at.id);
          out.forGaps.push(forGap);
        } else {
          counts.unchanged++;
          if (ctx.syncAllGaps) out.forGaps.push(forGap);
        }
        continue;
      }
      if (at?.outcome_hash === hash) {
        counts.unchanged++;
        if (ctx.syncAllGaps) out.forGaps.push(forGap);
        continue;
      }
      out.forGaps.push(forGap);
      out.writes.push({
        practice_code: estate.practice.ods_code, requirement_id: requirementId, as_of: asOf, status: f.status, reason: f.reason,
        evidence: f.evidence, units: f.units, upcoming: f.upcoming ?? [], outcome_hash: hash,
      });
    }
    const score = scoreFindings(findings).overall;
    out.summaries.push({ ods_code: estate.practice.ods_code, name: estate.practice.name, icb_code: estate.practice.icb_code, counts: score.counts, score: score.score });
  }
  counts.practices += estates.length;
  return out;
}

/**
 * Stores one chunk's judgement: results, removals, then the gap register, which follows every
 * outcome that changed (an unchanged outcome was synced when it was stored, since every result
 * is written with its gaps; `syncAllGaps` re-syncs every outcome, catching up data stored
 * before the register existed).
 */
async function storeChunk(db: Db, runId: number, asOf: string, j: ChunkJudgement, counts: RunCounts) {
  if (j.writes.length) await repo.upsertResults(db, runId, j.writes);
  await repo.deleteResults(db, j.removals);
  const gaps = await syncGaps(db, j.forGaps, asOf);
  counts.gaps.opened += gaps.opened;
  counts.gaps.changed += gaps.changed;
  counts.gaps.closed += gaps.closed;
  counts.written += j.writes.length;
  counts.removed += j.removals.length;
}

export async function loadContext(db: Db) {
  await ensureCatalogue(db);
  const [lifecycle, policies] = await Promise.all([repo.loadLifecycleRows(db), getPolicies(db)]);
  return { lifecycle: indexLifecycle(lifecycle), policies };
}

/**
 * Re-evaluates one practice: call it right after an estate change, with the same transaction,
 * so the change and its compliance results commit together. A run is recorded only when
 * something was written.
 */
export async function evaluatePractice(db: Db, ods: string, asOf: string, opts: { userId?: number | null } = {}) {
  assertStorableDate(asOf);
  const ctx = await loadContext(db);
  const counts = emptyCounts();
  const judged = await judgeChunk(await readChunk(db, [ods], asOf), asOf, ctx, counts);
  let runId: number | null = null;
  if (judged.writes.length) runId = await repo.insertRun(db, { scope: `practice:${ods}`, asOf, userId: opts.userId ?? null, finished: true, counts });
  await storeChunk(db, runId ?? 0, asOf, judged, counts);
  if (runId !== null) await repo.finishRun(db, runId, counts);
  return { runId, counts, summary: judged.summaries[0] ?? null };
}

export type EvaluationScope = { all: true } | { icb: string } | { practices: string[] };
export type Progress = { done: number; total: number; written: number };

export const scopeLabel = (s: EvaluationScope) => ("all" in s ? "all" : "icb" in s ? `icb:${s.icb}` : `practices:${s.practices.join(",").slice(0, 200)}`);

/**
 * Evaluates every practice in a scope (all of England, an ICB or a list), `chunkSize`
 * practices at a time: a handful of set queries per chunk, never one per practice. Outside a
 * transaction each chunk commits on its own; inside one (an estate change re-checking the
 * practices it touched) everything commits with the change. `onProgress` reports after each
 * chunk is stored.
 *
 * The database and the rules work at the same time: while one chunk is judged, the next
 * chunk's rows are read and the previous chunk's results are stored. Chunks share no
 * practices, so what one chunk stores never changes what another read. At most one judged
 * chunk waits to be stored, so memory holds about two chunks whatever the scope.
 */
export async function evaluateScope(
  db: Db,
  scope: EvaluationScope,
  asOf: string,
  opts: { onProgress?: (p: Progress) => void; userId?: number | null; chunkSize?: number; syncAllGaps?: boolean } = {},
) {
  assertStorableDate(asOf);
  const ctx = { ...(await loadContext(db)), syncAllGaps: opts.syncAllGaps };
  const codes = await repo.listScopePractices(db, scope);
  const runId = await repo.insertRun(db, { scope: scopeLabel(scope), asOf, userId: opts.userId ?? null });
  const counts = emptyCounts();
  const practices: PracticeSummary[] = [];
  // Inside a transaction every query shares one connection, so smaller chunks keep it busy
  // while the rules run; outside, each chunk is a transaction of its own.
  const size = opts.chunkSize ?? (db.isTransaction ? TRANSACTION_CHUNK_SIZE : CHUNK_SIZE);
  const chunks = Array.from({ length: Math.ceil(codes.length / size) }, (_, k) => codes.slice(k * size, (k + 1) * size));
  const read = (k: number) => {
    const p = readChunk(db, chunks[k], asOf);
    // A failed read is reported when its turn comes, not as an unhandled rejection now.
    p.catch(() => {});
    return p;
  };
  const store = (j: ChunkJudgement) => (db.isTransaction ? storeChunk(db, runId, asOf, j, counts) : db.transaction().execute((trx) => storeChunk(trx, runId, asOf, j, counts)));
  let next = chunks.length ? read(0) : null;
  let storing: Promise<void> = Promise.resolve();
  let stored = 0;
  for (let k = 0; k < chunks.length; k++) {
    const reads = await next!;
    next = k + 1 < chunks.length ? read(k + 1) : null;
    const judged = await judgeChunk(reads, asOf, ctx, counts);
    practices.push(...judged.summaries);
    // Wait for the previous chunk's store before queueing this one: stores stay in order and
    // a failure stops the run here.
    await storing;
    storing = store(judged).then(() => {
      stored += chunks[k].length;
      opts.onProgress?.({ done: stored, total: codes.length, written: counts.written });
    });
    storing.catch(() => {});
  }
  await storing;
  await repo.finishRun(db, runId, counts);
  return { runId, asOf, scope: scopeLabel(scope), counts, practices };
}

/**
 * Compares the results stored for a practice on `asOf` with what the rules say now, storing
 * nothing: the requirements whose stored outcome no longer matches the registers, the policy or
 * the date (including those never stored). Null when the practice does not exist.
 */
export async function checkPracticeFreshness(db: Db, ods: string, asOf: string) {
  const ctx = await loadContext(db);
  const [estate] = buildEstates(await repo.loadEstateRows(db, [ods]), ctx.lifecycle);
  if (!estate) return null;
  const stored = await repo.loadStoredOutcomes(db, [ods], asOf);
  const attested = await repo.loadVerifiedAttestations(db, [ods], BOTH_IDS, asOf);
  const findings = findingsFor(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, attested);
  const changed: { requirementId: string; status: Status }[] = [];
  for (const [requirementId, f] of findings) {
    const key = `${ods}|${requirementId}`;
    const inForce = stored.at.get(key) ?? stored.before.get(key);
    if (inForce?.outcome_hash !== outcomeHash(f)) changed.push({ requirementId, status: f.status });
  }
  return { checked: findings.size, changed };
}

/** Adds whole calendar months to an ISO date (31 January + 1 month = 28 or 29 February). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/**
 * The same rules at future dates (default 12 and 24 months ahead), not stored: what changes
 * status by each horizon, when, and why (the reason on the day it changes names the end of
 * support, warranty, contract or national date that drives it).
 */
export async function forecastPractice(db: Db, ods: string, asOf: string, horizons: string[] = [addMonths(asOf, 12), addMonths(asOf, 24)]) {
  const ctx = await loadContext(db);
  const [estate] = buildEstates(await repo.loadEstateRows(db, [ods]), ctx.lifecycle);
  if (!estate) return null;
  return forecastEstate(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, horizons);
}

export type { ScoreSummary };
