import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { runEvaluateCli } from "~/modules/compliance/cli.server";
import { recheckPractice } from "~/modules/compliance/practice-view.server";
import { findJob, insertJob } from "~/modules/queue/repository.server";
import { importJobHandler, type ImportJobResult } from "~/modules/jobs/import.server";
import { RECHECK, recheckJobHandler, type RecheckSummary } from "~/modules/jobs/recheck.server";
import { registerJobHandler, runPendingJobs, type JobOutcome } from "~/modules/queue/worker.server";
import * as rechecks from "~/routes/admin.re-checks";
import * as icbPage from "~/routes/icbs.$code_.compliance._index";
import * as jobPage from "~/routes/jobs.$id";
import { getDb } from "~/utils/db.server";
import { heapReductions, LARGE_WORK_ROWS } from "~/utils/reduce-heap.server";
import { todayIso } from "~/utils/today";
import { addMainSites, addPractices } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { call, get, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("several job workers at once on PostgreSQL, each claiming jobs on its own connection");

// QMF holds F84003, F84013 and 6 test practices; QHM holds A81001. Nothing is evaluated
// before the tests, so a first re-check writes results for every practice.
const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  await addPractices(db, 6, "J");
});

const Q = { code: "QMF" };
const startIcb = (cookie: string | undefined, code = "QMF") =>
  call(icbPage.action, post(`/icbs/${code}/compliance`, { intent: "recheck" }, { cookie }), { code });
const jobIdFrom = (location: string | null | undefined) => Number(/^\/jobs\/(\d+)$/.exec(location ?? "")![1]);
const auditFor = (action: string) => getDb().selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("id").execute();
const userId = async (email: string) =>
  (await getDb().selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

describe("an ICB re-check as a background job", () => {
  it("is queued by the page's button, run by a worker, and shows its progress and outcome", async () => {
    const res = await startIcb(cookies.icbLead);
    expect(res.status).toBe(302);
    const id = jobIdFrom(res.location);
    const queued = await call(jobPage.loader, get(`/jobs/${id}`, cookies.icbLead), { id: String(id) });
    expect(queued.data.job).toMatchObject({
      status: "queued",
      scope: "icb:QMF",
      icbCode: "QMF",
      startedBy: "lead@test.nhs.test",
      done: 0,
      total: null,
      asOf: todayIso(),
    });
    // The ICB page says it is running and offers no second button.
    expect((await call(icbPage.loader, get("/icbs/QMF/compliance", cookies.icbLead), Q)).data.activeJob).toMatchObject({
      id,
      status: "queued",
    });

    const reductions = heapReductions();
    expect(await runPendingJobs(getDb())).toEqual([id]);
    // 8 practices grow too little heap to be worth a collection (that is for large re-checks).
    expect(heapReductions()).toBe(reductions);
    const done = (await call(jobPage.loader, get(`/jobs/${id}`, cookies.icbLead), { id: String(id) })).data.job;
    expect(done).toMatchObject({ status: "done", done: 8, total: 8, error: null, attempts: 1 });
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.result).toMatchObject({ asOf: todayIso(), practices: 8 });
    expect(done.result.written).toBe(done.result.results);
    expect((await call(icbPage.loader, get("/icbs/QMF/compliance", cookies.icbLead), Q)).data.activeJob).toBeNull();
    // Every practice in the ICB now has results.
    const checked = await getDb()
      .selectFrom("evaluation_result")
      .select(sql<number>`count(distinct practice_code)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(checked.n).toBe(8);
  });

  it("writes an audit event when queued and one with the counts when finished", async () => {
    const res = await startIcb(cookies.admin);
    const id = jobIdFrom(res.location);
    await runPendingJobs(getDb());
    const queued = (await auditFor("compliance.recheck.queue")).filter((e) => (e.after as { jobId: number }).jobId === id);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      user_id: await userId("admin@test.nhs.test"),
      entity_type: "icb",
      entity_id: "QMF",
      after: { scope: "icb:QMF", asOf: todayIso() },
    });
    const finished = (await auditFor("compliance.recheck")).filter((e) => (e.after as { jobId?: number }).jobId === id);
    expect(finished).toHaveLength(1);
    // Nothing changed since the first re-check: every result is counted as unchanged.
    expect(finished[0]).toMatchObject({
      entity_type: "icb",
      entity_id: "QMF",
      after: { source: "job", practices: 8, written: 0, removed: 0 },
    });
    expect((finished[0].after as { unchanged: number }).unchanged).toBe((finished[0].after as { results: number }).results);
  });

  it("refuses a second re-check of the same ICB while one is queued or running, naming who started it", async () => {
    const first = await startIcb(cookies.icbLead);
    const id = jobIdFrom(first.location);
    const second = await startIcb(cookies.admin);
    expect(second.status).toBe(200);
    expect(second.data).toMatchObject({ ok: false, existing: { jobId: id, startedBy: "lead@test.nhs.test", status: "queued" } });
    expect(await getDb().selectFrom("job").select("id").where("status", "in", ["queued", "running"]).execute()).toHaveLength(1);
    // Another ICB is not blocked.
    const other = await startIcb(cookies.admin, "QHM");
    expect(other.status).toBe(302);
    await getDb()
      .updateTable("job")
      .set({ status: "running", worker: "elsewhere", heartbeat_at: new Date() })
      .where("id", "=", id)
      .execute();
    expect((await startIcb(cookies.admin)).data).toMatchObject({ ok: false, existing: { jobId: id, status: "running" } });
    // Once it is finished, a new one may start.
    await getDb().updateTable("job").set({ status: "done", finished_at: new Date() }).where("id", "=", id).execute();
    expect((await startIcb(cookies.admin)).status).toBe(302);
    await runPendingJobs(getDb());
  });

  it("is for the ICB's lead and admins only: others are refused and nothing is queued", async () => {
    const before = await getDb()
      .selectFrom("job")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect((await startIcb(cookies.partnerIcb)).status).toBe(403);
    expect((await startIcb(cookies.practiceManager)).status).toBe(404);
    expect((await startIcb(cookies.icbLead, "QHM")).status).toBe(404);
    expect((await startIcb(cookies.nobody)).status).toBe(403);
    const after = await getDb()
      .selectFrom("job")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe("a national re-check", () => {
  it("is started by an admin from /admin/re-checks, refused as a duplicate, and listed there", async () => {
    const res = await call(rechecks.action, post("/admin/re-checks", { intent: "recheck" }, { cookie: cookies.admin }), {});
    expect(res.status).toBe(302);
    const id = jobIdFrom(res.location);
    const again = await call(rechecks.action, post("/admin/re-checks", { intent: "recheck" }, { cookie: cookies.admin }), {});
    expect(again.data).toMatchObject({ ok: false, existing: { jobId: id, startedBy: "admin@test.nhs.test" } });
    expect((await call(rechecks.loader, get("/admin/re-checks", cookies.admin), {})).data.national).toMatchObject({
      id,
      scopeLabel: "every practice in England",
    });
    expect(await runPendingJobs(getDb())).toEqual([id]);
    const page = await call(rechecks.loader, get("/admin/re-checks", cookies.admin), {});
    expect(page.data.national).toBeNull();
    expect(page.data.jobs[0]).toMatchObject({ id, status: "done", done: 9, total: 9 });
    const finished = (await auditFor("compliance.recheck")).filter((e) => (e.after as { jobId?: number }).jobId === id);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ entity_type: "england", entity_id: "all", after: { practices: 9 } });
  });

  it("cannot be started by an ICB lead, and its page is for national readers only", async () => {
    expect((await call(rechecks.action, post("/admin/re-checks", { intent: "recheck" }, { cookie: cookies.icbLead }), {})).status).toBe(
      403,
    );
    const [national] = await getDb().selectFrom("job").select("id").where("scope", "=", "all").execute();
    const id = String(national.id);
    expect((await call(jobPage.loader, get(`/jobs/${id}`, cookies.admin), { id })).status).toBe(200);
    expect((await call(jobPage.loader, get(`/jobs/${id}`, cookies.icbLead), { id })).status).toBe(404);
    expect((await call(jobPage.loader, get(`/jobs/${id}`, cookies.practiceManager), { id })).status).toBe(404);
  });
});

describe("the worker", () => {
  it("recovers a job left running by a process that died: queued again, then run to the end", async () => {
    const db = getDb();
    const id = (await insertJob(db, { kind: RECHECK, scope: "icb:QHM", params: { asOf: todayIso() }, createdBy: null }))!;
    await db
      .updateTable("job")
      .set({
        status: "running",
        worker: "dead-host:1",
        attempts: 1,
        started_at: sql<Date>`now() - interval '10 minutes'`,
        heartbeat_at: sql<Date>`now() - interval '10 minutes'`,
      })
      .where("id", "=", id)
      .execute();
    expect(await runPendingJobs(db)).toEqual([id]);
    const job = await findJob(db, id);
    expect(job).toMatchObject({ status: "done", attempts: 2, done: 1, total: 1 });
    expect(job!.error).toMatch(/stopped before it finished; it was queued again/);
  });

  it("marks a job failed, saying why, once its attempts are used up; a fresh heartbeat is left alone", async () => {
    const db = getDb();
    const dead = (await insertJob(db, { kind: RECHECK, scope: "icb:QHM", params: { asOf: todayIso() }, createdBy: null }))!;
    await db
      .updateTable("job")
      .set({ status: "running", worker: "dead-host:1", attempts: 2, heartbeat_at: sql<Date>`now() - interval '10 minutes'` })
      .where("id", "=", dead)
      .execute();
    const alive = (await insertJob(db, { kind: RECHECK, scope: "icb:QMF", params: { asOf: todayIso() }, createdBy: null }))!;
    await db
      .updateTable("job")
      .set({ status: "running", worker: "live-host:1", attempts: 1, heartbeat_at: sql<Date>`now()` })
      .where("id", "=", alive)
      .execute();
    expect(await runPendingJobs(db)).toEqual([]);
    expect(await findJob(db, dead)).toMatchObject({ status: "failed" });
    expect((await findJob(db, dead))!.error).toMatch(/The server running this job stopped before it finished \(2 attempts\)/);
    expect((await findJob(db, dead))!.finished_at).toBeInstanceOf(Date);
    expect(await findJob(db, alive)).toMatchObject({ status: "running", worker: "live-host:1" });
    await db.updateTable("job").set({ status: "failed", finished_at: new Date() }).where("id", "=", alive).execute();
  });

  it("gives each job to exactly one of several workers running at once", async () => {
    const db = getDb();
    const runs = new Map<number, number>();
    registerJobHandler("test-count", {
      async run(_db, job) {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        return null;
      },
    });
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await insertJob(db, { kind: "test-count", scope: `t${i}`, params: {}, createdBy: null }))!);
    const ran = await Promise.all([
      runPendingJobs(db, { worker: "a" }),
      runPendingJobs(db, { worker: "b" }),
      runPendingJobs(db, { worker: "c" }),
    ]);
    expect(ran.flat().sort((a, b) => a - b)).toEqual(ids);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(8);
  });

  it("stores progress while a job runs, and a failure with its message", async () => {
    const db = getDb();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    registerJobHandler("test-progress", {
      async run(_db, _job, progress) {
        await progress({ done: 1, total: 2 });
        reached();
        await gate;
        throw new Error("The estate could not be read.");
      },
    });
    const id = (await insertJob(db, { kind: "test-progress", scope: "x", params: {}, createdBy: null }))!;
    const running = runPendingJobs(db);
    await atGate;
    expect(await findJob(db, id)).toMatchObject({ status: "running", done: 1, total: 2 });
    release();
    await running;
    expect(await findJob(db, id)).toMatchObject({ status: "failed", error: "The estate could not be read." });
  });

  it("gives the heap back after a job only when its handler says the run was large", async () => {
    const db = getDb();
    const asked: JobOutcome[] = [];
    registerJobHandler("test-heap", {
      async run(_db, job) {
        const p = job.params as { rows?: number };
        if (p.rows === undefined) throw new Error("The file could not be read.");
        return { rows: p.rows };
      },
      reducesHeapAfter(outcome) {
        asked.push(outcome);
        return outcome.status === "failed" || (outcome.result as { rows: number }).rows >= LARGE_WORK_ROWS;
      },
    });
    const runOne = async (params: object) => {
      await insertJob(db, { kind: "test-heap", scope: JSON.stringify(params), params, createdBy: null });
      const before = heapReductions();
      await runPendingJobs(db);
      return heapReductions() - before;
    };
    expect(await runOne({ rows: 2 })).toBe(0);
    expect(await runOne({ rows: LARGE_WORK_ROWS })).toBe(1);
    expect(await runOne({})).toBe(1);
    // The handler is asked with the outcome the job recorded.
    expect(asked).toEqual([
      { status: "done", result: { rows: 2 } },
      { status: "done", result: { rows: LARGE_WORK_ROWS } },
      { status: "failed", error: "The file could not be read." },
    ]);
  });

  it("counts imports and re-checks as large from the rows they read or judged", () => {
    const done = (result: unknown): JobOutcome => ({ status: "done", result });
    const devices = (rowsRead: number) =>
      done({
        importKind: "devices",
        runId: 1,
        counts: { rowsRead, created: rowsRead, updated: 0, unchanged: 0, rejected: 0 },
        retired: 0,
      } satisfies ImportJobResult);
    expect(importJobHandler.reducesHeapAfter!(devices(LARGE_WORK_ROWS - 1))).toBe(false);
    expect(importJobHandler.reducesHeapAfter!(devices(LARGE_WORK_ROWS))).toBe(true);
    // A paper file's rows are counted by what became of each.
    const paper = (n: number) =>
      done({
        importKind: "paper_activity",
        runId: 1,
        counts: { created: n, updated: n, unchanged: n, rejected: n },
      } satisfies ImportJobResult);
    expect(importJobHandler.reducesHeapAfter!(paper(12))).toBe(false);
    expect(importJobHandler.reducesHeapAfter!(paper(LARGE_WORK_ROWS / 4))).toBe(true);
    expect(importJobHandler.reducesHeapAfter!({ status: "failed", error: "x" })).toBe(true);
    const recheck = (results: number) => done({ results } as RecheckSummary);
    expect(recheckJobHandler.reducesHeapAfter!(recheck(LARGE_WORK_ROWS - 1))).toBe(false);
    expect(recheckJobHandler.reducesHeapAfter!(recheck(LARGE_WORK_ROWS))).toBe(true);
    expect(recheckJobHandler.reducesHeapAfter!({ status: "failed", error: "x" })).toBe(true);
  });

  it("fails a re-check job whose parameters make no sense, with an audit event saying so", async () => {
    const db = getDb();
    const id = (await insertJob(db, { kind: RECHECK, scope: "icb:QMF", params: {}, createdBy: null }))!;
    await runPendingJobs(db);
    expect((await findJob(db, id))!.error).toMatch(/not one a re-check understands/);
    const fail = (await auditFor("compliance.recheck.fail")).filter((e) => (e.after as { jobId: number }).jobId === id);
    expect(fail).toHaveLength(1);
  });
});

describe("re-checks outside jobs are audited too", () => {
  it("a practice re-check writes its event in the same transaction as its results", async () => {
    const db = getDb();
    const uid = await userId("pm@test.nhs.test");
    await db.updateTable("site").set({ hscn_connected: false }).where("practice_code", "=", "F84003").execute();
    const r = await recheckPractice(db, uid, "F84003", todayIso());
    expect(r.written).toBeGreaterThan(0);
    const events = (await auditFor("compliance.recheck")).filter((e) => e.entity_type === "practice" && e.entity_id === "F84003");
    expect(events.at(-1)).toMatchObject({ user_id: uid, after: { source: "page", written: r.written, asOf: todayIso() } });
  });

  it("npm run evaluate writes one event with its counts", async () => {
    const out: string[] = [];
    await runEvaluateCli(["--icb", "QHM", "--json"], getDb(), { out: (t) => out.push(t), err: () => {} });
    const events = (await auditFor("compliance.recheck")).filter((e) => (e.after as { source: string }).source === "cli");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      user_id: null,
      entity_type: "icb",
      entity_id: "QHM",
      after: { practices: JSON.parse(out[0]).counts.practices },
    });
  });
});
