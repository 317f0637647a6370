/**
 * `npm start`'s first step, in a process of its own (scripts/start.ts runs it and waits): migrate,
 * seed the demo on first run, fill the gap register for data saved before it existed, and build
 * if the sources changed. Its own process because this work (the embedded database's memory,
 * seeding, evaluating, bundling) left the supervisor, which then runs for the server's life, at
 * 420-910 MB resident; this process exits, and the memory goes with it. The embedded database
 * allows one process at a time, and this one has closed it before the server opens it.
 */
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { analyseEmbedded } from "#db/statistics";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { todayIso } from "~/utils/today";
import { hasUsers, seedDemo } from "~/modules/seed/demo.server";
import { getEnv } from "~/utils/env.server";
import { ensureBuilt } from "./server/ensure-built";

async function prepareDatabase() {
  const env = getEnv();
  const handle = createDbFromEnv(env);
  try {
    await migrateToLatest(handle.db, (l) => console.log(l));
    if (await hasUsers(handle.db)) {
      console.log(`Using existing data (${handle.where}).`);
      await catchUpGapRegister(handle.db);
    } else {
      await seedDemo(handle.db, { password: env.DEMO_PASSWORD, nodeEnv: env.NODE_ENV, log: (l) => console.log(l) });
    }
    // The embedded database is never analysed otherwise: each start gives its planner fresh statistics.
    await analyseEmbedded(handle);
  } finally {
    await handle.db.destroy();
  }
}

/**
 * Data saved before the gap register existed has compliance results but no gaps: one re-check
 * of every practice fills the register (evaluation keeps it in step from then on).
 */
async function catchUpGapRegister(db: Parameters<typeof evaluateScope>[0]) {
  const [hasResults, hasGaps] = await Promise.all([
    db.selectFrom("evaluation_result").select("id").limit(1).executeTakeFirst(),
    db.selectFrom("gap").select("id").limit(1).executeTakeFirst(),
  ]);
  if (!hasResults || hasGaps) return;
  console.log("Filling the gap register from a fresh compliance check…");
  const run = await evaluateScope(db, { all: true }, todayIso(), { syncAllGaps: true });
  console.log(`Gap register: ${run.counts.gaps.opened.toLocaleString("en-GB")} gaps open.`);
}

prepareDatabase()
  .then(() => ensureBuilt((l) => console.log(l)))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
