import { createHash } from "node:crypto";
import type { Db } from "#db/connect";
import { indexLifecycle, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { mergeAttested, type VerifiedAttestation } from "./attested-merge";
import { AUTOMATIC_REQUIREMENTS } from "./catalogue";
import { ensureCatalogue } from "./catalogue.server";
import { evaluateEstate, forecastEstate, scoreFindings } from "./engine";
import { getPolicies, policyFor } from "./policy.server";
import { syncGaps, type OutcomeForGaps } from "~/modules/gaps/sync.server";
import * as repo from "./repository.server";
import type { DeviceRecord, Finding, PolicyValues, PracticeEstate, Status } from "./rules";
import type { ScoreSummary } from "./scoring";

export const CHUNK_SIZE = 500;

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

const outcomeHash = (f: Finding) =>
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
const BOTH_IDS = AUTOMATIC_REQUIREMENTS.filter((r) => r.evidence === "both").map((r) => r.id);
const readChunk = (db: Db, codes: string[], asOf: string): Promise<ChunkReads> =>
  Promise.all([repo.loadEstateRows(db, codes), repo.loadStoredOutcomes(db, codes, asOf), repo.loadVerifiedAttestations(db, codes, BOTH_IDS, asOf)]);

/** The rules' findings for one practice, with verified answers merged into "both" requirements. */
function findingsFor(estate: PracticeEstate, policy: PolicyValues, asOf: string, attested: Attestations) {
  const findings = evaluateEstate(estate, policy, asOf);
  for (const id of BOTH_IDS) {
    const f = findings.get(id);
    if (f) findings.set(id, mergeAttested(id, f, attested.get(`${estate.practice.ods_code}|${id}`) as VerifiedAttestation | undefined));
  }
  return findings;
}

async function evaluateChunk(
  db: Db,
  codes: string[],
  asOf: string,
  ctx: { lifecycle: Map<string, LifecycleRow>; policies: Map<string, PolicyValues>; runId: () => Promise<number>; syncAllGaps?: boolean },
  counts: RunCounts,
  reads?: ChunkReads,
): Promise<PracticeSummary[]> {
  const [rows, stored, attested] = reads ?? (await readChunk(db, codes, asOf));
  const estates = buildEstates(rows, ctx.lifecycle);
  const writes: repo.ResultRow[] = [];
  const removals: number[] = [];
  const summaries: PracticeSummary[] = [];
  const forGaps: OutcomeForGaps[] = [];
  for (const estate of estates) {
    const findings = findingsFor(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, attested);
    for (const [requirementId, f] of findings) {
      const forGap = { practiceCode: estate.practice.ods_code, requirementId, status: f.status, reason: f.reason, units: f.units };
      counts.results++;
      counts.byStatus[f.status]++;
      const key = `${estate.practice.ods_code}|${requirementId}`;
      const hash = outcomeHash(f);
      const at = stored.at.get(key);
      const before = stored.before.get(key);
      if (before?.outcome_hash === hash) {
        if (at) {
          removals.push(at.id);
          forGaps.push(forGap);
        } else {
          counts.unchanged++;
          if (ctx.syncAllGaps) forGaps.push(forGap);
        }
        continue;
      }
      if (at?.outcome_hash === hash) {
        counts.unchanged++;
        if (ctx.syncAllGaps) forGaps.push(forGap);
        continue;
      }
      forGaps.push(forGap);
      writes.push({
        practice_code: estate.practice.ods_code, requirement_id: requirementId, as_of: asOf, status: f.status, reason: f.reason,
        evidence: f.evidence, units: f.units, upcoming: f.upcoming ?? [], outcome_hash: hash,
      });
    }
    const score = scoreFindings(findings).overall;
    summaries.push({ ods_code: estate.practice.ods_code, name: estate.practice.name, icb_code: estate.practice.icb_code, counts: score.counts, score: score.score });
  }
  if (writes.length) await repo.upsertResults(db, await ctx.runId(), writes);
  await repo.deleteResults(db, removals);
  // The gap register follows every outcome that changed: an unchanged outcome was synced when it
  // was stored, since every result is written with its gaps. `syncAllGaps` re-syncs every outcome
  // (catching up data stored before the register existed).
  const gaps = await syncGaps(db, forGaps, asOf);
  counts.gaps.opened += gaps.opened;
  counts.gaps.changed += gaps.changed;
  counts.gaps.closed += gaps.closed;
  counts.written += writes.length;
  counts.removed += removals.length;
  counts.practices += estates.length;
  return summaries;
}

async function loadContext(db: Db) {
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
  const ctx = await loadContext(db);
  const counts = emptyCounts();
  let runId: number | null = null;
  const [summary] = await evaluateChunk(db, [ods], asOf, {
    ...ctx,
    runId: async () => (runId ??= await repo.insertRun(db, { scope: `practice:${ods}`, asOf, userId: opts.userId ?? null, finished: true, counts })),
  }, counts);
  if (runId !== null) await repo.finishRun(db, runId, counts);
  return { runId, counts, summary: summary ?? null };
}

export type EvaluationScope = { all: true } | { icb: string } | { practices: string[] };
export type Progress = { done: number; total: number; written: number };

const scopeLabel = (s: EvaluationScope) => ("all" in s ? "all" : "icb" in s ? `icb:${s.icb}` : `practices:${s.practices.join(",").slice(0, 200)}`);

/**
 * Evaluates every practice in a scope (all of England, an ICB or a list), `CHUNK_SIZE`
 * practices at a time: a handful of set queries per chunk, never one per practice. Each chunk
 * commits on its own, and `onProgress` reports after each one.
 */
export async function evaluateScope(
  db: Db,
  scope: EvaluationScope,
  asOf: string,
  opts: { onProgress?: (p: Progress) => void; userId?: number | null; chunkSize?: number; syncAllGaps?: boolean } = {},
) {
  const ctx = await loadContext(db);
  const codes = await repo.listScopePractices(db, scope);
  const runId = await repo.insertRun(db, { scope: scopeLabel(scope), asOf, userId: opts.userId ?? null });
  const counts = emptyCounts();
  const practices: PracticeSummary[] = [];
  const size = opts.chunkSize ?? CHUNK_SIZE;
  // Outside a transaction, the next chunk's rows are read while this chunk is evaluated, so the
  // database and the rules work at the same time. Chunks share no practices, so what one chunk
  // writes never changes what the next one read. (On PGlite the reads simply queue.)
  const prefetch = !db.isTransaction;
  let next: Promise<ChunkReads> | null = prefetch && codes.length ? readChunk(db, codes.slice(0, size), asOf) : null;
  for (let i = 0; i < codes.length; i += size) {
    const chunk = codes.slice(i, i + size);
    const reads = next ? await next : undefined;
    next = prefetch && i + size < codes.length ? readChunk(db, codes.slice(i + size, i + 2 * size), asOf) : null;
    // A failed read of the next chunk is reported when its turn comes, not as an unhandled rejection now.
    next?.catch(() => {});
    const run = (trx: Db) => evaluateChunk(trx, chunk, asOf, { ...ctx, runId: async () => runId, syncAllGaps: opts.syncAllGaps }, counts, reads);
    practices.push(...(db.isTransaction ? await run(db) : await db.transaction().execute(run)));
    opts.onProgress?.({ done: Math.min(i + size, codes.length), total: codes.length, written: counts.written });
  }
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
