/**
 * Starts threads with limits under the server's heap flags and prints, as JSON, the heap each
 * thread got and the main thread's (test/unit/thread-heap.test.ts runs it with NODE_OPTIONS set).
 */
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { processHeapLimits, workerWithHeap } from "~/utils/thread-heap.server";

const MB = 1024 * 1024;
const report = `const { getHeapStatistics } = require("node:v8");
require("node:worker_threads").parentPort.postMessage(Math.round(getHeapStatistics().heap_size_limit / ${MB}));`;
const limitOf = (w: Worker) => new Promise<number>((resolve) => w.once("message", resolve));

const limits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 };
// Two at once (the flags are cleared until both are made), then one started plainly afterwards.
// A thread given the process's own sizes (as the evaluation threads are) started in the same window.
const [a, b, same] = await Promise.all([
  limitOf(workerWithHeap(report, limits)),
  limitOf(workerWithHeap(report, limits)),
  limitOf(workerWithHeap(report, processHeapLimits())),
]);
const limited = [a, b];
const plain = await limitOf(new Worker(report, { eval: true, resourceLimits: limits }));
const main = Math.round(getHeapStatistics().heap_size_limit / MB);
console.log(JSON.stringify({ limited, same, plain, main }));
process.exit(0);
