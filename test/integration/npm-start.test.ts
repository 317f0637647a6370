/**
 * `npm start` (scripts/start.ts) as the README gives it: on an empty embedded database it
 * migrates, seeds the demo, builds if needed and serves, printing the URL and the demo sign-ins;
 * started again it uses the data it made. Its preparation runs in a process of its own that exits
 * (scripts/start-prepare.ts): done in the supervisor, it left that process, which lives as long
 * as the server, at 420-910 MB resident, with the bundler's service beside it at 195 MB when it built.
 *
 * On the embedded database only: `npm start` without DATABASE_URL is the demo.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../../scripts/server/ensure-built";
import { freePort } from "../support/server-process";

const root = path.resolve(import.meta.dirname, "../..");
const onPostgres = !!process.env.DATABASE_URL;

const status = (pid: number, field: string) =>
  Number(fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))![1]) / 1024;
const children = (pid: number) =>
  fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/** `tsx scripts/start.ts` (what `npm start` runs) until it prints that the app is running. */
async function npmStart(dataDir: string, port: number): Promise<Started> {
  // The demo as a user starts it: no PostgreSQL, not a test process, NODE_ENV unset.
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" };
  for (const k of ["DATABASE_URL", "VITEST", "NODE_ENV"]) delete env[k];
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 240_000;
  while (!/is running at (http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${out.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // Everything after the URL line is printed in the same tick.
  await new Promise((r) => setTimeout(r, 100));
  return { child, output: () => out, url: out.match(/is running at (http:\/\/\S+)/)![1] };
}

async function stop(s: Started | undefined) {
  if (!s || s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  await exited;
}

describe.skipIf(onPostgres)("npm start on an empty embedded database", () => {
  let dir: string;
  let first: Started | undefined;

  beforeAll(async () => {
    await ensureBuilt(() => {});
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "npm-start-"));
    first = await npmStart(path.join(dir, "pglite"), await freePort());
  }, 300_000);

  afterAll(async () => {
    await stop(first);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("seeds the demo and prints the URL and every demo sign-in, and the app answers there", async () => {
    const out = first!.output();
    expect(out).toMatch(/migrated: /);
    for (const email of ["admin@demo.gp-estate.test", "icb.lead@demo.gp-estate.test", "pm.f84003@demo.gp-estate.test"])
      expect(out).toContain(email);
    const page = await fetch(`${first!.url.replace("localhost", "127.0.0.1")}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign in");
  });

  it("leaves the preparation's memory behind: the supervisor stays small, with only its server process under it", () => {
    // tsx's command line runs the script in a child process of its own: that is the supervisor.
    const [supervisor] = children(first!.child.pid!);
    expect(children(supervisor)).toHaveLength(1);
    // 368-867 MiB of its own when it migrated, seeded and built in-process; about 46 MiB now (tsx's loader most of it).
    expect(status(supervisor, "RssAnon")).toBeLessThan(100);
  });

  it("started again, uses the data it made", async () => {
    await stop(first);
    first = undefined;
    const again = await npmStart(path.join(dir, "pglite"), await freePort());
    try {
      expect(again.output()).toContain("Using existing data");
      expect(again.output()).not.toMatch(/migrated: /);
      expect((await fetch(`${again.url.replace("localhost", "127.0.0.1")}/healthz`)).status).toBe(200);
    } finally {
      await stop(again);
    }
  }, 120_000);
});
