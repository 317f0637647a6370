import { registerSweepTask, startHousekeeping } from "~/modules/housekeeping/schedule.server";
import { getDb, getDbHandle } from "~/utils/db.server";
import "./recheck.server"; // registers the re-check handler with the worker
import "./import.server"; // and the import handler
import "./graph-sync.server"; // and the Intune sync handler
import { startJobWorker } from "~/modules/queue/worker.server";
import { startKeptUploadSweep } from "~/modules/devices/import/kept-sweep.server";
import { prepareNextDayForecasts } from "~/modules/dashboard/service.server";
import { logFor } from "~/utils/log.server";
import { reduceHeap } from "~/utils/reduce-heap.server";
import { todayIso } from "~/utils/today";

// Each hour, the next day's forecast shares of the practices whose ICB dashboard was loaded
// today, so the first load of the next day reads them instead of running the rules. In one server
// process per hour (`once`): the shares are kept in the database, the same whichever process
// works them out, and working them out takes seconds of CPU for a large ICB, which every process
// at once would take from the pages being served on a machine of two cores.
registerSweepTask(
  "forecast-next-day",
  async (db) => {
    const prepared = await prepareNextDayForecasts(db, todayIso());
    if (prepared) logFor("dashboard").info({ prepared }, "worked out the next day's forecast shares");
    // Forecasting a large ICB's practices grows this process's heap by 100-200 MiB that it would
    // otherwise keep while serving pages (the benchmark's England CSV peak went from 402 to 585 MiB
    // with two processes each holding it; now only the process that claimed the hour forecasts):
    // give it back, as after a large import. Once an hour at most.
    if (prepared >= FORECASTS_WORTH_A_COLLECTION) await reduceHeap(`${prepared} next-day forecast shares`);
  },
  { once: true },
);

/** About 100 practices' forecasts allocate as much as a 10,000-row import (LARGE_WORK_ROWS). */
const FORECASTS_WORTH_A_COLLECTION = 100;

/**
 * Starts this server process's background work, once: the job worker (queued re-checks and
 * imports), the hourly housekeeping sweep and the sweep of rows kept for uploads. The production
 * server calls it at start-up through
 * `startBackgroundWork` in app/entry.server.tsx, so a process that has served no request still
 * runs queued jobs; the root loader calls it too, for `npm run dev` (a second call does nothing).
 * Not in tests (they run jobs explicitly with runPendingJobs) nor when JOB_WORKER=off.
 */
export function ensureJobWorker() {
  if (process.env.VITEST || process.env.JOB_WORKER === "off") return;
  startJobWorker(getDb, { embedded: getDbHandle().kind === "pglite" });
  startHousekeeping(getDb);
  // Uploads imported or cancelled by another process: their kept rows are dropped here too.
  startKeptUploadSweep(getDb);
}
