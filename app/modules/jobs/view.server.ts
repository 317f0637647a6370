import type { Db } from "#db/connect";
import { titleCase } from "~/utils/format";
import { findIcb, findPracticeKey } from "~/modules/org/repository.server";
import { notFound } from "~/utils/errors";
import { IdParamSchema } from "~/utils/params";
import { scopeCoversPractice, type Scope } from "~/utils/permissions";
import { IMPORT, ImportParamsSchema, type ImportJobResult, type ImportParams } from "./import.server";
import { canViewRecheck, parseScopeKey, RECHECK, scopeKey, type RecheckScope, type RecheckSummary } from "./recheck.server";
import * as repo from "~/modules/queue/repository.server";

export interface JobView {
  id: number;
  kind: "recheck" | "import";
  status: "queued" | "running" | "done" | "failed";
  scope: string;
  /** "North East London ICB (QMF)" or "every practice in England". */
  scopeLabel: string;
  icbCode: string | null;
  asOf: string | null;
  startedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  done: number;
  total: number | null;
  /** An import's step: "checking", "writing" or "rechecking". */
  phase: string | null;
  attempts: number;
  /** A finished re-check's counts. */
  result: RecheckSummary | null;
  /** For an import: which file, of what kind, for which practice, and once finished its counts. */
  import: (Pick<ImportParams, "importKind" | "fileName" | "practice"> & { result: ImportJobResult | null }) | null;
  error: string | null;
}

async function toView(db: Db, j: repo.JobRow, names?: Map<string, string>): Promise<JobView> {
  if (j.kind === IMPORT) return importView(j);
  const s = parseScopeKey(j.scope);
  let scopeLabel = j.scope;
  if (s && "all" in s) scopeLabel = "every practice in England";
  else if (s) {
    const name = names ? names.get(s.icb) : (await findIcb(db, s.icb))?.name;
    scopeLabel = name ? `${titleCase(name)} (${s.icb})` : s.icb;
  }
  return {
    id: j.id,
    kind: "recheck",
    status: j.status,
    scope: j.scope,
    scopeLabel,
    icbCode: s && "icb" in s ? s.icb : null,
    asOf: (j.params as { asOf?: string }).asOf ?? null,
    startedBy: j.created_by_name,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    done: j.done,
    total: j.total,
    phase: j.phase,
    attempts: j.attempts,
    result: (j.result as RecheckSummary | null) ?? null,
    import: null,
    error: j.error,
  };
}

function importView(j: repo.JobRow): JobView {
  const p = ImportParamsSchema.parse(j.params);
  return {
    id: j.id,
    kind: "import",
    status: j.status,
    scope: j.scope,
    scopeLabel: p.fileName,
    icbCode: null,
    asOf: null,
    startedBy: j.created_by_name,
    createdAt: j.created_at,
    startedAt: j.started_at,
    finishedAt: j.finished_at,
    done: j.done,
    total: j.total,
    phase: j.phase,
    attempts: j.attempts,
    result: null,
    import: { importKind: p.importKind, fileName: p.fileName, practice: p.practice, result: (j.result as ImportJobResult | null) ?? null },
    error: j.error,
  };
}

/**
 * Who may see an import job: admins; otherwise only the person who started it, and (for a file
 * for one practice) only while that practice is still in their scope. Anyone else is told it
 * does not exist, so job ids reveal nothing.
 */
async function canViewImport(db: Db, user: { id: number }, read: Scope, j: repo.JobRow) {
  if (read.all) return true;
  if (j.created_by !== user.id) return false;
  const p = ImportParamsSchema.safeParse(j.params);
  if (!p.success) return false;
  if (!p.data.practice) return true;
  const practice = await findPracticeKey(db, p.data.practice);
  return !!practice && scopeCoversPractice(read, practice);
}

/** One job (a re-check or an import), if the reader may see it (else 404, so nothing leaks). */
export async function getJobPage(db: Db, user: { id: number }, read: Scope, rawId: string | undefined) {
  const id = IdParamSchema.safeParse(rawId);
  const job = id.success ? await repo.findJob(db, id.data) : undefined;
  const visible = !job
    ? false
    : job.kind === RECHECK
      ? canViewRecheck(read, job.scope)
      : job.kind === IMPORT
        ? await canViewImport(db, user, read, job)
        : false;
  if (!job || !visible) throw notFound("job");
  return toView(db, job);
}

/** The queued or running re-check of a scope, for the page that starts one. */
export async function activeRecheck(db: Db, scope: RecheckScope) {
  const job = await repo.findActiveJob(db, RECHECK, scopeKey(scope));
  return job ? toView(db, job) : null;
}

/** Recent re-checks the reader may see, newest first (admins: every scope). */
export async function listRechecks(db: Db, read: Scope, limit = 30) {
  const scopes = read.all ? undefined : [...read.icbCodes.map((c) => `icb:${c}`)];
  const rows = await repo.listJobs(db, { kind: RECHECK, scopes, limit });
  const codes = rows.flatMap((r) => {
    const s = parseScopeKey(r.scope);
    return s && "icb" in s ? [s.icb] : [];
  });
  const names = await repo.icbNames(db, [...new Set(codes)]);
  return Promise.all(rows.map((r) => toView(db, r, names)));
}
