/**
 * Node options for the production server, shared by `npm start` and `npm run bench` so the
 * benchmark measures the server as it is run. Without a cap V8 sizes its heap from the
 * machine's memory and lets garbage pile up under load: 50 concurrent users took the server
 * to 1-2 GB resident while it held about 200 MB of live data. 512 MB of old space is what the
 * largest device import the app accepts (100,000 rows, held whole in one request) needs; 384 MB
 * ran out of memory on it.
 */
export const SERVER_HEAP_MB = 512;

/** The cap first, then anything already in NODE_OPTIONS, so an operator's own setting wins. */
export function serverNodeOptions(existing = process.env.NODE_OPTIONS ?? ""): string {
  return [`--max-old-space-size=${SERVER_HEAP_MB}`, existing].filter(Boolean).join(" ");
}
