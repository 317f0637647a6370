/**
 * Pieces of `npm run bench`: timing statistics, a keep-alive HTTP client for 127.0.0.1, the
 * built server as a child process (with its peak memory), and a bounded load run.
 */
import { ensureBuilt as ensureServerBuilt } from "./server/ensure-built";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { serverNodeOptions } from "./server-options";

// ---------------------------------------------------------------- statistics

export interface Timing {
  runs: number;
  median_ms: number;
  p95_ms: number;
  min_ms: number;
  max_ms: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarise(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    runs: s.length,
    median_ms: round(percentile(s, 50)),
    p95_ms: round(percentile(s, 95)),
    min_ms: round(s[0]),
    max_ms: round(s[s.length - 1]),
  };
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed, one after another. */
export async function measure(runs: number, fn: () => Promise<unknown>, warmup = 1): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

/**
 * Two things timed in turn (a, b, a, b, …) after `warmup` untimed runs of each, so that a figure
 * and its floor see the same machine: timed one batch after the other, a drift in the machine's
 * speed between the batches moved the national re-evaluation's ratio to its floor from 1.5 to 1.8
 * on the same code.
 */
export async function measureAlternating(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  warmup = 1,
): Promise<{ a: Timing; b: Timing }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const samples: { a: number[]; b: number[] } = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    for (const [key, fn] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const t0 = performance.now();
      await fn();
      samples[key].push(performance.now() - t0);
    }
  }
  return { a: summarise(samples.a), b: summarise(samples.b) };
}

// ---------------------------------------------------------------- HTTP

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A client for one server on 127.0.0.1, keeping connections open as a browser would. */
export class Client {
  readonly agent: http.Agent;
  cookie = "";

  constructor(
    readonly port: number,
    maxSockets = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(
    method: string,
    urlPath: string,
    opts: { headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number; onChunk?: (chunk: Buffer) => void } = {},
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(this.cookie ? { Cookie: this.cookie } : {}), ...opts.headers };
      if (opts.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(opts.body));
      const req = http.request({ host: "127.0.0.1", port: this.port, method, path: urlPath, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          opts.onChunk?.(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      req.setTimeout(opts.timeoutMs ?? 120_000, () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
      req.on("error", reject);
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  get(urlPath: string) {
    return this.request("GET", urlPath);
  }

  /** GET that must answer 200; returns the body as text. */
  async page(urlPath: string): Promise<string> {
    const r = await this.get(urlPath);
    if (r.status !== 200) throw new Error(`GET ${urlPath} answered ${r.status}`);
    return r.body.toString("utf8");
  }

  postForm(urlPath: string, fields: Record<string, string>) {
    return this.request("POST", urlPath, {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  async signIn(email: string, password: string) {
    const r = await this.postForm("/sign-in", { email, password, redirectTo: "/" });
    const set = r.headers["set-cookie"];
    if (r.status !== 302 || !set?.length)
      throw new Error(`sign-in as ${email} failed (status ${r.status}): is the national dataset seeded with DEMO_PASSWORD?`);
    this.cookie = set.map((c) => c.split(";")[0]).join("; ");
  }

  close() {
    this.agent.destroy();
  }
}

export function multipart(fields: Record<string, string>, file: { field: string; name: string; type: string; content: Buffer }) {
  const boundary = `----bench${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
  );
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---------------------------------------------------------------- the built server

/** Uploads a device CSV through the import page, as a person would; returns the check page's address. */
export async function uploadDeviceCsv(client: Client, csv: Buffer): Promise<string> {
  const form = multipart({}, { field: "file", name: "bench-devices.csv", type: "text/csv", content: csv });
  const up = await client.request("POST", "/estate/import", {
    headers: { "Content-Type": form.contentType },
    body: form.body,
    timeoutMs: 600_000,
  });
  const location = up.headers.location;
  if (up.status !== 302 || !location) throw new Error(`upload answered ${up.status}: ${up.body.toString("utf8").slice(0, 300)}`);
  return location;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Builds the app and the compiled server process when missing or stale (as `npm start` does). */
export async function ensureBuilt(log: (l: string) => void) {
  await ensureServerBuilt(log);
}

export interface ServerProcess {
  port: number;
  child: ChildProcess;
  /** Largest resident set any one process reached (VmHWM), in MiB: the heap cap is per server process. */
  peakRssMiB(): number;
  /** Resident memory of the supervisor and its server processes together, now, in MiB. */
  currentRssMiB(): number;
  /** Resident memory of the largest one of them, now, in MiB (each has its own heap cap). */
  largestRssMiB(): number;
  stop(): Promise<void>;
}

function procStatusMiB(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
}

/** The server processes under the supervisor (its cluster workers). */
export function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts the production server (scripts/serve.ts: a supervisor and WEB_CONCURRENCY server
 * processes, each with the heap cap) on 127.0.0.1 and waits for /healthz.
 */
export async function startServer(
  root: string,
  env: Record<string, string | undefined>,
  log: (l: string) => void,
  /** Node flags NODE_OPTIONS may not carry (--cpu-prof): the supervisor passes them to its server processes. */
  execArgv: string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  // The supervisor compiled, under plain node, as `npm run serve` runs it (ensureBuilt made it).
  const child = spawn(process.execPath, [...execArgv, path.join(root, "build/server-process/serve.mjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      LOG_LEVEL: "warn",
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? serverNodeOptions(),
    },
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const pid = child.pid!;
  const processes = () => [pid, ...childPids(pid)];
  // Server processes that died (and were replaced) keep counting through peakSeen.
  let peakSeen = 0;
  const sampler = setInterval(() => {
    for (const p of processes()) peakSeen = Math.max(peakSeen, procStatusMiB(p, "VmHWM") || 0);
  }, 250);
  sampler.unref();
  const stop = async () => {
    clearInterval(sampler);
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`The server stopped while starting:\n${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on("error", () => resolve(false));
    });
    if (ok) {
      log(`Server started on 127.0.0.1:${port} (pid ${pid}).`);
      return {
        port,
        child,
        peakRssMiB: () => Math.max(peakSeen, ...processes().map((p) => procStatusMiB(p, "VmHWM") || 0)),
        currentRssMiB: () => processes().reduce((sum, p) => sum + (procStatusMiB(p, "VmRSS") || 0), 0),
        largestRssMiB: () => Math.max(0, ...processes().map((p) => procStatusMiB(p, "VmRSS") || 0)),
        stop,
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`The server did not become healthy within 60 seconds:\n${stderr}`);
}

// ---------------------------------------------------------------- load run

export interface LoadResult {
  connections: number;
  duration_s: number;
  requests: number;
  throughput_rps: number;
  latency_ms: { p50: number; p90: number; p97_5: number; p99: number; max: number; mean: number };
  errors: number;
  non_2xx: number;
  by_page: Record<string, { requests: number; p50_ms: number; p99_ms: number; errors: number }>;
}

/**
 * `connections` simulated users, each requesting the next page of `mix` as soon as the last one
 * arrived, for `seconds` (and at most `maxRequests` in all). Only 127.0.0.1 is ever contacted.
 */
export async function loadRun(
  client: Client,
  mix: { name: string; path: string }[],
  connections: number,
  seconds: number,
  maxRequests = 500_000,
): Promise<LoadResult> {
  const lat: number[] = [];
  const per = new Map<string, { lat: number[]; errors: number }>(mix.map((m) => [m.name, { lat: [], errors: 0 }]));
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (w: number) => {
    let i = w;
    while (performance.now() < deadline && sent < maxRequests) {
      sent++;
      const m = mix[i++ % mix.length];
      const bucket = per.get(m.name)!;
      const t0 = performance.now();
      try {
        const r = await client.get(m.path);
        const ms = performance.now() - t0;
        lat.push(ms);
        bucket.lat.push(ms);
        if (r.status < 200 || r.status >= 300) {
          non2xx++;
          bucket.errors++;
        }
      } catch {
        errors++;
        bucket.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  const s = [...lat].sort((a, b) => a - b);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    connections,
    duration_s: r1(elapsed),
    requests: lat.length + errors,
    throughput_rps: r1(lat.length / elapsed),
    latency_ms: {
      p50: r1(percentile(s, 50)),
      p90: r1(percentile(s, 90)),
      p97_5: r1(percentile(s, 97.5)),
      p99: r1(percentile(s, 99)),
      max: r1(s[s.length - 1] ?? NaN),
      mean: r1(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    },
    errors,
    non_2xx: non2xx,
    by_page: Object.fromEntries(
      [...per.entries()].map(([name, b]) => {
        const ps = [...b.lat].sort((a, c) => a - c);
        return [name, { requests: b.lat.length, p50_ms: r1(percentile(ps, 50)), p99_ms: r1(percentile(ps, 99)), errors: b.errors }];
      }),
    ),
  };
}
