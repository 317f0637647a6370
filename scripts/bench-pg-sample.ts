/**
 * `tsx scripts/bench-pg-sample.ts`: which statements a PostgreSQL database is busy with, found by
 * sampling `pg_stat_activity` (active backends of one database, parallel workers apart from
 * client backends) every few milliseconds while something else runs: a poor man's profiler for
 * the database side of a benchmark. It found, in session 17, the deep device-list page that the
 * import benchmark's devices had turned into a 33,000-row walk (docs/performance.md).
 *
 *   DATABASE_URL=postgres://…/nat_copy npx tsx scripts/bench-pg-sample.ts --seconds 30
 *
 * Options: --seconds N (how long to sample, default 30), --every-ms N (between samples, default
 * 10), --top N (statements listed, default 20), --width N (characters of each statement kept,
 * default 140). Prints, for the commonest statements, the share of samples in which a backend was
 * running it: 0.25 means a backend was on it a quarter of the time, so shares can add up to more
 * than 1 when several backends are busy at once. Read-only; its own connection is left out.
 */
import { parseArgs } from "node:util";
import pg from "pg";

const { values: opt } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    "every-ms": { type: "string", default: "10" },
    top: { type: "string", default: "20" },
    width: { type: "string", default: "140" },
  },
});
const url = process.env.DATABASE_URL;
if (!url) throw new Error("Set DATABASE_URL to the database to sample (PostgreSQL only).");

const client = new pg.Client({ connectionString: url, application_name: "bench-pg-sample" });
await client.connect();
const counts = new Map<string, number>();
let samples = 0;
const deadline = performance.now() + Number(opt.seconds) * 1000;
try {
  while (performance.now() < deadline) {
    const { rows } = await client.query<{ backend_type: string; q: string }>(
      `select backend_type, regexp_replace(left(query, $1), '\\s+', ' ', 'g') as q
         from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()`,
      [Number(opt.width)],
    );
    samples++;
    for (const r of rows) {
      const key = `${r.backend_type} | ${r.q.trim()}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, Number(opt["every-ms"])));
  }
} finally {
  await client.end();
}
console.log(`${samples} samples`);
for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, Number(opt.top))) {
  console.log(`${(n / samples).toFixed(3)}  ${key}`);
}
