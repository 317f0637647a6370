/**
 * `npm start`: migrate, seed the demo on first run, build if the sources changed, then serve with
 * the production server (scripts/serve.ts: a supervisor that restarts server processes that die).
 * The embedded database allows one process at a time, so this script closes it before the
 * server opens it.
 */
import { spawnSync } from "node:child_process";
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
import { serve } from "./serve";

const root = path.resolve(import.meta.dirname, "..");
const serverEntry = path.join(root, "build/server/index.js");

/** A per-machine secret, kept beside the local data so sessions survive restarts. */
function localSessionSecret(dataDir: string) {
  const file = path.join(path.dirname(dataDir), "session-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), st.mtimeMs);
}

function buildIfStale() {
  const built = fs.existsSync(serverEntry) ? fs.statSync(serverEntry).mtimeMs : 0;
  const sources = Math.max(...["app", "db", "vite.config.ts", "package-lock.json"].map((p) => newestMtime(path.join(root, p))));
  if (built >= sources) return;
  console.log("Building the app (first start, or the sources changed)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error("The build failed; see the messages above.");
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
  buildIfStale();
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
