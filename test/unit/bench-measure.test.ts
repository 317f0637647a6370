import { describe, expect, it } from "vitest";
import { measureAlternating } from "../../scripts/bench-lib";

describe("measureAlternating", () => {
  it("warms each side up untimed, then times them in turn", async () => {
    const calls: string[] = [];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const { a, b } = await measureAlternating(
      3,
      async () => {
        calls.push("a");
        await sleep(calls.length <= 2 ? 0 : 30);
      },
      async () => {
        calls.push("b");
      },
      1,
    );
    expect(calls).toEqual(["a", "b", "a", "b", "a", "b", "a", "b"]);
    expect(a.runs).toBe(3);
    expect(b.runs).toBe(3);
    // The warm-up's quick run is not among a's timings: every timed run of a slept 30 ms.
    expect(a.min_ms).toBeGreaterThanOrEqual(25);
    expect(b.max_ms).toBeLessThan(a.min_ms);
  });
});
