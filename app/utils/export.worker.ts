// Entry of an export thread (see export-thread.server.ts): runs a streamed export's producer,
// the very code the main thread runs on PGlite, reading through a small pool of its own and
// encoding (CSV, XLSX) here, at a lower CPU priority, so the server process's main thread keeps
// serving pages. Bytes go back a chunk at a time, when asked.
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { openPostgres } from "#db/postgres";
import type { Db } from "#db/connect";
import {
  CHUNK_BYTES,
  EXPORT_APPLICATION_NAME,
  EXPORT_THREAD_NICE,
  type FromExportThread,
  type ToExportThread,
} from "./export-thread-protocol";
import { EXPORT_PRODUCERS } from "./export-producers.server";

try {
  // On Linux the nice value belongs to the calling thread (pid 0 here is this thread), so only
  // this thread yields; with autogroup it yields to the server's own threads and processes.
  setPriority(EXPORT_THREAD_NICE);
} catch {
  // Not permitted or not supported: the export still runs, off the main thread.
}

const port = parentPort!;
const send = (m: FromExportThread, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let db: Db | null = null;
let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
let finished = false;
// Messages are handled one after another: a pull waits for the start, a cancel for the pull.
let queue: Promise<void> = Promise.resolve();

function connectionUrl(url: string) {
  const u = new URL(url);
  u.searchParams.set("application_name", EXPORT_APPLICATION_NAME);
  return u.toString();
}

async function start(m: Extract<ToExportThread, { type: "start" }>) {
  finished = false;
  const producer = EXPORT_PRODUCERS.get(m.producer);
  if (!producer) throw new Error(`No export is called ${m.producer}.`);
  // The producers read one statement at a time; a second connection covers an overlap.
  db = openPostgres(connectionUrl(m.databaseUrl), 2);
  reader = (await producer.body(db, m.params as never)).getReader();
}

/** Gathers up to CHUNK_BYTES into one fresh buffer (the producers' chunks may share a pool, which cannot be transferred). */
async function pull() {
  if (!reader) throw new Error("The export thread was asked for bytes with no export under way.");
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < CHUNK_BYTES) {
    const r = await reader.read();
    if (r.done) {
      finished = true;
      break;
    }
    parts.push(r.value);
    size += r.value.byteLength;
  }
  if (size === 0) {
    send({ type: "end" });
    await finish();
    return;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  send({ type: "chunk", bytes: bytes.buffer }, [bytes.buffer]);
}

/** Ends the export: the producer is stopped and the pool closed (its connections end, not drop). */
async function finish() {
  const r = reader;
  const d = db;
  reader = null;
  db = null;
  if (r && !finished) await r.cancel().catch(() => {});
  finished = true;
  await d?.destroy().catch(() => {});
  send({ type: "done" });
}

port.on("message", (m: ToExportThread) => {
  queue = queue.then(async () => {
    try {
      if (m.type === "start") await start(m);
      else if (m.type === "pull") await pull();
      else await finish();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      send({ type: "error", message: err.message, stack: err.stack });
      await finish();
    }
  });
});
