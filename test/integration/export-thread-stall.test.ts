import express from "express";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ContractCategory } from "#db/types";
import { CONTRACT_EXPORT, contractExportResponse, type ContractExportParams } from "~/modules/contracts/export.server";
import { getDb } from "~/utils/db.server";
import { ExportBusyError, ExportStalledError, exportBody, exportsUnderWay } from "~/utils/export-thread.server";
import { sendAnswer } from "../../scripts/server/remix-handler";
import { addPractices } from "../support/compliance-db";
import { seedOrgs } from "../support/factories";
import { exportConnections, until } from "../support/export-threads";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("export threads read over connections of their own on PostgreSQL");

// Issue 12: one export at a time runs in a server process's export thread, so a client that opens
// a large download and then stops reading (without closing the connection) must not hold that
// slot until the sockets time out, and an export waiting for the slot must not wait for ever.
// The bounds are made small here (EXPORT_STALL_SECONDS, EXPORT_WAIT_SECONDS); the defaults are
// 30 s and 50 s. The export is an ICB's contracts register of about 0.9 MB (14 chunks of 64 KiB),
// streamed from the thread, over the stream API and over real HTTP (a Unix socket, whose small
// buffers, about 256 KB, a stalled client fills quickly; loopback TCP would absorb about 4 MB).
const onPostgres = !!process.env.DATABASE_URL;
const today = "2026-12-06";
const CATEGORIES: ContractCategory[] = ["telephony", "clinical_system", "online_consultation", "connectivity", "support", "other"];
const params = (format: "csv" | "xlsx" = "csv"): ContractExportParams => ({
  holder: { icbCode: "QMF" },
  filters: { status: "all" },
  format,
  today,
});

let full: Buffer;
let server: http.Server | null = null;
let socketPath = "";

beforeAll(async () => {
  if (!onPostgres) return;
  const db = getDb();
  await seedOrgs(db);
  const codes = await addPractices(db, 60, "S");
  const rows = codes.flatMap((code) =>
    Array.from({ length: 120 }, (_, i) => ({
      practice_code: code,
      supplier: `Supplier ${i % 23} of ${code}`,
      category: CATEGORIES[i % CATEGORIES.length],
      service: `Service ${i}`,
      starts_on: "2024-04-01",
      ends_on: "2027-03-31",
      annual_cost_pence: 1000 + i * 37,
      paid_by: "practice" as const,
      reference: `REF-${code}-${i}`,
    })),
  );
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto("supplier_contract")
      .values(rows.slice(i, i + 1000))
      .execute();
  full = Buffer.from(await new Response(await CONTRACT_EXPORT.body(db, params())).arrayBuffer());

  // The server's own way of sending an answer (scripts/server/remix-handler.ts sendAnswer and
  // send-body.ts), behind a route that asks for the export as the contracts route does.
  const app = express();
  app.get("/export", async (req, res, next) => {
    try {
      await sendAnswer(req, res, await contractExportResponse(getDb(), { icbCode: "QMF" }, { status: "all" }, "csv", today), undefined);
    } catch (e) {
      if (!res.headersSent) next(e);
    }
  });
  socketPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "export-stall-")), "http.sock");
  server = http.createServer(app);
  await new Promise<void>((resolve) => server!.listen(socketPath, resolve));
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(null)));
});

const saved = { stall: process.env.EXPORT_STALL_SECONDS, wait: process.env.EXPORT_WAIT_SECONDS };
function bounds(stallSeconds: number, waitSeconds: number) {
  process.env.EXPORT_STALL_SECONDS = String(stallSeconds);
  process.env.EXPORT_WAIT_SECONDS = String(waitSeconds);
}
afterEach(async () => {
  for (const [k, v] of [
    ["EXPORT_STALL_SECONDS", saved.stall],
    ["EXPORT_WAIT_SECONDS", saved.wait],
  ] as const)
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  if (onPostgres) await until(async () => exportsUnderWay().running === 0 && (await exportConnections()) === 0);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Download {
  /** Resolves with the status and headers once they arrive. */
  head: Promise<http.IncomingMessage>;
  /** When the headers arrived (performance.now()), or null. */
  headAt: () => number | null;
  /** Resolves when the response ends, completely or not. */
  done: Promise<{ bytes: Buffer; complete: boolean }>;
  /** Stop reading (the socket is no longer read; the connection stays open). */
  stall(): void;
  /** Read again, at most `bytesPerSecond` if given. */
  read(bytesPerSecond?: number): void;
  close(): void;
}

/** A GET over the test server's socket whose reading the test controls; it reads nothing until told (read). */
function download(urlPath = "/export"): Download {
  let headAt: number | null = null;
  let response: http.IncomingMessage | null = null;
  let rate: number | undefined;
  let reading = false;
  const parts: Buffer[] = [];
  let doneResolve!: (v: { bytes: Buffer; complete: boolean }) => void;
  const done = new Promise<{ bytes: Buffer; complete: boolean }>((r) => (doneResolve = r));
  const req = http.get({ socketPath, path: urlPath, agent: false });
  const head = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      headAt = performance.now();
      response = res;
      if (!reading) res.pause();
      res.on("data", (c: Buffer) => {
        parts.push(c);
        if (rate) {
          // Throttled: pause for as long as this piece takes at the rate, then read on.
          res.pause();
          setTimeout(() => reading && res.resume(), (c.length / rate) * 1000);
        }
      });
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        doneResolve({ bytes: Buffer.concat(parts), complete: res.complete });
      };
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", () => {});
      resolve(res);
    });
  });
  return {
    head,
    headAt: () => headAt,
    done,
    stall() {
      reading = false;
      response?.pause();
    },
    read(bytesPerSecond) {
      rate = bytesPerSecond;
      reading = true;
      response?.resume();
    },
    close: () => req.destroy(),
  };
}

describe.skipIf(!onPostgres)("a threaded export's client that stalls, and exports waiting for the slot (PostgreSQL)", () => {
  it("the file is large enough to fill the buffers between the thread and a client that stopped reading", () => {
    expect(full.length).toBeGreaterThan(12 * 64 * 1024);
  });

  it("stream API: a reader that stops frees the slot within EXPORT_STALL_SECONDS, and the waiting export then runs to its end", async () => {
    bounds(0.5, 30);
    const stalled = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    expect((await stalled.read()).done).toBe(false);
    const stoppedAt = performance.now();
    const next = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    const nextHead = next.read();
    await sleep(250);
    // Half the bound on, the stalled reader still holds the slot.
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 1 });
    const first = await nextHead;
    const waited = performance.now() - stoppedAt;
    expect(waited).toBeGreaterThanOrEqual(490);
    expect(waited).toBeLessThan(5000);
    // The stalled export's body has failed (its thread's producer was cancelled), never ended as if complete.
    await expect(stalled.read()).rejects.toThrow(ExportStalledError);
    const rest = [Buffer.from(first.value!)];
    for (let r = await next.read(); !r.done; r = await next.read()) rest.push(Buffer.from(r.value));
    expect(Buffer.concat(rest).equals(full)).toBe(true);
  });

  it("stream API: a reader that takes a chunk every 0.25 s is not cut off by a 0.75 s bound, though it takes far longer than the bound", async () => {
    bounds(0.75, 30);
    const started = performance.now();
    const reader = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    const parts: Buffer[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      parts.push(Buffer.from(r.value));
      await sleep(250);
    }
    expect(Buffer.concat(parts).equals(full)).toBe(true);
    expect(performance.now() - started).toBeGreaterThan(4 * 750);
  });

  it("stream API: an export that waits longer than EXPORT_WAIT_SECONDS for the slot is refused, and leaves the queue", async () => {
    bounds(30, 0.5);
    const holder = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    expect((await holder.read()).done).toBe(false);
    const asked = performance.now();
    const waiter = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    await expect(waiter.read()).rejects.toThrow(ExportBusyError);
    const waited = performance.now() - asked;
    expect(waited).toBeGreaterThanOrEqual(490);
    expect(waited).toBeLessThan(3000);
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 0 });
    // The export holding the slot carries on unharmed.
    await holder.cancel();
  });

  it("HTTP: a client that stops reading has its download broken off within the bound, and the waiting download then runs", async () => {
    bounds(0.5, 30);
    const stalled = download();
    await stalled.head;
    stalled.read();
    // Take a little, then stop reading without closing the connection.
    await until(() => exportsUnderWay().running === 1);
    await sleep(50);
    stalled.stall();
    const stoppedAt = performance.now();
    const next = download();
    next.read();
    const res = await next.head;
    expect(res.statusCode).toBe(200);
    const waited = next.headAt()! - stoppedAt;
    expect(waited).toBeGreaterThanOrEqual(490);
    expect(waited).toBeLessThan(5000);
    const got = await next.done;
    expect(got.complete).toBe(true);
    expect(got.bytes.equals(full)).toBe(true);
    // The stalled client, reading again, finds its download cut short: incomplete, never a whole file.
    stalled.read();
    const broken = await stalled.done;
    expect(broken.complete).toBe(false);
    expect(broken.bytes.length).toBeLessThan(full.length);
    expect(broken.bytes.length).toBeGreaterThan(0);
  });

  it("HTTP: a client reading slowly but steadily (200 KB/s) gets the whole file under a 1.5 s bound", async () => {
    // The server sees the client's progress only when the socket's buffer has room again: a Unix
    // socket wakes its writer when half its buffer (about 100 KB) is free, so at 200 KB/s the
    // export waits about 0.7 s between chunks taken, well within the bound.
    bounds(1.5, 30);
    const started = performance.now();
    const slow = download();
    const res = await slow.head;
    expect(res.statusCode).toBe(200);
    slow.read(200_000);
    const got = await slow.done;
    expect(got.complete).toBe(true);
    expect(got.bytes.equals(full)).toBe(true);
    // Three times the bound in all: the server waited on this client again and again, never 1.5 s for one chunk.
    expect(performance.now() - started).toBeGreaterThan(3 * 1500);
  });

  it("HTTP: a download that waits longer than EXPORT_WAIT_SECONDS is answered 503 with Retry-After, nothing sent before", async () => {
    bounds(30, 0.5);
    const holder = download();
    await holder.head;
    holder.read();
    await until(() => exportsUnderWay().running === 1);
    holder.stall();
    const asked = performance.now();
    const waiter = download();
    waiter.read();
    await sleep(300);
    // While it waits for its turn no status line or header has gone out.
    expect(waiter.headAt()).toBeNull();
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 1 });
    const res = await waiter.head;
    expect(waiter.headAt()! - asked).toBeGreaterThanOrEqual(490);
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("60");
    expect(res.headers["content-disposition"]).toBeUndefined();
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const page = (await waiter.done).bytes.toString("utf8");
    expect(page).toContain("This download could not start yet");
    expect(page).toContain("Try again in a minute or two.");
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 0 });
    holder.close();
  });
});

describe.skipIf(onPostgres)("export bounds on PGlite", () => {
  it("do not apply: the export runs in-process and holds no slot, so a reader that pauses is never cut off", async () => {
    await seedOrgs(getDb());
    bounds(0.1, 0.1);
    const reader = (await exportBody(getDb(), CONTRACT_EXPORT, params())).getReader();
    const parts: Buffer[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      parts.push(Buffer.from(r.value));
      await sleep(200);
    }
    expect(Buffer.concat(parts).toString("utf8")).toMatch(/^\ufeffods_code,/);
    expect(exportsUnderWay().running).toBe(0);
  });
});
