import { recordAudit } from "~/modules/audit/repository.server";
import type { Db } from "#db/connect";
import { notFound } from "~/utils/errors";
import {
  DEFAULT_FRAMEWORK_VERSION,
  DOMAINS,
  frameworkVersionById,
  inFrameworkVersion,
  requirementById,
  type Domain,
} from "~/modules/catalogue";
import { requirementView } from "./requirement-view";
import { evaluatePractice, forecastPractice } from "./evaluate.server";
import { practiceFreshness } from "./freshness-cache.server";
import { forecastPractices } from "~/modules/compliance/forecast/service.server";
import * as repo from "./repository.server";
import type { EvidenceRef, Status, Unit, Upcoming } from "~/modules/catalogue/rule-types";
import type { PracticeComplianceFilters } from "./schema";
import type { ScoreSummary } from "./scoring";
import { getPracticeCompliance, getPracticeHistory, type StoredResult } from "./service.server";
import { UNIT_KINDS } from "~/modules/catalogue/units";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { describeElsewhere, describeMissing } from "~/modules/gaps/register";

export const unitsView = (units: Unit[]) => units.map((u) => ({ ...u, label: UNIT_KINDS[u.kind] ?? u.kind }));

export interface ResultView {
  status: Status;
  reason: string;
  evidence: EvidenceRef[];
  units: (Unit & { label: string })[];
  upcoming: Upcoming[];
  since: string;
  evaluatedAt: Date;
}

export const resultView = (r: StoredResult): ResultView => ({
  status: r.status,
  reason: r.reason,
  evidence: r.evidence,
  units: unitsView(r.units),
  upcoming: r.upcoming,
  since: r.asOf,
  evaluatedAt: r.evaluatedAt,
});

/**
 * A practice's compliance page: scores per domain (stored results on `asOf`), the requirements
 * the filters select, and, for today, whether the stored results still match the registers.
 * Reading never stores anything: a page view is not an evaluation.
 */
export async function getPracticeCompliancePage(
  db: Db,
  ods: string,
  filters: PracticeComplianceFilters,
  today: string,
  /** The practice's ICB, when the caller has it: the freshness check is then kept between loads. */
  icbCode: string | null = null,
) {
  const asOf = filters.as_of ?? today;
  const [data, versions] = await Promise.all([getPracticeCompliance(db, ods, asOf), repo.frameworkVersionsOf(db, [ods])]);
  // The framework version the practice's ICB has in force: requirements are worded as it words them.
  const version = frameworkVersionById(versions.get(ods) ?? DEFAULT_FRAMEWORK_VERSION) ?? frameworkVersionById(DEFAULT_FRAMEWORK_VERSION)!;
  const [fresh, fixes] = await Promise.all([
    asOf === today && data.evaluated ? practiceFreshness(db, ods, icbCode, asOf) : null,
    asOf === today ? fixCosts(db, ods, today) : {},
  ]);
  const domains = domainsOf(data);
  const rows = rowsShown(data.requirements, filters, version.id);
  return {
    asOf,
    isToday: asOf === today,
    evaluated: data.evaluated,
    lastEvaluatedAt: data.lastEvaluatedAt,
    score: data.score,
    frameworkVersion: { id: version.id, name: version.name },
    selfAssessed: countSelfAssessed(data.requirements),
    domains,
    rows,
    /** Today only: the open gap's estimate per requirement, shown next to "To fix". */
    fixes,
    /** Today only: requirements whose stored result no longer matches the registers. */
    outOfDate: fresh
      ? fresh.changed.map((c) => ({
          id: c.requirementId,
          title: requirementById(c.requirementId)?.title ?? c.requirementId,
          status: c.status,
        }))
      : null,
  };
}

/*
 * getPracticeCompliancePage's work on each requirement is done by module-level functions with
 * loops, not closures made on each request: V8 drops the optimized code of closures made per
 * request at every full collection (docs/performance.md, session 16, optimized code dropped at
 * every full collection).
 */
type Compliance = Awaited<ReturnType<typeof getPracticeCompliance>>;
type RequirementResult = Compliance["requirements"][number];

function countSelfAssessed(requirements: readonly RequirementResult[]): number {
  let n = 0;
  for (const r of requirements) if (!r.result) n++;
  return n;
}

/** Each domain's summary and counts of requirements, in the catalogue's order. */
function domainsOf(data: Compliance) {
  const domains = [];
  for (const key of Object.keys(DOMAINS) as Domain[]) {
    let selfAssessed = 0;
    let requirements = 0;
    for (const r of data.requirements) {
      if (r.requirement.domain !== key) continue;
      requirements++;
      if (!r.result) selfAssessed++;
    }
    domains.push({
      key,
      label: DOMAINS[key],
      summary: (data.byDomain[key] ?? null) as ScoreSummary | null,
      selfAssessed,
      requirements,
    });
  }
  return domains;
}

/** The requirements the filters leave, as the page shows them. */
function rowsShown(requirements: readonly RequirementResult[], filters: PracticeComplianceFilters, versionId: string) {
  const rows = [];
  for (const r of requirements) {
    if (filters.domain && r.requirement.domain !== filters.domain) continue;
    if (filters.status && (filters.status === "attestation" ? r.result : r.result?.status !== filters.status)) continue;
    rows.push({
      requirement: requirementView(r.requirement, versionId),
      result: r.result ? resultView(r.result) : null,
      inForce: inFrameworkVersion(r.requirement.id, versionId),
    });
  }
  return rows;
}

export interface FixCost {
  gapId: number;
  pence: number | null;
  vatPence: number | null;
  /** Why there is no estimate (empty when there is one). */
  missing: string;
  /** Work costed under another requirement's gap, in words. */
  elsewhere: string;
}

/**
 * The cost of what "To fix" lists: the estimate of the practice's open gap for each requirement
 * (the register's figure, each unit costed once per practice). Callers have checked access to
 * the practice. One query for the gaps and one for the prices.
 */
async function fixCosts(db: Db, ods: string, today: string): Promise<Record<string, FixCost>> {
  const gaps = await loadCostedGaps(db, { scope: { all: true }, practice: ods }, today);
  const fixes: Record<string, FixCost> = {};
  for (const g of gaps) {
    fixes[g.requirementId] = {
      gapId: g.id,
      pence: g.estimate.pence,
      vatPence: g.estimate.vatPence,
      missing: describeMissing(g.estimate.missing),
      elsewhere: describeElsewhere(g.estimate.elsewhere),
    };
  }
  return fixes;
}

/**
 * Re-checks one practice for `asOf` and stores what changed, in one transaction, so the page
 * shows results that match the registers. Returns the run's counts.
 */
export async function recheckPractice(db: Db, userId: number, ods: string, asOf: string) {
  const r = await db.transaction().execute(async (trx) => {
    const run = await evaluatePractice(trx, ods, asOf, { userId });
    // The re-check's audit event commits with the results it stored (issue 11, item 8).
    const c = run.counts;
    await recordAudit(trx, {
      userId,
      action: "compliance.recheck",
      entityType: "practice",
      entityId: ods,
      after: {
        source: "page",
        asOf,
        runId: run.runId,
        practices: c.practices,
        results: c.results,
        written: c.written,
        removed: c.removed,
        unchanged: c.unchanged,
        byStatus: c.byStatus,
        gaps: c.gaps,
      },
    });
    return run;
  });
  return { asOf, written: r.counts.written, removed: r.counts.removed, unchanged: r.counts.unchanged, results: r.counts.results };
}

/** One requirement at one practice: its text and sources, the result in force today, and every change. */
export async function getPracticeRequirementPage(db: Db, ods: string, requirementId: string | undefined, today: string) {
  const requirement = requirementId ? requirementById(requirementId) : undefined;
  if (!requirement) throw notFound("requirement");
  const [current] = requirement.automatic ? await repo.resultsAt(db, today, { practices: [ods] }, requirement.id) : [];
  const history = requirement.automatic ? await getPracticeHistory(db, ods, { requirementId: requirement.id }) : [];
  return {
    today,
    requirement: requirementView(requirement),
    current: current
      ? ({
          status: current.status,
          reason: current.reason,
          evidence: current.evidence as EvidenceRef[],
          units: unitsView(current.units as Unit[]),
          upcoming: (current.upcoming as Upcoming[]) ?? [],
          since: current.as_of,
          evaluatedAt: current.evaluated_at,
        } satisfies ResultView)
      : null,
    // Newest first; each outcome held from its date until the next (newer) one.
    history: history.map((h, i) => ({
      id: h.id,
      from: h.as_of,
      until: i > 0 ? history[i - 1].as_of : null,
      status: h.status,
      reason: h.reason,
      evaluatedAt: h.evaluated_at,
    })),
  };
}

export interface ForecastRow {
  date: string;
  requirementId: string;
  title: string;
  domain: string;
  from: Status;
  to: Status;
  reason: string;
  /** "Partly met → Not met; 14 more devices fail (20 in all); +14 Operating system upgrade". */
  change: string;
  worse: boolean;
  drivers: string[];
  financialYear: number;
  /** Cost of the work the change adds: null for a change for the better, 0 when it adds no work, null with `missing` when it cannot be priced. */
  estimatePence: number | null;
  missing: string[];
}

/**
 * What will change in the next 12 and 24 months if nothing is done: every change of status with
 * its date, from → to, and the reason on the day it happens. Nothing is stored.
 */
export async function getPracticeForecastPage(db: Db, ods: string, asOf: string) {
  const [f, timeline] = await Promise.all([forecastPractice(db, ods, asOf), forecastPractices(db, [ods], asOf, 24)]);
  if (!f) throw notFound("practice");
  const [h12, h24] = f.horizons;
  const order = (id: string) => [...Object.keys(DOMAINS)].indexOf(requirementById(id)?.domain ?? "");
  // Every change on the timeline (forecast/timeline.ts): status changes and changes of extent
  // (more devices out of support), each with the cost of the work it adds.
  const rows: ForecastRow[] = timeline.events.map((e) => {
    const req = requirementById(e.requirementId);
    return {
      date: e.date,
      requirementId: e.requirementId,
      title: req?.title ?? e.requirementId,
      domain: DOMAINS[req?.domain as Domain] ?? req?.domain ?? "",
      from: e.from.status,
      to: e.to.status,
      reason: e.to.reason,
      change: e.change,
      worse: e.worse,
      drivers: e.drivers,
      financialYear: e.financialYear,
      estimatePence: e.estimate ? e.estimate.pence : e.worse ? 0 : null,
      missing: e.estimate?.missing.map((m) => m.label) ?? [],
    };
  });
  rows.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || order(a.requirementId) - order(b.requirementId) || a.requirementId.localeCompare(b.requirementId),
  );
  return {
    asOf,
    score: f.score,
    horizons: f.horizons.map((h) => ({ date: h.date, score: h.score })),
    byYear: timeline.byYear,
    contracts: timeline.contracts,
    periods: [
      { key: "12", until: h12.date, after: asOf, rows: rows.filter((r) => r.date <= h12.date) },
      { key: "24", until: h24.date, after: h12.date, rows: rows.filter((r) => r.date > h12.date && r.date <= h24.date) },
    ].map((p) => ({ ...p, lapsing: p.rows.filter((r) => r.worse).length })),
  };
}
