import type { Writable } from "node:stream";

/**
 * Writes a response body to the client as @remix-run/node's writeReadableStreamToWritable does,
 * with differences that matter for downloads (issue 12, "busy service"):
 *
 * - back-pressure: when the socket's buffer is full the next chunk is asked for only once it
 *   drains, so a slow client holds one chunk more, not the file (Remix's writer ignores `write`'s
 *   answer: a national export produced faster than it was taken sat in memory whole);
 * - a client that leaves cancels the body, so a streamed export stops reading and encoding
 *   (its thread's connections are released) instead of running to the end for nobody;
 * - a body that fails while the client is not reading (an export stopped because its client
 *   stalled, utils/export-thread.server.ts) ends the response at once, not when the socket drains.
 *
 * An error from the body after anything has gone out (a byte, or the headers) destroys the
 * connection, so the client sees a broken download rather than a file that looks complete. One
 * before anything has gone out leaves the response untouched and is thrown, so the caller can
 * still answer with an error status (remix-handler.ts).
 */
export async function sendBody(
  res: Writable & { flush?: () => void; headersSent?: boolean },
  body: ReadableStream<Uint8Array>,
): Promise<void> {
  const reader = body.getReader();
  let gone = false;
  let wrote = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    // At once, even while a chunk is awaited (an export waiting its turn, say).
    void reader.cancel().catch(() => {});
    wake?.();
  };
  // The body failing while a drain is awaited wakes the wait (a read would reject by itself).
  reader.closed.catch((error: unknown) => {
    failure = { error };
    wake?.();
  });
  res.once("close", onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (gone) return;
      if (done) {
        res.end();
        return;
      }
      wrote = true;
      const ok = res.write(value);
      // The compression middleware holds bytes until flushed: an event stream must not wait.
      res.flush?.();
      if (!ok && !gone && !failure)
        await new Promise<void>((resolve) => {
          wake = resolve;
          res.once("drain", resolve);
        }).finally(() => {
          wake = null;
        });
      if (gone) return;
      if (failure) throw (failure as { error: unknown }).error;
    }
  } catch (error) {
    if (wrote || res.headersSent) res.destroy(error as Error);
    throw error;
  } finally {
    res.off("close", onClose);
  }
}
