/**
 * The production server (scripts/serve.ts) end to end over real HTTP, on the built app: body
 * limits, security headers and the CSP nonce, refusals that used to be 500s, /healthz, and
 * supervision (a killed server process comes back; SIGTERM lets a request in flight finish).
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, seedOrgs, TEST_PASSWORD } from "../support/factories";
import { ensureBuild, serverDatabase, startTestServer, type ServerDatabase, type TestServer } from "../support/server-process";
import { isolatePerFile } from "../support/isolation";
import { serverProcessEnv } from "../../scripts/server/supervisor";

isolatePerFile("runs the server as child processes on a database of their own");

let server: TestServer;
let origin: string;
let cookie: string;
let database: ServerDatabase;
const onPostgres = !!process.env.DATABASE_URL;
const workers = process.env.DATABASE_URL ? 2 : 1;

beforeAll(async () => {
  await ensureBuild();
  database = await serverDatabase();
  await seedOrgs(database.handle.db);
  await createUser(database.handle.db, { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
  // PGlite allows one process at a time: the server's. PostgreSQL stays open for checks below.
  if (!onPostgres) await database.close();
  // Two page loads at once per process (4 by default): forty requests at once then surely find
  // every slot taken, however fast the machine serves them (with 4, a quick run saw none wait).
  server = await startTestServer({
    ...database.env,
    LOG_LEVEL: "info",
    WEB_CONCURRENCY: String(workers),
    SHUTDOWN_TIMEOUT_SECONDS: "10",
    RENDER_CONCURRENCY: "2",
  });
  origin = `http://127.0.0.1:${server.port}`;
  const res = await server.request("POST", "/sign-in", {
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ email: "admin@test.nhs.test", password: TEST_PASSWORD, redirectTo: "/" }).toString(),
  });
  expect(res.status).toBe(302);
  cookie = (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  expect(cookie).toMatch(/^__session=/);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (onPostgres) await database?.close();
});

const form = { "Content-Type": "application/x-www-form-urlencoded" };

/**
 * Streams a chunked POST without Content-Length, 256 KB at a time, and stops writing (without
 * ending the request) once `holdAfter` bytes are sent. The server has then seen only part of a
 * body it cannot know the end of: an answer that comes now proves it refused at its limit rather
 * than after reading everything. (Writing without a pause made the test depend on timing: a
 * busy server can discard 40 MB faster than it renders its answer.)
 */
function streamChunked(
  urlPath: string,
  holdAfter: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; sent: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let settled = false;
    const finish = (result: { status: number; body: string; complete: boolean }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...result, sent });
    };
    const chunk = Buffer.alloc(256 * 1024, "a");
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: urlPath,
        headers: { ...headers, "Transfer-Encoding": "chunked" },
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        const answer = (complete: boolean) => finish({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), complete });
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => answer(true));
        // The server may close the connection as it answers: what arrived is still the answer.
        res.on("error", () => answer(false));
        res.on("aborted", () => answer(false));
      },
    );
    // A connection closed by the server before any answer arrived counts as "closed by the server" (status 0).
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE" && e.code !== "ECONNRESET") return reject(e);
      setTimeout(() => finish({ status: 0, body: "", complete: false }), 500);
    });
    const timer = setTimeout(() => reject(new Error(`No answer from ${urlPath} within 20 s of sending ${sent} bytes and pausing`)), 20_000);
    const pump = () => {
      while (!settled && !req.destroyed && sent < holdAfter) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      // Hold: the request stays open, unended, until the server answers.
    };
    pump();
  });
}

describe("request body limits", () => {
  it("refuses an oversize sign-in with a declared Content-Length before reading it, with a page giving the limit", async () => {
    const res = await server.requestDeclared("POST", "/sign-in", {
      headers: { ...form, Accept: "text/html" },
      declaredBytes: 2 * 1024 * 1024 + 6,
      prefix: "email=",
    });
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.body).toContain("What you sent is too large");
    expect(res.body).toContain("at most 64 KB");
    expect(res.body).toContain('class="nhsuk-header"');
  });

  it("cuts off a chunked 200 MB sign-in at the limit, and the server's memory does not grow with it", async () => {
    const before = server.workersRssMiB();
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      // Up to 200 MB of a body that is never ended: answered at the 64 KB limit, and whatever
      // the client manages to send before the answer arrives is discarded, not held.
      const res = await streamChunked("/sign-in", 200 * 1024 * 1024, { "Content-Type": type });
      expect([413, 0]).toContain(res.status);
      if (res.complete) expect(res.body).toContain("at most 64 KB");
    }
    expect(server.workersRssMiB() - before).toBeLessThan(64);
    expect(await server.healthy()).toBe(true);
  });

  it("gives the upload routes a larger limit, and refuses past it", async () => {
    // Over the form limit but under the upload limit: reaches the import page (sign-in needed, so a redirect or its own answer, not 413).
    const under = await server.request("POST", "/estate/import", {
      headers: { ...form, Origin: origin, Cookie: cookie },
      body: "x=".padEnd(2 * 1024 * 1024, "a"),
    });
    expect(under.status).not.toBe(413);
    // A declared size over the upload limit is refused before a byte of it is read.
    const over = await server.requestDeclared("POST", "/practices/F84003/paper/import", {
      headers: { "Content-Type": "multipart/form-data; boundary=x", Accept: "text/html", Origin: origin, Cookie: cookie },
      declaredBytes: 22 * 1024 * 1024,
      prefix: "--x\r\n",
    });
    expect(over.status).toBe(413);
    expect(over.body).toContain("at most 21 MB");
    // Sent chunked and never ended, the route's own, smaller limit (5 MB for paper figures,
    // upload-form.server.ts) may answer first, on the import page, or the server's 21 MB one:
    // either way it answers a body it has not seen the end of.
    const chunked = await streamChunked("/practices/F84003/paper/import", 40 * 1024 * 1024, {
      "Content-Type": "multipart/form-data; boundary=x",
      Origin: origin,
      Cookie: cookie,
    });
    // Both answer 413 (the route's limit through its formAction, ADR 0010), each with its own message.
    if (chunked.complete) {
      expect(chunked.status).toBe(413);
      expect(chunked.body).toMatch(/at most 21 MB|This file is larger than 5 MB/);
    } else expect(chunked.status === 0 || chunked.status === 413).toBe(true);
    expect(await server.healthy()).toBe(true);
  });

  it("answers a Remix form submission (.data) over the limit in Remix's own encoding, so the page's error boundary shows it", async () => {
    const res = await server.requestDeclared("POST", "/sign-in.data", {
      headers: { ...form, Origin: origin },
      declaredBytes: 100 * 1024 + 6,
      prefix: "email=",
    });
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toBe("text/x-script");
    expect(res.body).toContain("ErrorResponse");
    expect(res.body).toContain("at most 64 KB");
  });
});

describe("security headers", () => {
  const expectHeaders = (h: http.IncomingHttpHeaders) => {
    expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).not.toContain("unsafe-inline");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(h["permissions-policy"]).toContain("geolocation=()");
    expect(h["strict-transport-security"]).toMatch(/max-age=\d+/);
  };

  it("sends them on a page, marks every inline script with the CSP's nonce, and does not let the page be stored", async () => {
    const res = await server.request("GET", "/sign-in");
    expect(res.status).toBe(200);
    expectHeaders(res.headers);
    expect(res.headers["cache-control"]).toBe("no-store");
    const nonce = /'nonce-([^']+)'/.exec(res.headers["content-security-policy"] as string)![1];
    const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toMatch(/\sstyle="/);
    // A fresh nonce every time.
    const again = await server.request("GET", "/sign-in");
    expect(again.headers["content-security-policy"]).not.toBe(res.headers["content-security-policy"]);
  });

  it("sends them on a 404 too", async () => {
    const res = await server.request("GET", "/no-such-page", { headers: { Cookie: cookie } });
    expect(res.status).toBe(404);
    expectHeaders(res.headers);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("marks every answer to a signed-in browser no-store, but keeps hashed assets cacheable", async () => {
    const page = await server.request("GET", "/practices/F84003", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const data = await server.request("GET", "/practices/F84003.data", { headers: { Cookie: cookie } });
    expect(data.headers["cache-control"]).toBe("no-store");
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(page.body)![1];
    const asset = await server.request("GET", css, { headers: { Cookie: cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toMatch(/max-age=31536000.*immutable/);
  });
});

describe("refusals that used to be 500s", () => {
  it("refuses a NUL in the query string or path with a 400 page", async () => {
    for (const url of ["/practices?q=a%00b", "/practices/F84003%00"]) {
      const res = await server.request("GET", url, { headers: { Cookie: cookie } });
      expect(res.status, url).toBe(400);
      expect(res.body).toContain("NUL character");
    }
  });

  it("refuses a NUL in a url-encoded form field with a 400 page", async () => {
    const res = await server.request("POST", "/sign-in", {
      headers: { ...form, Origin: origin },
      body: "email=a%00b%40x.test&password=whatever&redirectTo=%2F",
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("NUL character");
  });

  it("answers 404 for ids too large for the database", async () => {
    for (const url of [
      "/practices/F84003/devices/2147483648",
      "/practices/F84003/devices/2147483648/edit",
      "/gaps/99999999999",
      "/funding-requests/2147483648",
      "/assessments/2147483648/review",
      "/estate/import/runs/2147483648",
      "/admin/users/2147483648",
      "/admin/os-lifecycle/2147483648",
      "/icbs/QMF/assessments/2147483648",
      "/practices/F84003/telephony/2147483648/delete",
    ]) {
      const res = await server.request("GET", url, { headers: { Cookie: cookie } });
      expect(res.status, url).toBe(404);
    }
  });

  it("refuses a form posted from another site with a 403 page", async () => {
    for (const from of ["https://evil.example", "null"]) {
      const res = await server.request("POST", "/admin/users/new", { headers: { ...form, Cookie: cookie, Origin: from }, body: "name=x" });
      expect(res.status, from).toBe(403);
      expect(res.body).toContain("came from another site");
    }
    const signIn = await server.request("POST", "/sign-in", {
      headers: { ...form, Origin: "https://evil.example" },
      body: "email=a&password=b",
    });
    expect(signIn.status).toBe(403);
  });
});

describe("client address", () => {
  // clientAddress() reads x-estate-peer-address, which only the server may set (from the socket).
  it.skipIf(!onPostgres)("replaces a client-sent x-estate-peer-address with the socket's address", async () => {
    const forged = "203.0.113.9";
    const res = await server.request("POST", "/sign-in", {
      headers: { ...form, Origin: origin, "x-estate-peer-address": forged },
      body: new URLSearchParams({ email: "peer-check@test.nhs.test", password: "not the password", redirectTo: "/" }).toString(),
    });
    expect(res.status).toBeLessThan(500);
    const attempt = await database.handle.db
      .selectFrom("login_attempt")
      .select("ip")
      .where("email", "=", "peer-check@test.nhs.test")
      .executeTakeFirst();
    expect(attempt).toBeDefined();
    expect(attempt!.ip).not.toBe(forged);
  });
});

describe("/healthz", () => {
  it("tells an anonymous caller only ok", async () => {
    const res = await server.request("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: "ok" });
  });
});

describe("request log", () => {
  const logLines = () =>
    server.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const lineFor = async (requestId: string) => {
    for (let i = 0; i < 50; i++) {
      const line = logLines().find((l) => l.requestId === requestId && l.msg === "request");
      if (line) return line;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`No log line for request ${requestId}`);
  };

  it("answers every request with its own id, and logs one JSON line for it: method, path without the query, status, time, bytes", async () => {
    const res = await server.request("GET", "/sign-in?redirectTo=%2Fpractices%3Fq%3Dsecret-search");
    const id = res.headers["x-request-id"] as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const line = await lineFor(id);
    expect(line).toMatchObject({ level: 30, method: "GET", path: "/sign-in", status: 200 });
    expect(typeof line.ms).toBe("number");
    expect(line.bytes as number).toBeGreaterThan(res.body.length / 4);
    expect(JSON.stringify(line)).not.toContain("secret-search");
    expect(logLines().filter((l) => l.requestId === id && l.msg === "request")).toHaveLength(1);
  });

  it("keeps a proxy's X-Request-Id beside its own, never in place of it", async () => {
    const a = await server.request("GET", "/healthz", { headers: { "X-Request-Id": "proxy-abc-123" } });
    const b = await server.request("GET", "/healthz", { headers: { "X-Request-Id": "proxy-abc-123" } });
    expect(a.headers["x-request-id"]).not.toBe("proxy-abc-123");
    expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);
    expect(await lineFor(a.headers["x-request-id"] as string)).toMatchObject({ upstreamId: "proxy-abc-123", path: "/healthz" });
    // Not an id (spaces, quotes): not logged at all.
    const c = await server.request("GET", "/healthz", { headers: { "X-Request-Id": 'x" injected' } });
    expect((await lineFor(c.headers["x-request-id"] as string)).upstreamId).toBeUndefined();
  });

  it("holds page loads to RENDER_CONCURRENCY at once per process: forty at once are all answered, and those that waited say so", async () => {
    // At most 2 a process at once (RENDER_CONCURRENCY above): with 1-2 processes, some of forty
    // sent at once find every slot taken and wait their turn. Their connections open a little
    // apart, and on a busy machine a quick page can be done before the next arrives, so up to
    // five rounds of forty are sent until some wait: without the bound none ever would.
    let waited: Record<string, unknown>[] = [];
    for (let round = 0; round < 5 && waited.length === 0; round++) {
      const answers = await Promise.all(Array.from({ length: 40 }, () => server.request("GET", "/", { headers: { Cookie: cookie } })));
      expect(answers.map((a) => a.status)).toEqual(Array(40).fill(200));
      const lines = await Promise.all(answers.map((a) => lineFor(a.headers["x-request-id"] as string)));
      waited = lines.filter((l) => typeof l.queuedMs === "number");
    }
    expect(waited.length).toBeGreaterThan(0);
    for (const l of waited) expect(l.queuedMs as number).toBeGreaterThanOrEqual(0);
  });

  it("logs a refusal the server answers itself (413) with the same id", async () => {
    const res = await server.requestDeclared("POST", "/sign-in", {
      headers: { ...form, Accept: "text/html" },
      declaredBytes: 200 * 1024 + 6,
      prefix: "email=",
    });
    expect(res.status).toBe(413);
    expect(await lineFor(res.headers["x-request-id"] as string)).toMatchObject({ method: "POST", path: "/sign-in", status: 413 });
  });
});

describe("supervision", () => {
  it("runs its server processes compiled, under plain node (not tsx: a third of the memory)", () => {
    const pids = server.workerPids();
    expect(pids).toHaveLength(workers);
    for (const pid of pids) {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      expect(argv.slice(1)).toEqual([expect.stringMatching(/build\/server-process\/index\.mjs$/)]);
    }
    expect(server.stderr).toMatch(/server process\(es\) \(.*\) on port \d+, compiled/);
  });

  it("keeps the supervisor small: it holds none of the server process's code (the app, its database drivers)", () => {
    const anonMiB = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/^RssAnon:\s+(\d+) kB/m)![1]) / 1024;
    // With the server process's modules imported as well (statically, from serve.ts) the
    // supervisor held 139 MiB of its own memory against a server process's 86 MiB at start
    // (national dataset, 6 December 2026); without them, 39 MiB (tsx's loader most of it).
    const supervisor = anonMiB(server.child.pid!);
    expect(supervisor).toBeLessThan(80);
    expect(supervisor).toBeLessThan(Math.min(...server.workerPids().map(anonMiB)));
  });

  it("starts its server processes with two malloc arenas and glibc's thresholds fixed (its defaults let processes keep what large work freed)", () => {
    for (const pid of server.workerPids()) {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      expect(environ).toContain("MALLOC_ARENA_MAX=2");
      expect(environ).toContain("MALLOC_TRIM_THRESHOLD_=131072");
      expect(environ).toContain("MALLOC_MMAP_THRESHOLD_=131072");
    }
  });

  it("lets an operator's own malloc settings and heap cap win", () => {
    expect(
      serverProcessEnv({ MALLOC_TRIM_THRESHOLD_: "1048576", MALLOC_ARENA_MAX: "4", NODE_OPTIONS: "--max-old-space-size=1024" }),
    ).toEqual({
      NODE_OPTIONS: "--max-old-space-size=1024",
      MALLOC_ARENA_MAX: "4",
      MALLOC_TRIM_THRESHOLD_: "1048576",
      MALLOC_MMAP_THRESHOLD_: "131072",
    });
  });

  it("starts a new server process when one is killed, and serves again", async () => {
    const before = server.workerPids();
    expect(before).toHaveLength(workers);
    process.kill(before[0], "SIGKILL");
    const deadline = Date.now() + 90_000;
    while (!(server.workerPids().length === workers && !server.workerPids().includes(before[0]) && (await server.healthy()))) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(server.stderr).toMatch(new RegExp(`pid ${before[0]}\\) stopped: killed by SIGKILL`));
    expect((await server.request("GET", "/sign-in")).status).toBe(200);
  }, 120_000);

  it("on SIGTERM lets a request in flight finish, then exits", async () => {
    const reply = new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: "/sign-in",
          headers: { ...form, Origin: origin, "Transfer-Encoding": "chunked" },
          agent: false,
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      // Half the form now; the rest after the server has been told to stop.
      req.write("email=admin%40test.nhs.test&");
      setTimeout(() => {
        void server.stop();
        setTimeout(() => req.end(`password=${encodeURIComponent(TEST_PASSWORD)}&redirectTo=%2F`), 1000);
      }, 500);
    });
    expect(await reply).toBe(302);
    const code = await new Promise<number | null>((r) =>
      server.child.exitCode !== null ? r(server.child.exitCode) : server.child.once("exit", (c) => r(c)),
    );
    expect(code).toBe(0);
    expect(server.stderr).toContain("finishing 1 request(s) in flight");
  }, 60_000);
});
