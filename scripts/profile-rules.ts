/**
 * Where a national re-evaluation's CPU goes, reading and judging apart, on the main thread:
 * `npx tsx scripts/profile-rules.ts [--icb CODE] [--read-runs N] [--runs N] [--per-rule]`.
 * Reads every chunk `read-runs` times as a run does (one at a time, dropped once read), then
 * judges them all `runs` times from memory (nothing is stored), printing CPU seconds of each;
 * `--per-rule` also times each rule. For a CPU profile, bundle it first (tsx's source maps hide
 * line numbers): `npx esbuild scripts/profile-rules.ts --bundle --platform=node --format=esm
 * --packages=external --outfile=prof/p.mjs && node --cpu-prof prof/p.mjs`.
 */
import { parseArgs } from "node:util";
import { createDbFromEnv } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { todayIso } from "~/utils/today";
import { CHUNK_SIZE, loadContext } from "~/modules/compliance/evaluate.server";
import { emptyCounts, judgeChunk, type ChunkReads } from "~/modules/compliance/judge";
import { readChunk } from "~/modules/compliance/read-chunk.server";
import * as repo from "~/modules/compliance/repository.server";
import { RULES } from "~/modules/compliance/rules";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    icb: { type: "string" },
    "read-runs": { type: "string", default: "1" },
    "per-rule": { type: "boolean", default: false },
  },
  strict: true,
});
const handle = createDbFromEnv(getEnv());
const db = handle.db;
const asOf = todayIso();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const perRule = new Map<string, number>();
if (values["per-rule"])
  for (const def of RULES.values()) {
    const rule = def.rule;
    (def as { rule: typeof rule }).rule = (e, p, a) => {
      const t = performance.now();
      try {
        return rule(e, p, a);
      } finally {
        perRule.set(def.id, (perRule.get(def.id) ?? 0) + performance.now() - t);
      }
    };
  }
try {
  const ctx = await loadContext(db);
  const codes = await repo.listScopePractices(db, values.icb ? { icb: values.icb } : { all: true });
  const chunks = Array.from({ length: Math.ceil(codes.length / CHUNK_SIZE) }, (_, k) => codes.slice(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE));
  let c0 = cpu();
  let t0 = performance.now();
  // Reading as a run does: one chunk at a time, dropped once read (keeping them all in memory
  // would add garbage collection a run never pays).
  for (let r = 0; r < Number(values["read-runs"]); r++) {
    c0 = cpu();
    t0 = performance.now();
    for (const chunk of chunks) await readChunk(db, chunk, asOf);
    process.stderr.write(`read run ${r + 1}: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${(cpu() - c0).toFixed(2)} s CPU\n`);
  }
  const reads: ChunkReads[] = [];
  if (Number(values.runs) > 0) for (const chunk of chunks) reads.push(await readChunk(db, chunk, asOf));
  const runs: number[] = [];
  for (let r = 0; r < Number(values.runs); r++) {
    c0 = cpu();
    t0 = performance.now();
    const counts = emptyCounts();
    for (const chunk of reads) await judgeChunk(chunk, asOf, ctx, counts);
    runs.push(cpu() - c0);
    process.stderr.write(
      `judge run ${r + 1}: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, ${(cpu() - c0).toFixed(2)} s CPU (${counts.results} results, ${counts.unchanged} unchanged)\n`,
    );
  }
  const rules = Object.fromEntries([...perRule].sort((a, b) => b[1] - a[1]).map(([id, ms]) => [id, Math.round(ms / Number(values.runs))]));
  const rulesTotal = [...perRule.values()].reduce((a, b) => a + b, 0) / Number(values.runs);
  process.stdout.write(
    `${JSON.stringify({ practices: codes.length, judgeCpuSeconds: runs.map((x) => Math.round(x * 100) / 100), ...(values["per-rule"] ? { rulesMsPerRun: Math.round(rulesTotal), rules } : {}) })}\n`,
  );
} finally {
  await db.destroy();
}
