import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { sendBody } from "../../scripts/server/send-body";

// How a response body reaches the client (scripts/server/remix-handler.ts): with back-pressure,
// and cancelled when the client leaves, so a streamed export neither piles up in memory nor runs
// on for nobody (issue 12, "busy service").

/** A body of `n` 64 KiB chunks that counts how many were asked for, and whether it was cancelled. */
function countingBody(n: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === n) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("sendBody", () => {
  it("asks for the next chunk only when the client has taken the last (a slow client holds one chunk, not the file)", async () => {
    const { body, seen } = countingBody(100);
    // A client that reads nothing: the socket's buffer fills at its high-water mark.
    const res = new Writable({ highWaterMark: 64 * 1024, write: () => {} });
    void sendBody(res, body);
    await tick();
    expect(seen.pulled).toBeLessThanOrEqual(2);
    res.destroy();
  });

  it("writes the whole body and ends the response", async () => {
    const { body, seen } = countingBody(10);
    const res = new PassThrough();
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    await sendBody(res, body);
    expect(seen.pulled).toBe(10);
    expect(Buffer.concat(chunks).length).toBe(10 * 64 * 1024);
    expect(res.writableEnded).toBe(true);
  });

  it("cancels the body when the client leaves, even while a chunk is awaited", async () => {
    const seen = { cancelled: false };
    // A body whose next chunk never comes (an export waiting its turn).
    const body = new ReadableStream<Uint8Array>({
      pull: () => new Promise(() => {}),
      cancel() {
        seen.cancelled = true;
      },
    });
    const res = new PassThrough();
    const sending = sendBody(res, body);
    await tick();
    res.destroy();
    await sending;
    expect(seen.cancelled).toBe(true);
  });

  it("cancels the body when the client leaves while the socket is full", async () => {
    const { body, seen } = countingBody(100);
    const res = new Writable({ highWaterMark: 64 * 1024, write: () => {} });
    const sending = sendBody(res, body);
    await tick();
    res.destroy();
    await sending;
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(100);
  });

  it("destroys the connection when the body fails after its first bytes, so the download cannot look complete", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new Uint8Array(10));
          else controller.error(new Error("the database went away"));
        },
      },
      { highWaterMark: 0 },
    );
    const res = new PassThrough();
    res.on("data", () => {});
    res.on("error", () => {});
    await expect(sendBody(res, body)).rejects.toThrow("the database went away");
    expect(res.destroyed).toBe(true);
    expect(res.writableEnded).toBe(false);
  });

  it("destroys the connection at once when the body fails while the client is not reading (a stalled export stopped)", async () => {
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          source = controller;
        },
        pull(controller) {
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    // A client that takes nothing: the first write fills the buffer and sendBody waits for a drain that never comes.
    const res = new Writable({ highWaterMark: 64 * 1024, write: () => {} });
    res.on("error", () => {});
    const sending = sendBody(res, body);
    await tick();
    expect(res.destroyed).toBe(false);
    // The body fails with no read pending (the export gave up on its client): no drain comes to wake the writer.
    source.error(new Error("The client took nothing"));
    await expect(sending).rejects.toThrow("The client took nothing");
    expect(res.destroyed).toBe(true);
    expect(res.writableEnded).toBe(false);
  });

  it("leaves the response untouched when the body fails before anything is written, so an error status can still be sent", async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(Object.assign(new Error("busy"), { status: 503 }));
      },
    });
    const res = new PassThrough();
    await expect(sendBody(res, body)).rejects.toThrow("busy");
    expect(res.destroyed).toBe(false);
    expect(res.writableEnded).toBe(false);
  });
});
