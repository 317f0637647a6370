import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processHeapFlags, processHeapLimits } from "~/utils/thread-heap.server";

// The server runs with --max-old-space-size and --max-semi-space-size in NODE_OPTIONS
// (scripts/server-options.ts); V8 gives those to every isolate before a thread's own limits.
describe("worker threads with a heap of their own", () => {
  it("get the limits they ask for under the server's heap flags, and later threads get the flags again", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../support/thread-heap-child.ts")], {
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=512 --max-semi-space-size=32" },
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const got = JSON.parse(run.stdout.trim().split("\n").pop()!) as { limited: number[]; same: number; plain: number; main: number };
    // 96 MB of old generation and an 8 MB young one, not 512 MB and 3 x 32 MB.
    for (const limit of got.limited) expect(limit).toBeLessThanOrEqual(110);
    // A thread started plainly afterwards is held to the flags, as before (the flags were put back).
    expect(got.plain).toBeGreaterThanOrEqual(512);
    expect(got.main).toBeGreaterThanOrEqual(512);
    // One given the process's own sizes while the flags were cleared gets what the flags give.
    expect(got.same).toBe(got.plain);
  });

  it("puts back the process's own settings, the command line's over NODE_OPTIONS", () => {
    expect(processHeapFlags(["--max-old-space-size=300"], "--max-old-space-size=512 --max_semi_space_size=32")).toEqual([
      "--max-semi-space-size=32",
      "--max-old-space-size=300",
    ]);
    expect(processHeapFlags([], "--inspect")).toEqual([]);
    expect(processHeapLimits(["--max-semi-space-size=32", "--max-old-space-size=512"])).toEqual({
      maxYoungGenerationSizeMb: 96,
      maxOldGenerationSizeMb: 512,
    });
    expect(processHeapLimits([])).toEqual({});
  });
});
