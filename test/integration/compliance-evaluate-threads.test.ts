import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { judgeChunk, emptyCounts, type JudgeContext } from "~/modules/compliance/judge";
import { EvaluationThreads, threadsFor, workerCode } from "~/modules/compliance/judge-threads.server";
import { getPolicies } from "~/modules/compliance/policy.server";
import * as repo from "~/modules/compliance/repository.server";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { seedEstate } from "~/modules/seed/estate.server";
import { getDb } from "~/utils/db.server";
import { ensureLifecycleSeed } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";
import { addMainSites, addPractices } from "../support/compliance-db";
import { BOTH_IDS } from "~/modules/compliance/judge";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";

// 40 practices with the demo generator's synthetic estate (devices of every kind, telephony,
// services, paper), so every rule has something to judge.
let codes: string[] = [];
beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureLifecycleSeed(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  codes = [...(await addPractices(db, 37, "W")), "F84003", "F84013", "A81001"];
  await seedEstate(db, codes, { seed: 7 });
  await ensureCatalogue(db);
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

  it("uses no threads inside a transaction or for a single chunk", () => {
    expect(threadsFor(2, 5, true)).toBe(0);
    expect(threadsFor(2, 1, false)).toBe(0);
    expect(threadsFor(2, 5, false)).toBe(2);
    expect(threadsFor(4, 3, false)).toBe(3);
  });
});
