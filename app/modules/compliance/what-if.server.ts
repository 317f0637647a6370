import type { Db } from "#db/connect";
import {
  buildEstates,
  findingsFor,
  loadContext,
  BOTH_IDS,
  outcomeHash,
  scopeLabel,
  type EvaluationScope,
  type PracticeSummary,
} from "./evaluate.server";
import { scoreFindings } from "./engine";
import { policyFor } from "./policy.server";
import * as repo from "./repository.server";
import type { Status } from "./rules";

/** Practices read and judged at a time (as evaluation chunks them). */
const CHUNK = 500;

export interface WhatIfResult {
  asOf: string;
  scope: string;
  /** Always false: nothing was written (no results, no gaps, no run). */
  stored: false;
  counts: {
    practices: number;
    results: number;
    byStatus: Record<Status, number>;
    /** Results that differ from what is stored in force on that date (never stored ones included). */
    differFromStored: number;
  };
  practices: PracticeSummary[];
}

/**
 * The rules on any date, over a scope, writing nothing: what the results would be on `asOf`
 * with today's registers. Reads only (the estate, policy, verified answers and, to compare, the
 * results stored in force on that date); the same set queries as evaluation, a chunk at a time.
 */
export async function whatIfScope(db: Db, scope: EvaluationScope, asOf: string): Promise<WhatIfResult> {
  const ctx = await loadContext(db);
  const codes = await repo.listScopePractices(db, scope);
  const counts: WhatIfResult["counts"] = {
    practices: 0,
    results: 0,
    differFromStored: 0,
    byStatus: { met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 },
  };
  const practices: PracticeSummary[] = [];
  for (let i = 0; i < codes.length; i += CHUNK) {
    const chunk = codes.slice(i, i + CHUNK);
    const [rows, stored, attested] = await Promise.all([
      repo.loadEstateRows(db, chunk),
      repo.loadStoredOutcomes(db, chunk, asOf),
      repo.loadVerifiedAttestations(db, chunk, BOTH_IDS, asOf),
    ]);
    for (const estate of buildEstates(rows, ctx.lifecycle)) {
      const findings = findingsFor(estate, policyFor(ctx.policies, estate.practice.icb_code), asOf, attested);
      for (const [id, f] of findings) {
        counts.results++;
        counts.byStatus[f.status]++;
        const key = `${estate.practice.ods_code}|${id}`;
        const inForce = stored.at.get(key) ?? stored.before.get(key);
        if (inForce?.outcome_hash !== outcomeHash(f)) counts.differFromStored++;
      }
      const score = scoreFindings(findings).overall;
      practices.push({
        ods_code: estate.practice.ods_code,
        name: estate.practice.name,
        icb_code: estate.practice.icb_code,
        counts: score.counts,
        score: score.score,
      });
      counts.practices++;
    }
  }
  return { asOf, scope: scopeLabel(scope), stored: false, counts, practices };
}
