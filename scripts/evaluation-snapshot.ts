/**
 * The national snapshot that a change to evaluation reading or judging must leave byte-identical:
 * `npx tsx scripts/evaluation-snapshot.ts [YYYY-MM-DD,...]` (default: today, 1 June 2025 and
 * 20 October 2027). For each date, every chunk is read as a run reads it and judged as if nothing
 * were stored (so every result, gap outcome and practice summary is produced), and the stored
 * outcomes as read are listed too (sorted: their order means nothing). Prints one line per date
 * with a SHA-256 of each; run it on main and on the change (same database, nothing written in
 * between) and compare the lines. Writes nothing.
 */
import crypto from "node:crypto";
import { createDbFromEnv } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { todayIso } from "~/utils/today";
import { CHUNK_SIZE, loadContext } from "~/modules/compliance/evaluate.server";
import { emptyCounts, judgeChunk } from "~/modules/compliance/judge";
import { readChunk } from "~/modules/compliance/read-chunk.server";
import * as repo from "~/modules/compliance/repository.server";
import { storedOutcomeEntries } from "~/modules/compliance/stored-outcomes";

const dates = (process.argv[2] ?? `${todayIso()},2025-06-01,2027-10-20`).split(",");
const db = createDbFromEnv(getEnv()).db;
try {
  const ctx = await loadContext(db);
  const codes = await repo.listScopePractices(db, { all: true });
  // Keyed `practice|requirement`, as when they were read into one map: the lines compare with earlier snapshots.
  const list = (m: repo.StoredOutcomes) =>
    storedOutcomeEntries(m)
      .map(([k, v]) => [k, v.id, v.outcome_hash].join(" "))
      .sort();
  for (const asOf of dates) {
    const judged = crypto.createHash("sha256");
    const stored = crypto.createHash("sha256");
    const counts = emptyCounts();
    for (let k = 0; k < codes.length; k += CHUNK_SIZE) {
      const [rows, outcomes, attested] = await readChunk(db, codes.slice(k, k + CHUNK_SIZE), asOf);
      const j = await judgeChunk([rows, { at: new Map(), before: new Map() }, attested], asOf, { ...ctx, syncAllGaps: true }, counts);
      judged.update(JSON.stringify(j));
      stored.update(JSON.stringify([list(outcomes.at), list(outcomes.before)]));
    }
    process.stdout.write(
      `${JSON.stringify({ asOf, judged: judged.digest("hex"), stored: stored.digest("hex"), results: counts.results, byStatus: counts.byStatus })}\n`,
    );
  }
} finally {
  await db.destroy();
}
