import { getDb, getDbHandle } from "~/utils/db.server";
import "./recheck.server"; // registers the re-check handler with the worker
import { startJobWorker } from "./worker.server";

/**
 * Starts this server process's job worker, once. Called from the root loader for now (the first
 * request starts it); it belongs in the server's start-up (app/entry.server.tsx or the server
 * script) once that exists, so a process that has served no request still runs queued jobs.
 * Not in tests (they run jobs explicitly with runPendingJobs) nor when JOB_WORKER=off.
 */
export function ensureJobWorker() {
  if (process.env.VITEST || process.env.JOB_WORKER === "off") return;
  startJobWorker(getDb, { embedded: getDbHandle().kind === "pglite" });
}
