/**
 * Background work starts with the production server process, not with its first page request:
 * a re-check queued while no server ran (e.g. before a restart) is picked up by a server that
 * has answered nothing but health checks.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { insertJob } from "~/modules/queue/repository.server";
import { RECHECK, scopeKey } from "~/modules/jobs/recheck.server";
import { todayIso } from "~/utils/today";
import { createUser, seedOrgs } from "../support/factories";
import { ensureBuild, serverDatabase, startTestServer, type ServerDatabase, type TestServer } from "../support/server-process";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("runs the server as a child process on a database of its own");

let server: TestServer | undefined;
let database: ServerDatabase;
let jobId: number;
const onPostgres = !!process.env.DATABASE_URL;

beforeAll(async () => {
  await ensureBuild();
  database = await serverDatabase();
  await seedOrgs(database.handle.db);
  const admin = await createUser(database.handle.db, { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
  jobId = (await insertJob(database.handle.db, {
    kind: RECHECK,
    scope: scopeKey({ icb: "QMF" }),
    params: { asOf: todayIso() },
    createdBy: admin,
  }))!;
  expect(jobId).toBeGreaterThan(0);
  if (!onPostgres) await database.close();
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (onPostgres) await database.close();
});

it("runs a job queued before the server started, with no page ever requested", async () => {
  server = await startTestServer({ ...database.env, WEB_CONCURRENCY: "1" });
  // Only /healthz has been asked (a resource route: the root loader never ran).
  let status = "queued";
  for (let i = 0; i < 150 && !["done", "failed"].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 200));
    if (onPostgres) {
      status = (await database.handle.db.selectFrom("job").select("status").where("id", "=", jobId).executeTakeFirstOrThrow()).status;
    } else {
      // PGlite is the server's alone while it runs: stop it, then look.
      if (i < 40) continue;
      await server.stop();
      server = undefined;
      const again = await serverDatabaseReopen();
      status = (await again.selectFrom("job").select("status").where("id", "=", jobId).executeTakeFirstOrThrow()).status;
      await again.destroy();
      break;
    }
  }
  expect(status).toBe("done");
}, 60_000);

async function serverDatabaseReopen() {
  const { createPgliteDb } = await import("#db/connect");
  return createPgliteDb(database.env.DATA_DIR).db;
}
