/**
 * The ICB dashboard's cold paths, in-process, against DATABASE_URL (issue 12):
 * `npm run -s bench:dashboard -- [--icb CODE] [--runs N]` (default: the ICB with most practices,
 * 3 runs). Each figure is timed around getIcbDashboard as the page's loader calls it:
 * - `from_nothing`: nothing kept in memory or in the database (what every new server process
 *   paid before the figures were kept in the database);
 * - `new_process`: this process's memory emptied, the figures another process kept read back;
 * - `new_process_after_change`: the same after a change to one device of the ICB (one practice's
 *   forecast share and the ICB's figures worked out again, the other shares read back);
 * - `after_change`: a change, then a load in the same process;
 * - `warm`: nothing changed since the last load.
 * Also all of England (`/england`'s figures) from nothing, in a new process (parts kept in the
 * database) and after a change. Writes: a
 * device's notes rewritten as they were (moves the stamps like any write) and the kept figures.
 * Prints one JSON object on stdout, progress on stderr.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { clearDashboardCache, forgetDashboardFigures, getIcbDashboard } from "~/modules/dashboard/service.server";
import { clearEnglandCache, getEnglandSummary } from "~/modules/england/service.server";
import { forgetKeptFigures } from "~/modules/kept-figures/service.server";
import { getEnv } from "~/utils/env.server";
import { todayIso } from "~/utils/today";
import { summarise } from "./bench-lib";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, icb: { type: "string" } }, strict: true });
const runs = Number(values.runs);
const handle = createDbFromEnv(getEnv());
const db = handle.db;
const today = todayIso();
const log = (t: string) => process.stderr.write(`${t}\n`);
try {
  await migrateToLatest(db);
  const code =
    values.icb ??
    (
      await sql<{
        icb_code: string;
      }>`select icb_code from practice where status = 'A' and icb_code is not null group by icb_code order by count(*) desc limit 1`.execute(
        db,
      )
    ).rows[0].icb_code;
  const icb = { code, name: null };
  const touch = () =>
    sql`update device set notes = notes where id = (select min(d.id) from device d join practice p on p.ods_code = d.practice_code where p.icb_code = ${code})`.execute(
      db,
    );
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const load = () => getIcbDashboard(db, icb, { all: true }, today);
  const loadBefore = os.loadavg();
  await load();
  const samples: Record<string, number[]> = {
    from_nothing: [],
    new_process: [],
    new_process_after_change: [],
    after_change: [],
    warm: [],
    england_from_nothing: [],
    england_new_process: [],
    england_after_change: [],
  };
  const recomputed: Record<string, number[]> = { new_process: [], new_process_after_change: [], after_change: [] };
  for (let i = 0; i < runs; i++) {
    samples.from_nothing.push(await time(() => forgetDashboardFigures(db).then(load)));
    clearDashboardCache();
    let r: Awaited<ReturnType<typeof load>> | undefined;
    samples.new_process.push(await time(async () => void (r = await load())));
    recomputed.new_process.push(r!.forecast.recomputed);
    await touch();
    clearDashboardCache();
    samples.new_process_after_change.push(await time(async () => void (r = await load())));
    recomputed.new_process_after_change.push(r!.forecast.recomputed);
    await touch();
    samples.after_change.push(await time(async () => void (r = await load())));
    recomputed.after_change.push(r!.forecast.recomputed);
    samples.warm.push(await time(load));
    clearEnglandCache();
    samples.england_from_nothing.push(await time(() => forgetKeptFigures(db).then(() => getEnglandSummary(db, { all: true }, today))));
    clearEnglandCache();
    samples.england_new_process.push(await time(() => getEnglandSummary(db, { all: true }, today)));
    await touch();
    samples.england_after_change.push(await time(() => getEnglandSummary(db, { all: true }, today)));
    log(
      `run ${i + 1}: ${Object.entries(samples)
        .map(([k, v]) => `${k} ${Math.round(v[i])} ms`)
        .join(", ")} (load ${os.loadavg()[0].toFixed(2)})`,
    );
  }
  process.stdout.write(
    `${JSON.stringify({ icb: code, runs, ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarise(v)])), recomputed, loadBefore, loadAfter: os.loadavg() })}\n`,
  );
} finally {
  await db.destroy();
}
