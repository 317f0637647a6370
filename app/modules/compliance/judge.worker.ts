// Entry of an evaluation worker thread (see judge-threads.server.ts): judges chunks of rows with
// exactly the code the main thread uses (judge.ts), so results are the same either way.
import { parentPort } from "node:worker_threads";
import { emptyCounts, judgeChunk, type ChunkReads, type JudgeContext } from "./judge";

type Message = { type: "init"; ctx: JudgeContext; asOf: string } | { type: "judge"; id: number; reads: ChunkReads };

let ctx: JudgeContext | null = null;
let asOf = "";
parentPort!.on("message", async (m: Message) => {
  if (m.type === "init") {
    ctx = m.ctx;
    asOf = m.asOf;
    return;
  }
  try {
    if (!ctx) throw new Error("The evaluation worker was asked to judge before it was given its context.");
    const counts = emptyCounts();
    const judgement = await judgeChunk(m.reads, asOf, ctx, counts);
    parentPort!.postMessage({ id: m.id, judgement, counts });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
