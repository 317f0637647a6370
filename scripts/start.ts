/**
 * `npm start`: migrate, seed the demo on first run, build if the sources changed, then serve with
 * the production server (scripts/serve.ts: a supervisor that restarts server processes that die).
 * The embedded database allows one process at a time, so this script closes it before the
 * server opens it.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { todayIso } from "~/utils/today";
import { hasUsers, seedDemo } from "~/modules/seed/demo.server";
import { getEnv } from "~/utils/env.server";
import { ensureBuilt } from "./server/ensure-built";
import { serve } from "./serve";

/** A per-machine secret, kept beside the local data so sessions survive restarts. */
function localSessionSecret(dataDir: string) {
  const file = path.join(path.dirname(dataDir), "session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

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

async function waitForHealth(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("The server did not become healthy within 60 seconds; see the messages above.");
}

async function main() {
  const env = getEnv();
  process.env.SESSION_SECRET ??= localSessionSecret(env.DATA_DIR);
  await prepareDatabase();
  await ensureBuilt((l) => console.log(l));
  // The demo is seeded under the caller's NODE_ENV (it is refused in production); the server runs as production.
  process.env.NODE_ENV ??= "production";
  const supervisor = serve();
  const url = `http://localhost:${env.PORT}`;
  try {
    await waitForHealth(url);
  } catch (e) {
    await supervisor.stop("SIGTERM");
    throw e;
  }
  const passwordNote = process.env.DEMO_PASSWORD ? "the DEMO_PASSWORD you set" : `${env.DEMO_PASSWORD} (set DEMO_PASSWORD to change it)`;
  console.log(`\nGP digital estate is running at ${url}\n`);
  console.log("Demo sign-ins (demo data: real North East London practices, fictional people):");
  for (const u of DEMO_USERS) console.log(`  ${u.email.padEnd(40)} ${u.name}`);
  console.log(`Password for all of them: ${passwordNote}\n`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
