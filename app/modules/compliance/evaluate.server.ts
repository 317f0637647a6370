import type { Db } from "#db/connect";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { ensureLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { ensureCatalogue } from "./catalogue.server";
import { forecastEstate } from "./engine";
import { getPolicies, policyFor } from "./policy.server";
import { syncGaps } from "~/modules/gaps/sync.server";
import {
  BOTH_IDS,
  buildEstates,
  emptyCounts,
  findingsFor,
  judgeChunk,
  outcomeHash,
  type ChunkJudgement,
  type ChunkReads,
  type JudgeContext,
  type PracticeSummary,
  type RunCounts,
} from "./judge";
import { EvaluationThreads, threadsFor } from "./judge-threads.server";
import * as repo from "./repository.server";
import { readChunk } from "./read-chunk.server";
import { storedOutcome } from "./stored-outcomes";
import { postgresUrlOf } from "#db/postgres";
import { assertStorableDate } from "./what-if";
import type { Status } from "./rules";
import type { ScoreSummary } from "./scoring";

export { buildEstates, BOTH_IDS, findingsFor, outcomeHash };
export type { PracticeSummary, RunCounts };

export const CHUNK_SIZE = 500;

/** Adds a worker thread's counts for one chunk to the run's. */
function addCounts(into: RunCounts, c: RunCounts) {
  into.practices += c.practices;
  into.results += c.results;
  into.unchanged += c.unchanged;
  for (const k of Object.keys(c.byStatus) as Status[]) into.byStatus[k] += c.byStatus[k];
}
/** Chunk size inside a caller's transaction (see evaluateScope). */
export const TRANSACTION_CHUNK_SIZE = 100;

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
  await ensureLifecycleReference(db);
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
  if (judged.writes.length)
    runId = await repo.insertRun(db, { scope: `practice:${ods}`, asOf, userId: opts.userId ?? null, finished: true, counts });
  await storeChunk(db, runId ?? 0, asOf, judged, counts);
  if (runId !== null) await repo.finishRun(db, runId, counts);
  return { runId, counts, summary: judged.summaries[0] ?? null };
}

export type EvaluationScope = { all: true } | { icb: string } | { practices: string[] };
export type Progress = { done: number; total: number; written: number };

export const scopeLabel = (s: EvaluationScope) =>
  "all" in s ? "all" : "icb" in s ? `icb:${s.icb}` : `practices:${s.practices.join(",").slice(0, 200)}`;

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
  opts: { onProgress?: (p: Progress) => void; userId?: number | null; chunkSize?: number; syncAllGaps?: boolean; threads?: number } = {},
) {
  assertStorableDate(asOf);
  const ctx: JudgeContext = { ...(await loadContext(db)), syncAllGaps: opts.syncAllGaps };
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
  const store = (j: ChunkJudgement) =>
    db.isTransaction ? storeChunk(db, runId, asOf, j, counts) : db.transaction().execute((trx) => storeChunk(trx, runId, asOf, j, counts));
  // With worker threads on PostgreSQL, each thread reads its chunks over its own connection and
  // judges them, two chunks a thread in flight (one judged while the next is read), and the main
  // thread only stores. With threads on PGlite (one connection, in this process) the main thread
  // reads and the threads judge, up to one chunk per thread plus one ahead. Without threads, the
  // next chunk is read while this one is judged.
  const threads = await EvaluationThreads.open(
    threadsFor(opts.threads, chunks.length, !!db.isTransaction),
    ctx,
    asOf,
    db.isTransaction ? null : postgresUrlOf(db),
  );
  const ahead = !threads ? 1 : threads.reads ? 2 * threads.size : threads.size + 1;
  const judgeAhead = (k: number): Promise<ChunkJudgement> | Promise<ChunkReads> => {
    if (!threads) return read(k);
    const judged = threads.reads ? threads.read(chunks[k]) : read(k).then((r) => threads.judge(r));
    const p = judged.then(({ judgement, counts: c }) => {
      addCounts(counts, c);
      return judgement;
    });
    p.catch(() => {});
    return p;
  };
  const queue = chunks.slice(0, ahead).map((_, k) => judgeAhead(k));
  let storing: Promise<void> = Promise.resolve();
  let stored = 0;
  try {
    for (let k = 0; k < chunks.length; k++) {
      const head = queue.shift()!;
      if (k + ahead < chunks.length) queue.push(judgeAhead(k + ahead));
      const judged = threads
        ? await (head as Promise<ChunkJudgement>)
        : await judgeChunk(await (head as Promise<ChunkReads>), asOf, ctx, counts);
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
  } finally {
    await threads?.close();
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
    const inForce = storedOutcome(stored.at, ods, requirementId) ?? storedOutcome(stored.before, ods, requirementId);
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
