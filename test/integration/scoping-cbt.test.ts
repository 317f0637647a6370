import { describe, expect, it } from "vitest";
import { IMPORT, startImport } from "~/modules/jobs/import.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as jobPage from "~/routes/jobs.$id";
import * as cbtPage from "~/routes/admin.cbt";
import { getDb } from "~/utils/db.server";
import { BASE, call, get } from "../support/requests";
import { ADMIN_ONLY, defineMatrix, useRoleCookies, type MatrixRow } from "../support/scoping";

// NHS England's cloud telephony data covers every practice in England: admins import it.
const MATRIX: MatrixRow[] = [
  { file: "admin.cbt.tsx", module: cbtPage, path: "/admin/cbt", expect: ADMIN_ONLY },
  { file: "admin.cbt.tsx", module: cbtPage, method: "POST", path: "/admin/cbt", fields: {}, expect: ADMIN_ONLY },
];

const cookies = useRoleCookies();
const FILE = ["Date,PRACTICE_CODE,Indicator,Time_Category,Value", "2026-08-03,F84003,CBT001,08:00-09:59,12"].join("\n");

function uploadRequest(cookie: string | undefined, content: string, name = "cbt.csv") {
  const form = new FormData();
  form.append("file", new File([content], name));
  return new Request(`${BASE}/admin/cbt`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

describe("CBT import page", () => {
  defineMatrix(MATRIX, cookies);

  it("refuses anyone but an admin, writing nothing; imports an admin's upload and shows it", async () => {
    for (const role of ["icbLead", "partnerIcb", "practiceManager"] as const)
      expect((await call(cbtPage.action, uploadRequest(cookies[role], FILE))).status).toBe(403);
    expect(await getDb().selectFrom("cbt_month").selectAll().execute()).toEqual([]);
    // The file is stored and its import queued as a job of kind "import"; the job's page shows what it did.
    const res = await call(cbtPage.action, uploadRequest(cookies.admin, FILE));
    expect(res.status).toBe(302);
    const jobId = /^\/jobs\/(\d+)$/.exec(res.location ?? "")![1];
    expect(await getDb().selectFrom("cbt_month").selectAll().execute()).toEqual([]);
    const queued = await getDb().selectFrom("job").select(["kind", "params"]).where("id", "=", Number(jobId)).executeTakeFirstOrThrow();
    expect(queued.kind).toBe(IMPORT);
    // The same upload again while it is queued is sent to that job.
    const admin = await getDb().selectFrom("app_user").select("id").where("email", "=", "admin@test.nhs.test").executeTakeFirstOrThrow();
    const uploadId = (queued.params as { uploadId: string }).uploadId;
    expect(await startImport(getDb(), admin, { importKind: "cbt", uploadId })).toMatchObject({
      queued: false,
      existing: { jobId: Number(jobId) },
    });
    await runPendingJobs(getDb());
    const job = (await call(jobPage.loader, get(`/jobs/${jobId}`, cookies.admin), { id: jobId })).data.job;
    expect(job).toMatchObject({
      status: "done",
      import: { importKind: "cbt", result: { counts: { created: 1, months: ["2026-08-01"] }, monthLabels: ["August 2026"] } },
    });
    for (const role of ["icbLead", "partnerIcb", "practiceManager"] as const)
      expect((await call(jobPage.loader, get(`/jobs/${jobId}`, cookies[role]), { id: jobId })).status).toBe(404);
    const page = await call(cbtPage.loader, get("/admin/cbt", cookies.admin));
    expect(page.data.latest).toMatchObject({ month: "2026-08-01", practices: 1 });
    expect(page.data.imports.rows.map((r: any) => r.file_name)).toEqual(["cbt.csv"]);
    const bad = await call(cbtPage.action, uploadRequest(cookies.admin, "Asset tag\nPC-1\n", "devices.csv"));
    expect(bad.data).toEqual({ ok: false, fieldErrors: { file: expect.stringContaining("is not a CBT practice-level file") } });
  });
});
