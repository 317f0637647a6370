import type { Db } from "#db/connect";
import { todayIso } from "~/utils/today";
import { buildEstates, findingsFor, loadContext, BOTH_IDS, outcomeHash, scopeLabel, type EvaluationScope } from "./evaluate.server";
import { policyFor } from "./policy.server";
import * as repo from "./repository.server";
import { storedOutcome } from "./stored-outcomes";

const CHUNK = 500;

export interface BackfillCounts {
  practices: number;
  results: number;
  /** History rows written (or rewritten) on `asOf`. */
  written: number;
  unchanged: number;
  /** Results with nothing stored after `asOf`: a row then would be in force today, so none is written. */
  skippedNoLaterResult: number;
}

/**
 * Historic backfill: the rules as they would have judged the registers on a past date, stored as
 * history rows only, so the compliance trend has earlier points. Separate from evaluation on
 * purpose (DESIGN.md: "Today is stored; what-if is computed"):
 * - it never opens, changes or closes a gap (the register follows today's estate alone);
 * - it never changes what is in force today: a row dated `asOf` is written only for a practice
 *   and requirement that already has a result stored after `asOf`, which ends the history row;
 *   so run today's evaluation first, then backfill (the demo seed does).
 * - it never rewrites a stored row (a result recorded on `asOf` is what was seen that day).
 * Change points as in evaluation: a row is written only when it differs from the outcome in
 * force before `asOf`. Each chunk commits on its own; the run is recorded as `history:<scope>`.
 */
export async function backfillHistory(db: Db, scope: EvaluationScope, asOf: string, opts: { today?: string; userId?: number | null } = {}) {
  const today = opts.today ?? todayIso();
  if (asOf >= today)
    throw new RangeError(`History is for dates before today (${today}); ${asOf} is not. Today's results come from evaluation.`);
  const ctx = await loadContext(db);
  const codes = await repo.listScopePractices(db, scope);
  const label = `history:${scopeLabel(scope)}`;
  const runId = await repo.insertRun(db, { scope: label, asOf, userId: opts.userId ?? null });
  const counts: BackfillCounts = { practices: 0, results: 0, written: 0, unchanged: 0, skippedNoLaterResult: 0 };
  for (let i = 0; i < codes.length; i += CHUNK) {
    const chunk = codes.slice(i, i + CHUNK);
    await db.transaction().execute(async (trx) => {
      const [rows, stored, later, attested] = await Promise.all([
        repo.loadEstateRows(trx, chunk),
        repo.loadStoredOutcomes(trx, chunk, asOf),
        repo.keysStoredAfter(trx, chunk, asOf),
        repo.loadVerifiedAttestations(trx, chunk, BOTH_IDS, asOf),
      ]);
      const writes: repo.ResultRow[] = [];
      for (const estate of buildEstates(rows, ctx.lifecycle)) {
        counts.practices++;
        for (const [requirementId, f] of findingsFor(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, attested)) {
          counts.results++;
          const key = `${estate.practice.ods_code}|${requirementId}`;
          if (!later.has(key)) {
            counts.skippedNoLaterResult++;
            continue;
          }
          const hash = outcomeHash(f);
          // A result stored on that day is what was recorded then: history never overwrites it.
          if (
            storedOutcome(stored.at, estate.practice.ods_code, requirementId) ||
            storedOutcome(stored.before, estate.practice.ods_code, requirementId)?.outcome_hash === hash
          ) {
            counts.unchanged++;
            continue;
          }
          writes.push({
            practice_code: estate.practice.ods_code,
            requirement_id: requirementId,
            as_of: asOf,
            status: f.status,
            reason: f.reason,
            evidence: f.evidence,
            units: f.units,
            upcoming: f.upcoming ?? [],
            outcome_hash: hash,
          });
        }
      }
      if (writes.length) await repo.upsertResults(trx, runId, writes);
      counts.written += writes.length;
    });
  }
  await repo.finishRun(db, runId, counts);
  return { runId, asOf, scope: label, counts };
}
