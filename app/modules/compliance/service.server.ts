import type { Db } from "#db/connect";
import {
  DOMAINS,
  REQUIREMENTS,
  inFrameworkVersion,
  type Category,
  type Domain,
  type EvidenceKind,
  type Funder,
  type Requirement,
} from "~/modules/catalogue";
import { ensureCatalogue } from "./catalogue.server";
import * as org from "~/modules/org/repository.server";
import * as repo from "./repository.server";
import type { EvidenceRef, Status, Unit, Upcoming } from "~/modules/catalogue/rule-types";
import { scoreResults, type ScoreSummary } from "./scoring";

export { evaluatePractice, evaluateScope, forecastPractice, addMonths, checkPracticeFreshness } from "./evaluate.server";
export { getPolicy, setPolicyValue, resetPolicyValue } from "./policy.server";

export interface StoredResult {
  status: Status;
  reason: string;
  evidence: EvidenceRef[];
  units: Unit[];
  upcoming: Upcoming[];
  /** The as-of date of the evaluation that produced this outcome (it holds until the next change). */
  asOf: string;
  evaluatedAt: Date;
}

const toResult = (r: Awaited<ReturnType<typeof repo.resultsAt>>[number]): StoredResult => ({
  status: r.status,
  reason: r.reason,
  evidence: r.evidence as EvidenceRef[],
  units: r.units as Unit[],
  upcoming: (r.upcoming as Upcoming[]) ?? [],
  asOf: r.as_of,
  evaluatedAt: r.evaluated_at,
});

/**
 * Every requirement for one practice with its stored result on `asOf` (automatic ones), the
 * reason, the records relied on and the remediation units; attestation requirements carry no
 * result yet. Scores cover the automatic results.
 */
export async function getPracticeCompliance(db: Db, ods: string, asOf: string) {
  await ensureCatalogue(db);
  const rows = await repo.resultsAt(db, asOf, { practices: [ods] });
  // Loops, not closures made on each request: V8 drops the optimized code of closures made per
  // request at every full collection (docs/performance.md, session 16).
  const byId = new Map<string, (typeof rows)[number]>();
  const scored = [];
  let lastEvaluatedAt: Date | null = null;
  for (const r of rows) {
    byId.set(r.requirement_id, r);
    scored.push({ status: r.status, weight: r.weight, domain: r.domain });
    if (!lastEvaluatedAt || r.evaluated_at > lastEvaluatedAt) lastEvaluatedAt = r.evaluated_at;
  }
  const requirements = [];
  for (const req of REQUIREMENTS) {
    const row = byId.get(req.id);
    requirements.push({ requirement: req, result: row ? toResult(row) : null });
  }
  const scores = scoreResults(scored);
  return {
    asOf,
    evaluated: rows.length > 0,
    lastEvaluatedAt,
    requirements,
    score: scores.overall,
    byDomain: scores.byDomain as Partial<Record<Domain, ScoreSummary>>,
  };
}

/** Change points for a practice (newest first): when each requirement's outcome changed, and why. */
export async function getPracticeHistory(db: Db, ods: string, opts: { requirementId?: string; limit?: number } = {}) {
  return repo.changePoints(db, ods, { requirementId: opts.requirementId, limit: opts.limit ?? 200 });
}

/** The practice's score on each of the given dates, from the stored change points (one query). */
export async function getPracticeTrend(db: Db, ods: string, dates: string[]) {
  const sorted = [...dates].sort();
  const points = await repo.changePoints(db, ods, { until: sorted.at(-1) });
  return sorted.map((date) => {
    const latest = new Map<string, (typeof points)[number]>();
    for (const p of points) if (p.as_of <= date && !latest.has(p.requirement_id)) latest.set(p.requirement_id, p);
    const s = scoreResults([...latest.values()].map((p) => ({ status: p.status, weight: p.weight, domain: p.domain })));
    return { date, score: s.overall.score, counts: s.overall.counts };
  });
}

/**
 * An ICB on `asOf`: each practice's counts by status and score, and the PCN × domain heat map
 * (weighted score per cell, with the number of unknowns). One query for the whole ICB.
 */
export async function getIcbSummary(db: Db, icbCode: string, asOf: string) {
  await ensureCatalogue(db);
  const rows = await repo.statusesAt(db, asOf, icbCode);
  const practices = new Map<
    string,
    { ods_code: string; name: string; pcn_code: string | null; items: { status: Status; weight: number; domain: string }[] }
  >();
  for (const r of rows) {
    const p = practices.get(r.practice_code) ?? { ods_code: r.practice_code, name: r.practice_name, pcn_code: r.pcn_code, items: [] };
    p.items.push({ status: r.status, weight: r.weight, domain: r.domain });
    practices.set(r.practice_code, p);
  }
  const pcnCodes = [...new Set([...practices.values()].map((p) => p.pcn_code).filter((c): c is string => !!c))];
  const pcnNames = await org.pcnNames(db, pcnCodes);
  const byPcn = new Map<string, { status: Status; weight: number; domain: string }[]>();
  for (const p of practices.values()) {
    const key = p.pcn_code ?? "";
    const list = byPcn.get(key);
    if (list) list.push(...p.items);
    else byPcn.set(key, [...p.items]);
  }
  return {
    asOf,
    icbCode,
    overall: scoreResults(rows.map((r) => ({ status: r.status, weight: r.weight, domain: r.domain }))),
    practices: [...practices.values()].map((p) => {
      const s = scoreResults(p.items);
      return {
        ods_code: p.ods_code,
        name: p.name,
        pcn_code: p.pcn_code,
        score: s.overall.score,
        counts: s.overall.counts,
        byDomain: s.byDomain,
      };
    }),
    domains: Object.entries(DOMAINS).map(([key, label]) => ({ key: key as Domain, label })),
    heatmap: [...byPcn.entries()]
      .map(([pcn, items]) => {
        const s = scoreResults(items);
        return {
          pcn_code: pcn || null,
          pcn_name: pcn ? (pcnNames.get(pcn) ?? pcn) : "No PCN",
          overall: s.overall.score,
          cells: Object.fromEntries(
            Object.entries(s.byDomain).map(([d, v]) => [d, { score: v.score, unknown: v.counts.unknown, total: v.total }]),
          ),
        };
      })
      .sort((a, b) => a.pcn_name.localeCompare(b.pcn_name)),
  };
}

export interface RequirementFilters {
  domain?: Domain;
  category?: Category;
  funder?: Funder;
  evidence?: EvidenceKind;
  /** Only requirements this framework version holds. */
  version?: string;
  automatic?: boolean;
  q?: string;
}

/** The catalogue, filtered, in catalogue order (from the typed data the database mirrors). */
export function listRequirements(filters: RequirementFilters = {}): Requirement[] {
  const q = filters.q?.trim().toLowerCase();
  return REQUIREMENTS.filter(
    (r) =>
      (!filters.domain || r.domain === filters.domain) &&
      (!filters.category || r.category === filters.category) &&
      (!filters.funder || r.funder === filters.funder) &&
      (!filters.evidence || r.evidence === filters.evidence) &&
      (!filters.version || inFrameworkVersion(r.id, filters.version)) &&
      (filters.automatic === undefined || r.automatic === filters.automatic) &&
      (!q || `${r.id} ${r.title} ${r.description}`.toLowerCase().includes(q)),
  );
}

/** Results for one requirement across an ICB's practices on `asOf` (a requirement page). */
export async function getRequirementAcrossIcb(db: Db, icbCode: string, requirementId: string, asOf: string) {
  await ensureCatalogue(db);
  const rows = await repo.resultsAt(db, asOf, { icb: icbCode }, requirementId);
  return rows.map((r) => ({ ods_code: r.practice_code, name: r.practice_name, pcn_code: r.pcn_code, result: toResult(r) }));
}
