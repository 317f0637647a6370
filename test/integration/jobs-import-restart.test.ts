/**
 * An import job killed part-way through its transaction (the process dies: a crash, `kill -9`,
 * a deploy) leaves nothing half-written, and the job is picked up again and finishes once.
 * The worker runs in a child process (test/support/import-job-child.ts) against its own database
 * (PostgreSQL beside the test database, or a PGlite folder); the test kills it with SIGKILL once
 * the import's transaction has written its first 1,000 devices.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { createPgliteDb, type Db } from "#db/connect";
import { startUpload } from "~/modules/devices/import/service.server";
import { startImport } from "~/modules/jobs/import.server";
import { findJob } from "~/modules/queue/repository.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import { createUser, seedOrgs } from "../support/factories";
import { serverDatabase, type ServerDatabase } from "../support/server-process";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("a child process runs the import job on its own connection");

const ROWS = 3000;
const onPostgres = !!process.env.DATABASE_URL;
let database: ServerDatabase | undefined;
let reopened: Db | undefined;

afterAll(async () => {
  await reopened?.destroy();
  if (onPostgres) await database?.close();
});

const count = async (db: Db, table: "device" | "import_run" | "import_upload") =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
const events = async (db: Db, action: string) =>
  Number(
    (
      await db
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("action", "=", action)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Runs the child worker until it says WRITING, then (after `beforeKill`) kills it. */
function runChildUntilWriting(env: Record<string, string>, beforeKill: () => Promise<void>) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../support/import-job-child.ts")], {
      env: { ...process.env, ...env, JOB_WORKER: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the child never reached its first chunk: ${out} ${err}`));
    }, 90_000);
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("WRITING") && !out.includes("KILLING")) {
        out += "KILLING";
        beforeKill().then(
          () => child.kill("SIGKILL"),
          (e) => {
            child.kill("SIGKILL");
            reject(e);
          },
        );
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL" && out.includes("WRITING")) resolve();
      else reject(new Error(`the child exited (${code ?? signal}) without being killed mid-import: ${out} ${err}`));
    });
  });
}

it("leaves nothing half-written when the process running an import is killed, then imports the file once", async () => {
  database = await serverDatabase();
  let db = database.handle.db;
  await seedOrgs(db);
  const userId = await createUser(db, { email: "partner@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
  const csv = `Practice,Asset tag,Type\n${Array.from({ length: ROWS }, (_, i) => `F84003,K-${i},laptop`).join("\n")}\n`;
  const uploadId = await startUpload(db, { userId, fileName: "kill.csv", content: new TextEncoder().encode(csv), practiceCode: null });
  const started = await startImport(
    db,
    { id: userId },
    { importKind: "devices", uploadId, expected: { create: ROWS, update: 0, rejected: 0 } },
  );
  expect(started.queued).toBe(true);
  const jobId = started.queued ? started.jobId : -1;
  if (!onPostgres) await database.close(); // PGlite: one process at a time

  await runChildUntilWriting(database.env, async () => {
    if (!onPostgres) return; // PGlite is the child's alone while it runs
    // While the import's transaction is open in the other process, its progress is already
    // visible (written on another connection), and none of its rows are.
    let job = await findJob(db, jobId);
    for (let i = 0; i < 100 && job?.phase !== "writing"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await findJob(db, jobId);
    }
    expect(job).toMatchObject({ status: "running", phase: "writing", total: ROWS });
    expect(await count(db, "device")).toBe(0);
  });

  if (!onPostgres) db = reopened = createPgliteDb(database.env.DATA_DIR).db;
  else {
    // PostgreSQL ends the dead client's transaction when its connection drops; wait for that.
    const open = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`.execute(
          db,
        )
      ).rows[0].n;
    for (let i = 0; i < 100 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await open()).toBe(0);
  }
  // Nothing of the first chunk is there: no devices, no audit events, no import run; the upload is still stored.
  expect(await count(db, "device")).toBe(0);
  expect(await events(db, "device.create")).toBe(0);
  expect(await events(db, "device.import")).toBe(0);
  expect(await count(db, "import_run")).toBe(0);
  expect(await count(db, "import_upload")).toBe(1);
  // The job is still marked running by a worker that no longer exists.
  expect(await findJob(db, jobId)).toMatchObject({ status: "running", worker: "child-to-be-killed", attempts: 1 });

  // A worker starting up (on PGlite: any job still running at start is stale; on PostgreSQL its
  // heartbeat has stopped) queues it again and runs it to the end, once.
  expect(await runPendingJobs(db, { staleSeconds: 0 })).toEqual([jobId]);
  const job = await findJob(db, jobId);
  expect(job).toMatchObject({ status: "done", attempts: 2 });
  expect(job!.error).toMatch(/stopped before it finished; it was queued again/);
  expect(await count(db, "device")).toBe(ROWS);
  expect(await events(db, "device.create")).toBe(ROWS);
  expect(await events(db, "device.import")).toBe(1);
  expect(await db.selectFrom("import_run").select("job_id").execute()).toEqual([{ job_id: jobId }]);
  expect(await count(db, "import_upload")).toBe(0);

  // Run again as if its process had died after committing but before marking the job done: the
  // import run it wrote is found and nothing is imported twice.
  await db
    .updateTable("job")
    .set({ status: "running", worker: "dead-host:1", attempts: 1, heartbeat_at: new Date(Date.now() - 600_000) })
    .where("id", "=", jobId)
    .execute();
  expect(await runPendingJobs(db, { staleSeconds: 0 })).toEqual([jobId]);
  expect(await findJob(db, jobId)).toMatchObject({ status: "done", result: { importKind: "devices", counts: { created: ROWS } } });
  expect(await count(db, "device")).toBe(ROWS);
  expect(await events(db, "device.create")).toBe(ROWS);
  expect(await events(db, "device.import")).toBe(1);
}, 180_000);
