/**
 * Playwright's global setup: the built production server (`npm run build` first) on a fresh
 * embedded database seeded with the demo, and a local OpenID Connect provider. Tests reach them
 * through E2E_BASE_URL and E2E_PASSWORD, which Playwright passes on to its workers (test/e2e/fixtures.ts).
 * The function it returns is the global teardown.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startDevIdp, type DevIdp } from "../../scripts/dev-idp/provider";

const root = path.resolve(import.meta.dirname, "../..");
const E2E_PASSWORD = "e2e-demo-password";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed with ${r.status}`);
}

let server: ChildProcess | undefined;
let dir: string | undefined;
let idp: DevIdp | undefined;

export default async function globalSetup() {
  // A server already running (started by this function in another process, say, while working on
  // one test file): used as it is. Its data is what earlier runs left, so a test may meet its own leftovers.
  if (process.env.E2E_BASE_URL) {
    process.env.E2E_PASSWORD ??= E2E_PASSWORD;
    return;
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-estate-e2e-"));
  const port = await freePort();
  // A real local OpenID Connect provider, on 127.0.0.1 so that it is another site than the app on
  // localhost: its redirect back is a cross-site navigation, as with NHSmail.
  idp = await startDevIdp({
    port: 0,
    issuerHost: "127.0.0.1",
    clientId: "e2e-estate",
    clientSecret: "e2e-client-secret",
    redirectUris: [`http://localhost:${port}/auth/oidc/callback`],
    postLogoutRedirectUris: [`http://localhost:${port}/sign-in`],
  });
  // The server is not a test process: without VITEST (set when `npx playwright` runs from a Vitest
  // shell, say) it runs its job worker (imports, re-checks) and housekeeping as in production, as
  // test/support/server-process.ts does.
  const { VITEST: _vitest, ...parentEnv } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...parentEnv,
    DATABASE_URL: "",
    DATA_DIR: path.join(dir, "pglite"),
    DEMO_PASSWORD: E2E_PASSWORD,
    // Request lines would bury the test output; warnings and errors still show.
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    SESSION_SECRET: "e2e-session-secret-0123456789",
    PORT: String(port),
    NODE_ENV: "production",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: "e2e-estate",
    OIDC_CLIENT_SECRET: "e2e-client-secret",
    OIDC_NAME: "Local NHS identity",
    // Encrypts Intune connections' client secrets (test/e2e/device-sync.test.ts).
    GRAPH_SECRET_KEY: "e2e0".repeat(16),
  };
  if (!fs.existsSync(path.join(root, "build/server/index.js"))) {
    run([path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], env);
  }
  run([path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/db-seed.ts", "--demo", "--allow-production-demo"], env);
  // The production server (supervisor and one server process on the embedded database), as `npm start` runs it.
  server = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/serve.ts")], {
    cwd: root,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://localhost:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300 || server.exitCode !== null) throw new Error("e2e server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  // Workers start after this and inherit the environment.
  process.env.E2E_BASE_URL = base;
  process.env.E2E_PASSWORD = E2E_PASSWORD;
  return async () => {
    server?.kill("SIGTERM");
    await idp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}
