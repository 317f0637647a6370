import { Transform, type TransformCallback } from "node:stream";

/**
 * The page's HTML with NUL bytes left out. React 18.3.1's streaming renderer (writeStringChunk in
 * react-dom-server) sends its whole 2,048-byte buffer when a multi-byte character such as "£" or
 * "×" does not fit at the buffer's end, unwritten bytes and all, so a page can carry one to three
 * NUL bytes just before that character, wherever the text happens to meet a buffer boundary. In
 * HTML text the browser drops them, but inside an SVG chart's <text> or an attribute it shows
 * "�" (issue 12: trimming a page moved a "£0" in a chart onto a boundary). A page never holds a
 * NUL of its own (PostgreSQL text cannot, and React writes none), so every one is the fault's.
 */
// Module-level, not a closure made per call: V8 drops a per-call closure's optimized code at every
// full collection (docs/performance.md, session 16 and 17, load scaling).
const notNul = (b: number) => b !== 0;

export class DropNulBytes extends Transform {
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    callback(null, chunk.indexOf(0) === -1 ? chunk : Buffer.from(chunk.filter(notNul)));
  }
}
