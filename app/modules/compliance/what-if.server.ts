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
import { storedOutcome } from "./stored-outcomes";
import type { DeviceRecord, Finding, Status } from "./rules";
import { inFrameworkVersion } from "./in-force";
import { estimateUnits } from "~/modules/pricing/costing";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import { noPricedRemedyWhy } from "~/modules/pricing/remedies";

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
        const inForce =
          storedOutcome(stored.at, estate.practice.ods_code, id) ?? storedOutcome(stored.before, estate.practice.ods_code, id);
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

/** Changes a what-if makes to one practice's devices (in use, spare or in repair; disposed ones are not judged). */
export type DeviceChange = (devices: DeviceRecord[]) => DeviceRecord[];

export interface GapTotals {
  /** Failing requirements in force (not met or partly met): the gaps evaluation would have open. */
  count: number;
  /** Ex VAT, of the gaps that could be priced. */
  pence: number;
  vatPence: number;
  /** Gaps with no full estimate (a unit with no price in force, say). */
  unpriced: number;
}

export interface PracticeWhatIf {
  ods_code: string;
  name: string;
  before: Map<string, Finding>;
  after: Map<string, Finding>;
  gapsBefore: GapTotals;
  gapsAfter: GapTotals;
}

/**
 * The rules on today's register and on the register with some practices' devices changed, in
 * memory, writing nothing (the import's impact preview). The same reads as evaluation for those
 * practices (estate, policy, verified answers, the price book) and the same judgement and
 * costing as the gap register, so what it shows is what storing the change would produce.
 */
export async function whatIfDeviceChanges(db: Db, changes: Map<string, DeviceChange>, asOf: string): Promise<PracticeWhatIf[]> {
  const codes = [...changes.keys()].slice(0, CHUNK);
  if (codes.length === 0) return [];
  const ctx = await loadContext(db);
  const [rows, attested] = await Promise.all([repo.loadEstateRows(db, codes), repo.loadVerifiedAttestations(db, codes, BOTH_IDS, asOf)]);
  const icbs = [...new Set(rows.practices.map((p) => p.icb_code).filter((c): c is string => !!c))];
  const book = await loadPriceBook(db, icbs);
  const out: PracticeWhatIf[] = [];
  for (const estate of buildEstates(rows, ctx.lifecycle)) {
    const policy = policyFor(ctx.policies, estate.practice.icb_code);
    const change = changes.get(estate.practice.ods_code)!;
    const before = findingsFor(estate, policy, asOf, attested);
    const after = findingsFor({ ...estate, devices: change(estate.devices) }, policy, asOf, attested);
    const totals = (findings: Map<string, Finding>): GapTotals => {
      const t: GapTotals = { count: 0, pence: 0, vatPence: 0, unpriced: 0 };
      for (const [id, f] of findings) {
        if ((f.status !== "not_met" && f.status !== "partial") || !inFrameworkVersion(id, policy.framework_version)) continue;
        t.count++;
        const e = estimateUnits(
          f.units,
          { icbCode: estate.practice.icb_code, listSize: estate.practice.list_size },
          book,
          asOf,
          noPricedRemedyWhy(id),
        );
        if (e.pence === null) t.unpriced++;
        else {
          t.pence += e.pence;
          t.vatPence += e.vatPence ?? 0;
        }
      }
      return t;
    };
    out.push({
      ods_code: estate.practice.ods_code,
      name: estate.practice.name,
      before,
      after,
      gapsBefore: totals(before),
      gapsAfter: totals(after),
    });
  }
  return out;
}
