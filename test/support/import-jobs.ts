import { expect } from "vitest";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as jobPage from "~/routes/jobs.$id";
import { getDb } from "~/utils/db.server";
import { call, get } from "./requests";

/**
 * After a confirmation was answered with a redirect to its import job's page: runs what is
 * queued, as the server's worker would, and returns the job as its page shows it to `cookie`.
 */
export async function finishImportJob(cookie: string | undefined, location: string | null | undefined) {
  const id = /^\/jobs\/(\d+)/.exec(location ?? "")?.[1];
  expect(id, `a job page, not ${location}`).toBeDefined();
  await runPendingJobs(getDb());
  const res = await call(jobPage.loader, get(`/jobs/${id}`, cookie), { id: id! });
  expect(res.status).toBe(200);
  return res.data.job as { status: string; error: string | null; import: { result: { counts: Record<string, number> } | null } };
}
