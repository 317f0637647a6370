import { describe, expect, it } from "vitest";
import { serverConfig } from "../../scripts/server/config";
import { RenderSlots, waitsForSlot } from "../../scripts/server/render-slots";

/** A piece of work that starts when the slots let it and ends when the test says. */
function job(slots: RenderSlots, id: number, log: string[]) {
  let finish!: (value: number) => void;
  let fail!: (error: Error) => void;
  const done = slots.run(
    () =>
      new Promise<number>((resolve, reject) => {
        log.push(`start ${id}`);
        finish = resolve;
        fail = reject;
      }),
  );
  return { done, finish: () => finish(id), fail: (e: Error) => fail(e) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("RenderSlots", () => {
  it("runs at most `limit` at once; the next waits until one ends, and goes first", async () => {
    const slots = new RenderSlots(2);
    const log: string[] = [];
    const jobs = [1, 2, 3, 4, 5].map((id) => job(slots, id, log));
    await settle();
    expect(log).toEqual(["start 1", "start 2"]);
    expect([slots.active, slots.queued]).toEqual([2, 3]);

    jobs[1].finish();
    expect(await jobs[1].done).toBe(2);
    await settle();
    expect(log).toEqual(["start 1", "start 2", "start 3"]);
    expect([slots.active, slots.queued]).toEqual([2, 2]);

    // A newcomer while others wait queues behind them.
    const late = job(slots, 6, log);
    jobs[0].finish();
    await settle();
    expect(log.at(-1)).toBe("start 4");
    for (const j of [jobs[2], jobs[3], jobs[4], late]) {
      await settle();
      j.finish();
    }
    expect(await Promise.all([...jobs.map((j) => j.done), late.done])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log).toEqual(["start 1", "start 2", "start 3", "start 4", "start 5", "start 6"]);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it("refuses none however many wait, and serves them in the order they came", async () => {
    const slots = new RenderSlots(4);
    const order: number[] = [];
    const all = Array.from({ length: 2_000 }, (_, i) =>
      slots.run(async () => {
        order.push(i);
        await settle();
        return i;
      }),
    );
    expect(slots.queued).toBe(1_996);
    expect(await Promise.all(all)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    expect(order).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
  });

  it("frees the slot of work that fails, and passes the failure on", async () => {
    const slots = new RenderSlots(1);
    const log: string[] = [];
    const first = job(slots, 1, log);
    const second = job(slots, 2, log);
    await settle();
    first.fail(new Error("loader failed"));
    await expect(first.done).rejects.toThrow("loader failed");
    await settle();
    expect(log).toEqual(["start 1", "start 2"]);
    second.finish();
    expect(await second.done).toBe(2);
    expect(slots.active).toBe(0);
  });

  it("is taken by page loads (GET, HEAD), not by posts, which may be reading a slow upload", () => {
    expect(["GET", "HEAD"].every(waitsForSlot)).toBe(true);
    expect(["POST", "PUT", "PATCH", "DELETE"].some(waitsForSlot)).toBe(false);
  });

  it("needs a whole number of at least one", () => {
    expect(() => new RenderSlots(0)).toThrow();
    expect(() => new RenderSlots(1.5)).toThrow();
  });
});

describe("RENDER_CONCURRENCY", () => {
  const withValue = (value: string | undefined) => serverConfig({ ...process.env, RENDER_CONCURRENCY: value });
  it("is 4 requests per server process unless set, and a bad value stops the server", () => {
    expect(withValue(undefined).renderConcurrency).toBe(4);
    expect(withValue("").renderConcurrency).toBe(4);
    expect(withValue("12").renderConcurrency).toBe(12);
    expect(() => withValue("0")).toThrow(/RENDER_CONCURRENCY/);
    expect(() => withValue("two")).toThrow(/RENDER_CONCURRENCY/);
  });
});
