import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { judgeChunk, emptyCounts, type JudgeContext } from "~/modules/compliance/judge";
import { EvaluationThreads, threadsFor, workerCode } from "~/modules/compliance/judge-threads.server";
import { getPolicies } from "~/modules/compliance/policy.server";
import * as repo from "~/modules/compliance/repository.server";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { getDb } from "~/utils/db.server";
import { BOTH_IDS } from "~/modules/compliance/judge";
import { readChunk } from "~/modules/compliance/read-chunk.server";
import { postgresUrlOf } from "#db/postgres";
import { sql } from "kysely";
import type { Db } from "#db/connect";
import { isolatePerFile } from "../support/isolation";
import { fortyPracticesWithEstate } from "../support/forty-practices";

isolatePerFile("worker threads open their own connections on PostgreSQL");

// 40 practices with the demo generator's synthetic estate (devices of every kind, telephony,
// services, paper), so every rule has something to judge.
let codes: string[] = [];
beforeAll(async () => {
  const db = getDb();
  codes = await fortyPracticesWithEstate(db);
});

const A = "2026-06-01";
const B = "2026-12-01";

async function context(): Promise<JudgeContext> {
  const db = getDb();
  return { lifecycle: indexLifecycle(await repo.loadLifecycleRows(db)), policies: await getPolicies(db) };
}

describe("evaluation on worker threads", () => {
  it("finds the worker's code under the test runner", async () => {
    expect(await workerCode()).toMatch(/judge/);
  });

  it("judges a chunk exactly as the main thread does", async () => {
    const db = getDb();
    const ctx = await context();
    const reads = await Promise.all([
      repo.loadEstateRows(db, codes),
      repo.loadStoredOutcomes(db, codes, A),
      repo.loadVerifiedAttestations(db, codes, BOTH_IDS, A),
    ] as const);
    const inThread = emptyCounts();
    const expected = await judgeChunk(reads, A, ctx, inThread);
    const threads = (await EvaluationThreads.open(2, ctx, A))!;
    try {
      const [one, two] = await Promise.all([threads.judge(reads), threads.judge(reads)]);
      expect(one.judgement).toEqual(expected);
      expect(two.judgement).toEqual(expected);
      expect(one.counts).toEqual(inThread);
      expect(expected.writes.length).toBeGreaterThan(1000);
    } finally {
      await threads.close();
    }
  });

  it("lends the threads of a finished run to the next one, which judges exactly as before", async () => {
    const db = getDb();
    const ctx = await context();
    const reads = await Promise.all([
      repo.loadEstateRows(db, codes),
      repo.loadStoredOutcomes(db, codes, B),
      repo.loadVerifiedAttestations(db, codes, BOTH_IDS, B),
    ] as const);
    const expected = await judgeChunk(reads, B, ctx, emptyCounts());
    const first = (await EvaluationThreads.open(2, ctx, A))!;
    const ids = [...first.threadIds].sort();
    await first.judge(reads);
    await first.close();
    // Another date, the same threads: nothing of the first run's context is left behind.
    const second = (await EvaluationThreads.open(2, ctx, B))!;
    try {
      expect([...second.threadIds].sort()).toEqual(ids);
      expect((await second.judge(reads)).judgement).toEqual(expected);
    } finally {
      await second.close();
    }
  });

  it("stores the same results with threads as without: re-running the other way changes nothing", async () => {
    const db = getDb();
    const threaded = await evaluateScope(db, { practices: codes }, A, { chunkSize: 7, threads: 2 });
    expect(threaded.counts.practices).toBe(40);
    expect(threaded.counts.written).toBe(threaded.counts.results);
    const again = await evaluateScope(db, { practices: codes }, A, { chunkSize: 7, threads: 0 });
    expect(again.counts).toMatchObject({ written: 0, removed: 0, unchanged: threaded.counts.results, byStatus: threaded.counts.byStatus });
    expect(again.practices).toEqual(threaded.practices);
    // And the other way round on another date.
    const inThread = await evaluateScope(db, { practices: codes }, B, { chunkSize: 9, threads: 0 });
    const threadedB = await evaluateScope(db, { practices: codes }, B, { chunkSize: 9, threads: 2 });
    expect(threadedB.counts).toMatchObject({
      written: 0,
      removed: 0,
      unchanged: inThread.counts.results,
      byStatus: inThread.counts.byStatus,
    });
    expect(threadedB.practices).toEqual(inThread.practices);
  });

  it("reads and judges a chunk on the threads' own connections exactly as the main thread does (PostgreSQL; PGlite stays in-process)", async () => {
    const db = getDb();
    const url = postgresUrlOf(db);
    if (process.env.DATABASE_URL) expect(url).toMatch(/^postgres/);
    else {
      // One connection in this process: the threads cannot read, so they are sent rows.
      expect(url).toBeNull();
      const threads = (await EvaluationThreads.open(1, await context(), A, url))!;
      expect(threads.reads).toBe(false);
      await threads.close();
      return;
    }
    const ctx = await context();
    const inThread = emptyCounts();
    const expected = await judgeChunk(await readChunk(db, codes, B), B, ctx, inThread);
    const threads = (await EvaluationThreads.open(2, ctx, B, url))!;
    try {
      expect(threads.reads).toBe(true);
      const [one, two] = await Promise.all([threads.read(codes), threads.read(codes.slice(0, 5))]);
      expect(one.judgement).toEqual(expected);
      expect(one.counts).toEqual(inThread);
      expect(two.judgement.summaries.map((s) => s.ods_code)).toEqual(codes.slice(0, 5).sort());
    } finally {
      await threads.close();
    }
  });

  it("stores identical results and gaps from a fresh register whichever path judged them", async () => {
    const db = getDb();
    const C = "2026-11-01";
    const stored = async (d: Db) => {
      const results = await sql<{ row: string }>`
        select concat_ws('|', practice_code, requirement_id, as_of, status, reason, evidence::text, units::text, upcoming::text, outcome_hash) as row
          from evaluation_result where as_of = ${C} order by practice_code, requirement_id`.execute(d);
      const gaps = await sql<{ row: string }>`
        select concat_ws('|', g.practice_code, g.requirement_id, g.status, g.result_status, g.reason, g.units::text, g.first_seen, g.deadline,
                         g.deadline_basis, g.closed_on, g.version,
                         (select string_agg(concat_ws(':', e.kind, e.on_date, e.from_status, e.to_status, e.detail), ';' order by e.id)
                            from gap_event e where e.gap_id = g.id)) as row
          from gap g order by g.practice_code, g.requirement_id, g.first_seen`.execute(d);
      return { results: results.rows.map((r) => r.row), gaps: gaps.rows.map((r) => r.row) };
    };
    // Each path starts from an empty register and an empty results table.
    const empty = async () => {
      await sql`delete from gap_event`.execute(db);
      await sql`delete from gap`.execute(db);
      await sql`delete from evaluation_result`.execute(db);
    };
    const run = async (threads: number) => {
      await empty();
      const r = await evaluateScope(db, { practices: codes }, C, { chunkSize: 6, threads });
      return { counts: r.counts, practices: r.practices, after: await stored(db) };
    };
    const withThreads = await run(2);
    const inProcess = await run(0);
    expect(withThreads.after.results.length).toBe(withThreads.counts.results);
    expect(withThreads.after.gaps.length).toBeGreaterThan(0);
    expect(withThreads.after).toEqual(inProcess.after);
    expect(withThreads.counts).toEqual(inProcess.counts);
    expect(withThreads.practices).toEqual(inProcess.practices);
  });

  it("uses no threads inside a transaction or for a single chunk", () => {
    expect(threadsFor(2, 5, true)).toBe(0);
    expect(threadsFor(2, 1, false)).toBe(0);
    expect(threadsFor(2, 5, false)).toBe(2);
    expect(threadsFor(4, 3, false)).toBe(3);
  });
});
