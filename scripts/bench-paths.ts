/**
 * First and later loads of any pages, as a signed-in user, against the built server:
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/nat_x npx tsx scripts/bench-paths.ts \
 *     [--runs 6] [--as admin@demo.gp-estate.test] "/gaps?group=practice" "/icbs/QOP/sustainability" …
 *
 * Starts the server as `npm run bench` does (scripts/bench-lib.ts), signs in with DEMO_PASSWORD
 * (default the national seed's), then loads each path `runs` times in turn, printing its status,
 * bytes and every time in ms: the first is the load nobody has asked for since the server started
 * (nothing kept in this process), the rest are warm. For a copy of the national dataset, never
 * nat_perf itself (pages can keep figures in the database).
 */
import { parseArgs } from "node:util";
import { Client, startServer } from "./bench-lib";

const { values: opt, positionals: paths } = parseArgs({
  options: { runs: { type: "string", default: "6" }, as: { type: "string", default: "admin@demo.gp-estate.test" } },
  allowPositionals: true,
});
const password = process.env.DEMO_PASSWORD ?? "demo-password-2026";
const server = await startServer(
  process.cwd(),
  { DEMO_PASSWORD: password, SESSION_SECRET: process.env.SESSION_SECRET ?? "bench-paths-".repeat(4) },
  (l) => console.error(l),
);
const client = new Client(server.port);
try {
  await client.signIn(opt.as, password);
  for (const p of paths) {
    const times: number[] = [];
    let status = 0;
    let bytes = 0;
    for (let i = 0; i < Number(opt.runs); i++) {
      const t = performance.now();
      const r = await client.get(p);
      times.push(performance.now() - t);
      status = r.status;
      bytes = r.body.length;
    }
    console.log(`${p} ${status} ${bytes} B, ms: ${times.map((t) => t.toFixed(0)).join(" ")}`);
  }
} finally {
  client.close();
  await server.stop();
}
