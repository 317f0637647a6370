import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { IdleThreads } from "~/utils/idle-threads.server";

const started: Worker[] = [];
const thread = () => {
  const w = new Worker("setInterval(() => {}, 1000)", { eval: true });
  started.push(w);
  return w;
};
const exited = (w: Worker) => new Promise<number>((resolve) => w.once("exit", resolve));

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
});

describe("IdleThreads", () => {
  it("hands back a kept thread for the next use, and nothing once it is taken", () => {
    const idle = new IdleThreads(60_000);
    const w = thread();
    idle.keep(w, 2);
    expect(idle.take(3)).toEqual([w]);
    expect(idle.take(1)).toEqual([]);
  });

  it("stops a thread given back when as many as allowed are already kept", async () => {
    const idle = new IdleThreads(60_000);
    const [a, b] = [thread(), thread()];
    idle.keep(a, 1);
    const bExit = exited(b);
    idle.keep(b, 1);
    await bExit;
    expect(idle.take(2)).toEqual([a]);
  });

  it("lets a kept thread that stops leave, and stops every kept thread once none was used for the idle time", async () => {
    const idle = new IdleThreads(200);
    const [a, b] = [thread(), thread()];
    idle.keep(a, 4);
    await a.terminate();
    expect(idle.take(1)).toEqual([]);
    idle.keep(b, 4);
    await exited(b);
    expect(idle.take(1)).toEqual([]);
  });
});
