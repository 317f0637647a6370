import { describe, expect, it } from "vitest";
import { IMPORT, startImport } from "~/modules/jobs/import.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as cePage from "~/routes/cyber-essentials";
import * as jobPage from "~/routes/jobs.$id";
import * as securityPage from "~/routes/practices.$ods.security";
import { getDb } from "~/utils/db.server";
import { BASE, call, get } from "../support/requests";
import { OTHER_ICB, READ_F84003, defineMatrix, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

// Certificates are evidence the ICB verifies: ICB leads (their ICBs) and admins import them.
// A non-multipart POST from them is answered on the page (200) with the error.
const VERIFIERS: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 403,
  practiceManager: 403,
};
const MATRIX: MatrixRow[] = [
  { file: "cyber-essentials.tsx", module: cePage, path: "/cyber-essentials", expect: VERIFIERS },
  { file: "cyber-essentials.tsx", module: cePage, method: "POST", path: "/cyber-essentials", fields: {}, expect: VERIFIERS },
  {
    file: "practices.$ods.security.tsx",
    module: securityPage,
    path: "/practices/F84003/security",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "practices.$ods.security.tsx",
    module: securityPage,
    path: "/practices/A81001/security",
    params: { ods: "A81001" },
    expect: OTHER_ICB,
  },
];

const cookies = useRoleCookies();

function uploadRequest(cookie: string | undefined, content: string) {
  const form = new FormData();
  form.append("file", new File([content], "ce.csv"));
  return new Request(`${BASE}/cyber-essentials`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

const HEAD = "ODS code,Level,Certificate number,Issue date";
const FILE = [HEAD, "F84003,CE+,IASME-CEP-100,01/09/2026", "A81001,CE+,IASME-CEP-101,01/09/2026"].join("\n");

describe("Cyber Essentials import scoping", () => {
  defineMatrix(MATRIX, cookies);

  it("refuses an upload from delivery partners and practice managers, writing nothing", async () => {
    for (const role of ["partnerIcb", "partnerPractice", "practiceManager", "nobody"] as const) {
      expect((await call(cePage.action, uploadRequest(cookies[role], FILE))).status).toBe(403);
    }
    expect(await getDb().selectFrom("cyber_essentials_certificate").selectAll().execute()).toEqual([]);
  });

  it("an ICB lead imports only their own ICB's practices: another ICB's row is refused by row", async () => {
    // The file is stored and its import queued as a job of kind "import"; the job's page shows what it did.
    const res = await call(cePage.action, uploadRequest(cookies.icbLead, FILE));
    expect(res.status).toBe(302);
    const jobId = /^\/jobs\/(\d+)$/.exec(res.location ?? "")![1];
    expect(await getDb().selectFrom("cyber_essentials_certificate").selectAll().execute()).toEqual([]);
    const queued = await getDb()
      .selectFrom("job")
      .select(["kind", "scope", "params"])
      .where("id", "=", Number(jobId))
      .executeTakeFirstOrThrow();
    expect(queued.kind).toBe(IMPORT);
    // The same upload again while it is queued (a double click, a second tab) is sent to that job.
    const uploadId = (queued.params as { uploadId: string }).uploadId;
    const lead = await getDb().selectFrom("app_user").select("id").where("email", "=", "lead@test.nhs.test").executeTakeFirstOrThrow();
    expect(await startImport(getDb(), lead, { importKind: "cyber_essentials", uploadId })).toMatchObject({
      queued: false,
      existing: { jobId: Number(jobId) },
    });
    await runPendingJobs(getDb());
    const job = (await call(jobPage.loader, get(`/jobs/${jobId}`, cookies.icbLead), { id: jobId })).data.job;
    expect(job).toMatchObject({
      status: "done",
      import: {
        importKind: "cyber_essentials",
        fileName: "ce.csv",
        result: {
          counts: { created: 1, rejected: 1, practices: 1 },
          issues: [{ row: 3, column: "ODS code", message: "A81001 is not a practice you can update" }],
        },
      },
    });
    // Its page is the importer's (and admins'): nobody else may see it.
    for (const role of ["partnerIcb", "partnerPractice", "practiceManager"] as const) {
      expect((await call(jobPage.loader, get(`/jobs/${jobId}`, cookies[role]), { id: jobId })).status).toBe(404);
    }
    // Once imported, the upload is gone: asking again is sent to the finished job, and nothing is imported twice.
    expect(await startImport(getDb(), lead, { importKind: "cyber_essentials", uploadId })).toMatchObject({
      queued: false,
      existing: { jobId: Number(jobId), status: "done" },
    });
    await runPendingJobs(getDb());
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "user_id"])
      .where("action", "=", "cyber_essentials.import")
      .execute();
    expect(audit).toEqual([{ action: "cyber_essentials.import", user_id: lead.id }]);
    const stored = await getDb().selectFrom("cyber_essentials_certificate").select("practice_code").execute();
    expect(stored).toEqual([{ practice_code: "F84003" }]);
    // Their run is listed for them; the admin sees every run.
    const mine = await call(cePage.loader, get("/cyber-essentials", cookies.icbLead));
    expect(mine.data.imports.rows.map((r: any) => [r.file_name, r.counts.created])).toEqual([["ce.csv", 1]]);
    // The certificate shows on the practice's page to those who can read the practice, not beyond.
    const page = await call(securityPage.loader, get("/practices/F84003/security", cookies.practiceManager), { ods: "F84003" });
    expect(page.data.certificates.map((c: any) => c.certificate_number)).toEqual(["IASME-CEP-100"]);
    const bad = await call(cePage.action, uploadRequest(cookies.admin, "Code,Name\nF84003,X\n"));
    expect(bad.data).toEqual({
      ok: false,
      fieldErrors: { file: expect.stringContaining("no Level, Certificate number, Issue date column") },
    });
  });
});
