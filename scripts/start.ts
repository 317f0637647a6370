/**
 * `npm start`: migrate, seed the demo on first run and build if the sources changed (in a process
 * of its own, scripts/start-prepare.ts, which exits when done), then serve with the production
 * server (scripts/serve.ts: a supervisor that restarts server processes that die) in this process.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { getEnv } from "~/utils/env.server";
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
  // Under the same loader as this process (tsx's flags are in execArgv), with the same environment.
  const prepared = spawnSync(process.execPath, [...process.execArgv, path.join(import.meta.dirname, "start-prepare.ts")], {
    stdio: "inherit",
  });
  if (prepared.status !== 0) throw new Error("Preparing the database or the build failed; see the messages above.");
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
