import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { JobStatus } from "#db/types";

export const ACTIVE: JobStatus[] = ["queued", "running"];

const jobColumns = [
  "job.id",
  "job.kind",
  "job.scope",
  "job.params",
  "job.status",
  "job.created_by",
  "job.created_at",
  "job.started_at",
  "job.finished_at",
  "job.heartbeat_at",
  "job.worker",
  "job.attempts",
  "job.done",
  "job.total",
  "job.phase",
  "job.result",
  "job.error",
] as const;

/** One job with the name of who started it. */
export function findJob(db: Db, id: number) {
  return db
    .selectFrom("job")
    .leftJoin("app_user", "app_user.id", "job.created_by")
    .select([...jobColumns, "app_user.name as created_by_name"])
    .where("job.id", "=", id)
    .executeTakeFirst();
}

export type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

/** The queued or running job for a kind and scope, if any (at most one: job_one_active_idx). */
export function findActiveJob(db: Db, kind: string, scope: string) {
  return db
    .selectFrom("job")
    .leftJoin("app_user", "app_user.id", "job.created_by")
    .select([...jobColumns, "app_user.name as created_by_name"])
    .where("job.kind", "=", kind)
    .where("job.scope", "=", scope)
    .where("job.status", "in", ACTIVE)
    .executeTakeFirst();
}

/**
 * Queues a job unless one is already queued or running for the same kind and scope: the
 * partial unique index decides, so two requests at the same instant cannot both queue one.
 * Null when refused.
 */
export async function insertJob(db: Db, job: { kind: string; scope: string; params: unknown; createdBy: number | null }) {
  const row = await db
    .insertInto("job")
    .values({ kind: job.kind, scope: job.scope, params: JSON.stringify(job.params), created_by: job.createdBy })
    .onConflict((oc) => oc.columns(["kind", "scope"]).where("status", "in", ACTIVE).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Claims the oldest queued job for this worker. `FOR UPDATE SKIP LOCKED` makes the claim
 * exclusive across processes: a second worker skips the row the first has locked and takes
 * the next, or nothing.
 */
export async function claimNextJob(db: Db, worker: string, kinds: readonly string[]) {
  const r = await sql<{ id: number }>`
    update job set status = 'running', started_at = coalesce(started_at, now()), heartbeat_at = now(),
      worker = ${worker}, attempts = attempts + 1
    where id = (
      select id from job where status = 'queued' and kind in (${sql.join(kinds)})
      order by id limit 1 for update skip locked
    )
    returning id`.execute(db);
  return r.rows[0]?.id ?? null;
}

export async function heartbeat(db: Db, id: number, worker: string) {
  await db
    .updateTable("job")
    .set({ heartbeat_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("worker", "=", worker)
    .where("status", "=", "running")
    .execute();
}

/** How far a job has gone: `done` of `total`, and for jobs with several steps, which step. */
export interface JobProgress {
  done: number;
  total: number;
  phase?: string;
}

export async function setProgress(db: Db, id: number, worker: string, p: JobProgress) {
  await db
    .updateTable("job")
    .set({ done: p.done, total: p.total, ...(p.phase === undefined ? {} : { phase: p.phase }), heartbeat_at: sql<Date>`now()` })
    .where("id", "=", id)
    .where("worker", "=", worker)
    .where("status", "=", "running")
    .execute();
}

/** Marks a running job finished. False when it was no longer this worker's (recovered as stale meanwhile). */
export async function finishJob(
  db: Db,
  id: number,
  worker: string,
  outcome: { status: "done"; result: unknown } | { status: "failed"; error: string },
) {
  const r = await db
    .updateTable("job")
    .set({
      status: outcome.status,
      finished_at: sql<Date>`now()`,
      heartbeat_at: sql<Date>`now()`,
      result: outcome.status === "done" ? JSON.stringify(outcome.result) : null,
      // A note left by a recovery ("queued again") stays on a job that then finished.
      ...(outcome.status === "failed" ? { error: outcome.error } : {}),
    })
    .where("id", "=", id)
    .where("worker", "=", worker)
    .where("status", "=", "running")
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Jobs marked running whose process stopped sending heartbeats (it died or was killed): queued
 * again while attempts remain, otherwise failed with a message that says what happened. Returns
 * what it changed.
 */
export async function recoverStaleJobs(db: Db, staleSeconds: number, maxAttempts: number) {
  const r = await sql<{ id: number; status: JobStatus; scope: string; kind: string }>`
    update job set
      status = case when attempts >= ${maxAttempts} then 'failed' else 'queued' end,
      finished_at = case when attempts >= ${maxAttempts} then now() else null end,
      error = case
        when attempts < ${maxAttempts} then 'The server running this job stopped before it finished; it was queued again.'
        -- An import writes in one transaction: a stopped one wrote nothing, and its file is still there to import.
        when kind = 'import' then 'The server running this import stopped before it finished (' || attempts || ' attempts). Nothing was imported: an import is saved completely or not at all. Check the file and import it again.'
        else 'The server running this job stopped before it finished (' || attempts || ' attempts). Results stored before it stopped are kept; start it again to finish.' end,
      worker = null
    where status = 'running' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${staleSeconds}))
    returning id, status, scope, kind`.execute(db);
  return r.rows;
}

/** The newest job of a kind for a scope started by a user, whatever its status (the last import of an upload). */
export function findLatestJob(db: Db, kind: string, scope: string, createdBy: number) {
  return db
    .selectFrom("job")
    .leftJoin("app_user", "app_user.id", "job.created_by")
    .select([...jobColumns, "app_user.name as created_by_name"])
    .where("job.kind", "=", kind)
    .where("job.scope", "=", scope)
    .where("job.created_by", "=", createdBy)
    .orderBy("job.id", "desc")
    .executeTakeFirst();
}

/** Recent jobs, newest first, optionally for some scopes only. */
export function listJobs(db: Db, opts: { kind: string; scopes?: string[]; limit: number }) {
  let q = db
    .selectFrom("job")
    .leftJoin("app_user", "app_user.id", "job.created_by")
    .select([...jobColumns, "app_user.name as created_by_name"])
    .where("job.kind", "=", opts.kind);
  if (opts.scopes) {
    if (opts.scopes.length === 0) return Promise.resolve([]);
    q = q.where("job.scope", "in", opts.scopes);
  }
  return q.orderBy("job.id", "desc").limit(opts.limit).execute();
}

/** ICB names by code, for labelling a list of jobs in one statement. */
export async function icbNames(db: Db, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db.selectFrom("icb").select(["code", "name"]).where("code", "in", codes).execute();
  return new Map(rows.map((r) => [r.code, r.name ?? r.code]));
}
