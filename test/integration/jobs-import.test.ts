/**
 * Imports as background jobs: the confirmation queues one job per upload, a duplicate (double
 * click, two tabs) is sent to the job that has the file, a finished import cannot apply twice,
 * and a failed one says why, audited, leaving the file to try again.
 */
import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { IMPORT } from "~/modules/jobs/import.server";
import { findJob } from "~/modules/queue/repository.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import * as jobPage from "~/routes/jobs.$id";
import * as jobProgress from "~/routes/jobs.$id.progress";
import * as paperImport from "~/routes/practices.$ods.paper.import";
import { getDb } from "~/utils/db.server";
import { BASE, call, get, noticeFor, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("two confirmations at once on PostgreSQL: the race between connections is under test");

const cookies = useRoleCookies();
const db = () => getDb();
const CSV = "Practice,Asset tag,Type\nF84003,J-1,laptop\nF84003,J-2,desktop\n";

async function upload(cookie: string | undefined, content = CSV, query = "?practice=F84003") {
  const form = new FormData();
  form.append("file", new File([content], "jobs.csv"));
  const res = await call(
    uploadPage.action,
    new Request(`${BASE}/estate/import${query}`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form }),
  );
  expect(res.status).toBe(302);
  return res.location!.split("/").pop()!;
}
const commit = (cookie: string | undefined, id: string, create = 2) =>
  call(
    previewPage.action,
    post(
      `/estate/import/${id}`,
      { intent: "commit", expected_create: String(create), expected_update: "0", expected_rejected: "0" },
      { cookie },
    ),
    { id },
  );
const page = (cookie: string | undefined, location: string) => {
  const id = /^\/jobs\/(\d+)/.exec(location)![1];
  return call(jobPage.loader, get(location, cookie), { id });
};
/** The notice a refused second import leaves for its job's page. */
const already = (jobId: number) => ({ notice: "job-already", path: `/jobs/${jobId}`, detail: {} });
const count = async (q: "device" | "import_run") =>
  Number(
    (
      await db()
        .selectFrom(q)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const events = async (action: string) => db().selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("id").execute();

describe("an import as a background job", () => {
  beforeEach(async () => {
    await sql`truncate device, audit_event, import_run, import_upload, job restart identity`.execute(db());
  });

  it("returns at once with the job's page, which follows it to the same summary", async () => {
    const id = await upload(cookies.partnerIcb);
    const res = await commit(cookies.partnerIcb, id);
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/jobs\/\d+$/);
    // Nothing is written by the request: the job is queued, audited as such.
    expect(await count("device")).toBe(0);
    const queued = await page(cookies.partnerIcb, res.location!);
    expect(queued.data.job).toMatchObject({
      kind: "import",
      status: "queued",
      scopeLabel: "jobs.csv",
      done: 0,
      total: null,
      phase: null,
      import: { importKind: "devices", practice: "F84003", result: null },
    });
    expect((await events("import.queue"))[0]).toMatchObject({
      entity_type: "import_upload",
      entity_id: id,
      after: { kind: "devices", file_name: "jobs.csv", practice_code: "F84003" },
    });
    // The progress resource says the same, for the page's script and for scripts.
    const jobId = res.location!.split("/").pop()!;
    const progress = await call(jobProgress.loader, get(`/jobs/${jobId}/progress`, cookies.partnerIcb), { id: jobId });
    expect(await progress.response!.json()).toMatchObject({ kind: "import", status: "queued", done: 0, total: null });

    await runPendingJobs(db());
    const done = await page(cookies.partnerIcb, res.location!);
    expect(done.data.job).toMatchObject({ status: "done", phase: "rechecking", error: null });
    expect(done.data.deviceRun).toMatchObject({
      fileName: "jobs.csv",
      counts: { rowsRead: 2, created: 2, updated: 0, unchanged: 0, rejected: 0 },
      practices: ["F84003"],
    });
    expect(await count("device")).toBe(2);
    expect((await events("device.create")).length).toBe(2);
    expect((await events("device.import")).length).toBe(1);
  });

  it("refuses a duplicate while queued or running, and cannot apply twice once finished", async () => {
    const id = await upload(cookies.partnerIcb);
    // Two tabs confirm the same file at the same moment: one job.
    const [a, b] = await Promise.all([commit(cookies.partnerIcb, id), commit(cookies.partnerIcb, id)]);
    const jobId = Number(/^\/jobs\/(\d+)$/.exec(a.location!)![1]);
    // Both are sent to its page; the second is told it was sent twice (a notice on the session, not in the address).
    expect([a.location, b.location]).toEqual([`/jobs/${jobId}`, `/jobs/${jobId}`]);
    expect(await noticeFor(cookies.partnerIcb)).toEqual(already(jobId));
    const shown = await page(cookies.partnerIcb, `/jobs/${jobId}`);
    expect(shown.data.already).toBe(true);
    expect((await page(cookies.partnerIcb, `/jobs/${jobId}`)).data.already).toBe(false);
    expect(await db().selectFrom("job").select("id").where("kind", "=", IMPORT).execute()).toEqual([{ id: jobId }]);
    // The preview page, opened again in a third tab, says so instead of offering the import as new.
    expect((await call(previewPage.loader, get(`/estate/import/${id}`, cookies.partnerIcb), { id })).data.importing).toEqual({
      jobId,
      status: "queued",
    });
    // While it runs, a third confirmation is sent to it too.
    await db()
      .updateTable("job")
      .set({ status: "running", worker: "elsewhere", heartbeat_at: new Date() })
      .where("id", "=", jobId)
      .execute();
    expect((await commit(cookies.partnerIcb, id)).location).toBe(`/jobs/${jobId}`);
    expect(await noticeFor(cookies.partnerIcb)).toEqual(already(jobId));
    await db().updateTable("job").set({ status: "queued", worker: null }).where("id", "=", jobId).execute();

    expect(await runPendingJobs(db())).toEqual([jobId]);
    expect(await count("device")).toBe(2);
    // After it finished (the back button, a late second click): the finished job, nothing imported again.
    const late = await commit(cookies.partnerIcb, id);
    expect(late.location).toBe(`/jobs/${jobId}`);
    expect((await page(cookies.partnerIcb, late.location!)).data).toMatchObject({ job: { status: "done" }, already: true });
    expect(await runPendingJobs(db())).toEqual([]);
    expect(await count("device")).toBe(2);
    expect((await events("device.import")).length).toBe(1);
    expect(await count("import_run")).toBe(1);
  });

  it("fails with the reason, audited, keeping the file so it can be imported again", async () => {
    const id = await upload(cookies.partnerIcb);
    const first = await commit(cookies.partnerIcb, id, 7); // counts that are not the file's
    await runPendingJobs(db());
    const failed = (await page(cookies.partnerIcb, first.location!)).data.job;
    expect(failed).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/^The devices changed since you checked this file: it would now add 2/),
    });
    const fail = await events("import.fail");
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ entity_type: "import_upload", entity_id: id, after: { jobId: failed.id, kind: "devices" } });
    expect(await count("device")).toBe(0);
    // The upload is still there: confirming again with the right counts queues a new job.
    const again = await commit(cookies.partnerIcb, id);
    expect(again.location).not.toBe(first.location);
    await runPendingJobs(db());
    expect((await page(cookies.partnerIcb, again.location!)).data.job.status).toBe("done");
    expect(await count("device")).toBe(2);
  });

  it("runs with the importer's roles as they are when it runs", async () => {
    const id = await upload(cookies.partnerIcb);
    const res = await commit(cookies.partnerIcb, id);
    const partner = (await db().selectFrom("app_user").select("id").where("email", "=", "dp@test.nhs.test").executeTakeFirstOrThrow()).id;
    const memberships = await db().selectFrom("membership").selectAll().where("user_id", "=", partner).execute();
    // The delivery partner loses QMF before the worker gets to the job: its rows are refused.
    await db().deleteFrom("membership").where("user_id", "=", partner).execute();
    try {
      await runPendingJobs(db());
      const job = await findJob(db(), Number(res.location!.split("/").pop()));
      expect(job).toMatchObject({ status: "failed" });
      expect(await count("device")).toBe(0);
    } finally {
      await db()
        .insertInto("membership")
        .values(memberships.map(({ id: _id, ...m }) => m))
        .execute();
    }
  });
});

describe("who sees an import job (URL tampering)", () => {
  beforeEach(async () => {
    await sql`truncate device, audit_event, import_run, import_upload, job restart identity`.execute(db());
  });

  it("shows a device import to the person who started it and admins, and to nobody else", async () => {
    const res = await commit(cookies.partnerIcb, await upload(cookies.partnerIcb));
    const id = res.location!.split("/").pop()!;
    const status = async (cookie: string | undefined) => (await call(jobPage.loader, get(`/jobs/${id}`, cookie), { id })).status;
    const progressStatus = async (cookie: string | undefined) =>
      (await call(jobProgress.loader, get(`/jobs/${id}/progress`, cookie), { id })).status;
    expect(await status(cookies.partnerIcb)).toBe(200);
    expect(await status(cookies.admin)).toBe(200);
    // The practice's own manager, the ICB's lead and the other delivery partner did not start it.
    for (const role of ["practiceManager", "icbLead", "partnerPractice"] as const) {
      expect(await status(cookies[role]), role).toBe(404);
      expect(await progressStatus(cookies[role]), role).toBe(404);
    }
    expect(await status(cookies.nobody)).toBe(403);
    expect(await status(undefined)).toBe(302);
  });

  it("shows a practice manager their own paper import, and hides it once the practice is no longer theirs", async () => {
    const form = new FormData();
    form.append("file", new File(["Month,Sheets printed\n01/2025,100\n"], "paper.csv"));
    const up = await call(
      paperImport.action,
      new Request(`${BASE}/practices/F84003/paper/import`, {
        method: "POST",
        headers: { Cookie: cookies.practiceManager!, Origin: BASE },
        body: form,
      }),
      { ods: "F84003" },
    );
    const uploadId = new URL(`${BASE}${up.location}`).searchParams.get("upload")!;
    // Another practice's page cannot be used to import it.
    const tampered = await call(
      paperImport.action,
      post("/practices/F84013/paper/import", { intent: "commit", upload: uploadId }, { cookie: cookies.practiceManager }),
      { ods: "F84013" },
    );
    expect([403, 404]).toContain(tampered.status);
    const res = await call(
      paperImport.action,
      post("/practices/F84003/paper/import", { intent: "commit", upload: uploadId }, { cookie: cookies.practiceManager }),
      { ods: "F84003" },
    );
    expect(res.location).toMatch(/^\/jobs\/\d+$/);
    const id = res.location!.split("/").pop()!;
    const status = async (cookie: string | undefined) => (await call(jobPage.loader, get(`/jobs/${id}`, cookie), { id })).status;
    await runPendingJobs(db());
    expect((await call(jobPage.loader, get(`/jobs/${id}`, cookies.practiceManager), { id })).data.job).toMatchObject({
      status: "done",
      import: { importKind: "paper_activity", practice: "F84003", result: { counts: { created: 1 } } },
    });
    for (const role of ["partnerIcb", "partnerPractice", "icbLead"] as const) expect(await status(cookies[role]), role).toBe(404);
    // The job names F84003: if it leaves the manager's scope, so does the job.
    await db()
      .updateTable("job")
      .set({ params: sql`jsonb_set(params, '{practice}', '"A81001"')` })
      .where("id", "=", Number(id))
      .execute();
    expect(await status(cookies.practiceManager)).toBe(404);
  });
});
