import type { Db } from "#db/connect";
import { titleCase } from "~/components/format";
import { findIcb } from "~/modules/org/repository.server";
import { notFound } from "~/utils/errors";
import { IdParamSchema } from "~/utils/params";
import type { Scope } from "~/utils/permissions";
import { canViewRecheck, parseScopeKey, RECHECK, scopeKey, type RecheckScope, type RecheckSummary } from "./recheck.server";
import * as repo from "./repository.server";

export interface JobView {
  id: number;
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
  attempts: number;
  result: RecheckSummary | null;
  error: string | null;
}

async function toView(db: Db, j: repo.JobRow, names?: Map<string, string>): Promise<JobView> {
  const s = parseScopeKey(j.scope);
  let scopeLabel = j.scope;
  if (s && "all" in s) scopeLabel = "every practice in England";
  else if (s) {
    const name = names ? names.get(s.icb) : (await findIcb(db, s.icb))?.name;
    scopeLabel = name ? `${titleCase(name)} (${s.icb})` : s.icb;
  }
  return {
    id: j.id,
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
    attempts: j.attempts,
    result: (j.result as RecheckSummary | null) ?? null,
    error: j.error,
  };
}

/** One re-check job, if the reader may see its scope (else 404, so nothing leaks). */
export async function getJobPage(db: Db, read: Scope, rawId: string | undefined) {
  const id = IdParamSchema.safeParse(rawId);
  const job = id.success ? await repo.findJob(db, id.data) : undefined;
  if (!job || job.kind !== RECHECK || !canViewRecheck(read, job.scope)) throw notFound("job");
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
