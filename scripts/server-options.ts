/**
 * Node options for the production server, shared by `npm start` and `npm run bench` so the
 * benchmark measures the server as it is run. Without a cap V8 sizes its heap from the
 * machine's memory and lets garbage pile up under load: 50 concurrent users took the server
 * to 1-2 GB resident while it held about 200 MB of live data. 512 MB of old space is what the
 * largest device import the app accepts (100,000 rows, held whole in one request) needs; 384 MB
 * ran out of memory on it.
 */
export const SERVER_HEAP_MB = 512;

/**
 * Each half of the young generation, where a request's short-lived objects start (V8's default
 * is 16 MB). Under 50 concurrent users some 25 pages are being rendered at once in each server
 * process, so a scavenge finds more of them still alive and copies them on to the old
 * generation, which costs a full collection later. Doubling it took garbage collection from
 * 12.9% to 10.7% of a server process's CPU under that load (docs/performance.md, session 11),
 * for at most 32 MB more resident memory per process; 64 MB gave 9.1% for up to 96 MB more,
 * too near the benchmark's 600 MB limit for a process (423-438 MiB reached so far, during the
 * England-wide downloads).
 */
export const SERVER_SEMI_SPACE_MB = 32;

/** The caps first, then anything already in NODE_OPTIONS, so an operator's own setting wins. */
export function serverNodeOptions(existing = process.env.NODE_OPTIONS ?? ""): string {
  return [`--max-old-space-size=${SERVER_HEAP_MB}`, `--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`, existing].filter(Boolean).join(" ");
}
