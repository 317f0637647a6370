/**
 * Node options for the production server, shared by `npm start` and `npm run bench` so the
 * benchmark measures the server as it is run. Without a cap V8 sizes its heap from the
 * machine's memory and lets garbage pile up under load: 50 concurrent users took the server
 * to 1-2 GB resident while it held about 200 MB of live data. 384 MB of old space keeps a
 * 50,000-row device import (the largest thing one request holds) working, and the whole
 * process under 600 MB. Options already in NODE_OPTIONS come after, so they win.
 */
export const SERVER_HEAP_MB = 384;

export function serverNodeOptions(existing = process.env.NODE_OPTIONS ?? ""): string {
  return [`--max-old-space-size=${SERVER_HEAP_MB}`, existing].filter(Boolean).join(" ");
}
