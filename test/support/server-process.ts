/**
 * The production server (scripts/serve.ts) as a child process for tests: its own database (a
 * PostgreSQL database beside the worker's test database, or a PGlite folder), migrated and
 * seeded by the caller, on a free port, and a small raw HTTP client for it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPgliteDb, createPostgresDb, type DbHandle } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { buildProcessBundle, freshProcessBundle, SUPERVISOR_BUNDLE } from "../../scripts/server/process-bundle";
import { truncateAll } from "./db";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Builds the app once if there is no build (the server serves build/), and the compiled server
 * process when it is missing or stale, so these tests run the server processes as production does.
 */
export async function ensureBuild() {
  if (!fs.existsSync(path.join(root, "build/server/index.js"))) {
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) throw new Error("vite build failed");
  }
  if (!freshProcessBundle()) await buildProcessBundle();
}

export interface ServerDatabase {
  /** Open while seeding; call close() before starting a server on PGlite (one process at a time). */
  handle: DbHandle;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A fresh, migrated, empty database the server process can open. */
export async function serverDatabase(): Promise<ServerDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gp-estate-server-test-"));
    const handle = createPgliteDb(path.join(dir, "pglite"));
    await migrateToLatest(handle.db);
    return { handle, env: { DATABASE_URL: "", DATA_DIR: path.join(dir, "pglite") }, close: () => handle.db.destroy() };
  }
  const base = new URL(url);
  const name = `${base.pathname.slice(1) || "test"}_server_w${process.env.VITEST_POOL_ID ?? "1"}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  const handle = createPostgresDb(base.toString(), 2);
  await migrateToLatest(handle.db);
  await truncateAll(handle);
  return { handle, env: { DATABASE_URL: base.toString() }, close: () => handle.db.destroy() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export class TestServer {
  stderr = "";
  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stderr!.on("data", (c: Buffer) => (this.stderr += c.toString()));
  }

  /** The server processes (cluster workers) under the supervisor. */
  workerPids(): number[] {
    try {
      return fs
        .readFileSync(`/proc/${this.child.pid}/task/${this.child.pid}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  /** Resident memory of the server processes together, in MiB. */
  workersRssMiB(): number {
    return this.workerPids().reduce((sum, pid) => {
      const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
      return sum + (m ? Number(m[1]) / 1024 : 0);
    }, 0);
  }

  request(method: string, urlPath: string, opts: RequestOptions = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = { ...opts.headers };
      if (opts.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(opts.body));
      const req = http.request({ host: "127.0.0.1", port: this.port, method, path: urlPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
      req.on("error", reject);
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  /**
   * Declares a body of `declaredBytes` (Content-Length), sends only `prefix` of it and waits:
   * only an answer given before reading the body can arrive. (Sending the whole body races the
   * server hanging up after its refusal: the client's write then fails with EPIPE.)
   */
  requestDeclared(
    method: string,
    urlPath: string,
    opts: { headers?: Record<string, string>; declaredBytes: number; prefix?: string; timeoutMs?: number },
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers = { ...opts.headers, "Content-Length": String(opts.declaredBytes) };
      const req = http.request({ host: "127.0.0.1", port: this.port, method, path: urlPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
          req.destroy();
        });
        res.on("error", reject);
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${urlPath} got no answer before its body was sent`)));
      req.on("error", reject);
      req.write(opts.prefix ?? "");
    });
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.request("GET", "/healthz", { timeoutMs: 2000 })).status === 200;
    } catch {
      return false;
    }
  }

  async waitHealthy(timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`The server stopped:\n${this.stderr}`);
      if (await this.healthy()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`The server did not become healthy:\n${this.stderr}`);
  }

  /** SIGTERM, then the exit code (SIGKILL after the timeout). */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once("exit", (code) => r(code)));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

export async function startTestServer(env: Record<string, string>): Promise<TestServer> {
  const port = await freePort();
  // The server is not a test process: without VITEST it runs its background work as in production.
  const { VITEST: _vitest, ...parentEnv } = process.env;
  // The supervisor compiled, under plain node, as `npm run serve` runs it (ensureBuild made it).
  const child = spawn(process.execPath, [SUPERVISOR_BUNDLE], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...parentEnv,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      SESSION_SECRET: "server-test-session-secret-0123456789",
      PORT: String(port),
      HOST: "127.0.0.1",
      ...env,
    },
  });
  const server = new TestServer(child, port);
  await server.waitHealthy();
  return server;
}
