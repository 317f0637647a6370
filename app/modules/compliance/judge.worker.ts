// Entry of an evaluation worker thread (see judge-threads.server.ts): judges chunks of rows with
// exactly the code the main thread uses (judge.ts), so results are the same either way. On
// PostgreSQL the thread also reads its chunks through a connection of its own (the same set
// queries as the main thread, readChunk), so the main thread neither parses nor copies the rows.
import { parentPort } from "node:worker_threads";
import { openPostgres } from "#db/postgres";
import type { Db } from "#db/connect";
import { emptyCounts, judgeChunk, type ChunkReads, type JudgeContext } from "./judge";
import { readChunk } from "./read-chunk.server";

type Message =
  | { type: "init"; ctx: JudgeContext; asOf: string; databaseUrl: string | null }
  | { type: "judge"; id: number; reads: ChunkReads }
  | { type: "read"; id: number; codes: string[] }
  | { type: "close" };

let ctx: JudgeContext | null = null;
let asOf = "";
let db: Db | null = null;
// Chunks are judged one at a time, in the order asked; a chunk's read starts as soon as it is
// asked for, so the next chunk is read while this one is judged.
let judging: Promise<unknown> = Promise.resolve();

async function judge(id: number, reads: Promise<ChunkReads>) {
  try {
    if (!ctx) throw new Error("The evaluation worker was asked to judge before it was given its context.");
    const counts = emptyCounts();
    const judgement = await judgeChunk(await reads, asOf, ctx, counts);
    parentPort!.postMessage({ id, judgement, counts });
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
}

parentPort!.on("message", (m: Message) => {
  // A thread serves one run at a time, from "init" to "close", and may then wait in the pool
  // for the next run (judge-threads.server.ts), which sends "init" again.
  if (m.type === "init") {
    ctx = m.ctx;
    asOf = m.asOf;
    // Up to four statements of a chunk's read at once, as the main thread's pool would.
    db = m.databaseUrl ? openPostgres(m.databaseUrl, 4) : null;
    return;
  }
  if (m.type === "close") {
    const closing = db;
    db = null;
    void judging.then(async () => {
      await closing?.destroy();
      parentPort!.postMessage({ closed: true });
    });
    return;
  }
  let reads: Promise<ChunkReads>;
  if (m.type === "judge") reads = Promise.resolve(m.reads);
  else if (db) reads = readChunk(db, m.codes, asOf);
  else reads = Promise.reject(new Error("The evaluation worker was asked to read without a database connection."));
  reads.catch(() => {});
  judging = judging.then(() => judge(m.id, reads));
});
