/**
 * The national re-evaluation against its SQL floor, measured back to back and alternating so
 * both see the same machine: `npm run -s bench:evaluate -- [--runs N] [--threads N] [--icb CODE]`.
 * `--threads 0` evaluates on the main thread (the fallback path), otherwise on N worker
 * threads (default: one per core up to 2, or EVALUATION_THREADS). Each run also times the
 * main-thread path (`inThread`), so the two are compared on the same machine minutes apart.
 * Prints one JSON object on stdout.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { getEnv } from "~/utils/env.server";
import { todayIso } from "~/utils/today";
import { evaluationFloor } from "./bench-db";
import { summarise } from "./bench-lib";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, threads: { type: "string" }, icb: { type: "string" } },
  strict: true,
});
const runs = Number(values.runs);
const threads = values.threads === undefined ? undefined : Number(values.threads);
const handle = createDbFromEnv(getEnv());
const db = handle.db;
const asOf = todayIso();
const log = (t: string) => process.stderr.write(`${t}\n`);
try {
  await migrateToLatest(db);
  const scope = values.icb ? { icb: values.icb } : ({ all: true } as const);
  // CPU is this process's, all threads (the main thread, the evaluation threads, V8's helpers);
  // PostgreSQL's is not in it. On a busy machine it says more than the wall time.
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const cpu: Record<"floor" | "product" | "inThread", number[]> = { floor: [], product: [], inThread: [] };
  const time = async (fn: () => Promise<unknown>, into?: number[]) => {
    const t = performance.now();
    const c = cpuSeconds();
    await fn();
    into?.push(Math.round((cpuSeconds() - c) * 100) / 100);
    return performance.now() - t;
  };
  const loadBefore = os.loadavg();
  // One warm-up of each, then alternate.
  await evaluationFloor(db, values.icb ?? null, asOf);
  await evaluateScope(db, scope, asOf, { threads });
  const floor: number[] = [];
  const product: number[] = [];
  const inThread: number[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(await time(() => evaluationFloor(db, values.icb ?? null, asOf), cpu.floor));
    product.push(await time(() => evaluateScope(db, scope, asOf, { threads }), cpu.product));
    inThread.push(await time(() => evaluateScope(db, scope, asOf, { threads: 0 }), cpu.inThread));
    log(
      `run ${i + 1}: floor ${Math.round(floor[i])} ms, re-evaluation ${Math.round(product[i])} ms (${cpu.product[i]} s CPU), on the main thread ${Math.round(inThread[i])} ms (${cpu.inThread[i]} s CPU) (load ${os.loadavg()[0].toFixed(2)})`,
    );
  }
  const f = summarise(floor);
  const p = summarise(product);
  const m = summarise(inThread);
  process.stdout.write(
    `${JSON.stringify({ scope: values.icb ?? "all", threads: threads ?? "default", runs, floor: f, reevaluation: p, ratio: Math.round((p.median_ms / f.median_ms) * 100) / 100, inThread: m, inThreadRatio: Math.round((m.median_ms / f.median_ms) * 100) / 100, nodeCpuSeconds: cpu, loadBefore, loadAfter: os.loadavg() })}\n`,
  );
} finally {
  await db.destroy();
}
