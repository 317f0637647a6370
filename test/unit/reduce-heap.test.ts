import v8 from "node:v8";
import { describe, expect, it } from "vitest";
import { heapReductions, reduceHeap } from "~/utils/reduce-heap.server";

const heapMiB = () => v8.getHeapStatistics().total_heap_size / 2 ** 20;

describe("reducing the heap after large work", () => {
  it("gives back the pages that work grew, and two calls at once share one collection", async () => {
    // Some 100 MB of objects that live long enough to reach the old generation, then are dropped.
    let held: number[][] | null = Array.from({ length: 400 }, () => Array.from({ length: 30_000 }, (_, i) => i + 0.5));
    const grown = heapMiB();
    expect(held.length).toBe(400);
    held = null;
    const before = heapReductions();
    await Promise.all([reduceHeap("test"), reduceHeap("test")]);
    expect(heapReductions()).toBe(before + 1);
    expect(grown - heapMiB()).toBeGreaterThan(50);
  });
});
