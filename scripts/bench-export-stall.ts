/**
 * A stalled download against the built server (issue 12): an administrator starts the
 * England-wide gap register as CSV, takes the first megabytes and then stops reading without
 * closing the connection; a second administrator asks for the same file. Reports when the second
 * download's headers came (seconds after the first stopped reading), whether it completed, and
 * what the stalled client finally received (complete or broken off). One server process
 * (WEB_CONCURRENCY=1), so both exports share one export slot.
 *
 *   tsx scripts/bench-export-stall.ts [--root DIR] [--stall-seconds N] [--give-up N] [--take-mb N]
 *
 * --root: the checkout whose build to serve (default this one); --stall-seconds: the server's
 * EXPORT_STALL_SECONDS (unset: its default); --give-up: how long the second client waits for its
 * headers before the first is closed (default 150 s); --take-mb: what the first takes before
 * stopping (default 2). Needs DATABASE_URL (a copy of the national dataset) and DEMO_PASSWORD.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { getEnv } from "~/utils/env.server";
import { Client, startServer } from "./bench-lib";

const { values } = parseArgs({
  options: {
    root: { type: "string", default: path.resolve(import.meta.dirname, "..") },
    "stall-seconds": { type: "string" },
    "give-up": { type: "string", default: "150" },
    "take-mb": { type: "string", default: "2" },
  },
});
const URL_PATH = "/gaps/export?format=csv";
const log = (l: string) => process.stderr.write(`${l}\n`);

/** A GET whose reading the script controls. */
function download(port: number, cookie: string) {
  const t0 = performance.now();
  let headAt: number | null = null;
  let bytes = 0;
  let res: http.IncomingMessage | null = null;
  let onBytes: (() => void) | null = null;
  const req = http.get({ host: "127.0.0.1", port, path: URL_PATH, headers: { Cookie: cookie }, agent: false });
  const done = new Promise<{ status: number; bytes: number; complete: boolean; endAt: number }>((resolve, reject) => {
    req.on("error", (e) => (res ? resolve({ status: res.statusCode ?? 0, bytes, complete: false, endAt: performance.now() }) : reject(e)));
    req.on("response", (r) => {
      res = r;
      headAt = performance.now();
      r.on("data", (c: Buffer) => {
        bytes += c.length;
        onBytes?.();
      });
      r.on("error", () => {});
      r.on("close", () => resolve({ status: r.statusCode ?? 0, bytes, complete: r.complete, endAt: performance.now() }));
    });
  });
  return {
    t0,
    done,
    headAt: () => headAt,
    bytes: () => bytes,
    /** Resolves once `n` bytes have come. */
    until: (n: number) =>
      new Promise<void>((resolve) => {
        onBytes = () => {
          if (bytes >= n) {
            onBytes = null;
            resolve();
          }
        };
      }),
    pause: () => res?.pause(),
    resume: () => res?.resume(),
    close: () => req.destroy(),
  };
}

const env = getEnv();
if (!env.DATABASE_URL) throw new Error("Set DATABASE_URL to a copy of the national dataset.");
const server = await startServer(
  values.root,
  {
    DATABASE_URL: env.DATABASE_URL,
    SESSION_SECRET: randomBytes(24).toString("hex"),
    WEB_CONCURRENCY: "1",
    ...(values["stall-seconds"] ? { EXPORT_STALL_SECONDS: values["stall-seconds"] } : {}),
  },
  log,
);
try {
  const client = new Client(server.port);
  await client.signIn("admin@demo.gp-estate.test", env.DEMO_PASSWORD);
  // A full download first, for the file's size and time, and a warm export thread.
  const whole = download(server.port, client.cookie);
  const full = await whole.done;
  log(`Whole file: ${full.bytes} bytes in ${((full.endAt - whole.t0) / 1000).toFixed(1)} s`);

  const stalled = download(server.port, client.cookie);
  await stalled.until(Number(values["take-mb"]) * 1024 * 1024);
  stalled.pause();
  const stoppedAt = performance.now();
  const takenBeforePause = stalled.bytes();
  let peakRss = server.currentRssMiB();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.currentRssMiB())), 250);
  const next = download(server.port, client.cookie);
  const giveUp = Number(values["give-up"]) * 1000;
  while (next.headAt() === null && performance.now() - stoppedAt < giveUp) await new Promise((r) => setTimeout(r, 50));
  const nextHeadS = next.headAt() === null ? null : (next.headAt()! - stoppedAt) / 1000;
  if (nextHeadS === null) {
    log(`The second download had no headers ${giveUp / 1000} s after the first stopped reading; closing the first.`);
    stalled.close();
  }
  const second = await next.done;
  clearInterval(sampler);
  stalled.resume();
  const first = await Promise.race([stalled.done, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
  console.log(
    JSON.stringify({
      root: values.root,
      stall_seconds: values["stall-seconds"] ?? "default",
      file_bytes: full.bytes,
      first_taken_before_pause: takenBeforePause,
      second_headers_after_stop_s: nextHeadS,
      second_status: second.status,
      second_complete: second.complete && second.bytes === full.bytes,
      second_download_s: next.headAt() === null ? null : Math.round(second.endAt - next.headAt()!) / 1000,
      // What the first client had in all once it read again: broken off (not complete), or the whole file.
      first_final: first ? { bytes: first.bytes, complete: first.complete } : "still open",
      server_rss_mib_during_stall_peak: peakRss,
    }),
  );
  client.close();
} finally {
  await server.stop();
}
