import { describe, expect, it } from "vitest";
import * as dsptPage from "~/routes/admin.dspt";
import * as jobPage from "~/routes/jobs.$id";
import { runPendingJobs } from "~/modules/queue/worker.server";
import { getDb } from "~/utils/db.server";
import { BASE, call, get } from "../support/requests";
import { ADMIN_ONLY, defineMatrix, useRoleCookies, type MatrixRow } from "../support/scoping";

// The DSPT status file covers every organisation in England: only admins see the import page
// or import (a non-multipart POST from an admin is answered on the page, 200, with the error).
const MATRIX: MatrixRow[] = [
  { file: "admin.dspt.tsx", module: dsptPage, path: "/admin/dspt", expect: ADMIN_ONLY },
  { file: "admin.dspt.tsx", module: dsptPage, path: "/admin/dspt?page=2", expect: ADMIN_ONLY },
  { file: "admin.dspt.tsx", module: dsptPage, method: "POST", path: "/admin/dspt", fields: {}, expect: ADMIN_ONLY },
];

const cookies = useRoleCookies();

function uploadRequest(cookie: string | undefined, content: string) {
  const form = new FormData();
  form.append("file", new File([content], "dspt.csv"));
  return new Request(`${BASE}/admin/dspt`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

const FILE = [
  "Code,Organisation Name,Status,Date Of Publication,Primary Sector",
  "F84003,LOWER CLAPTON GENERAL PRACTICE,22/23 Standards Met,02/05/2023,GP",
].join("\n");

describe("DSPT import page scoping", () => {
  defineMatrix(MATRIX, cookies);

  it("refuses an upload from anyone but an admin, writing nothing", async () => {
    for (const role of ["icbLead", "partnerIcb", "partnerPractice", "practiceManager", "nobody"] as const) {
      expect((await call(dsptPage.action, uploadRequest(cookies[role], FILE))).status).toBe(403);
    }
    expect(await getDb().selectFrom("dspt_status").selectAll().execute()).toEqual([]);
  });

  it("imports an admin's upload, audited and listed", async () => {
    // The file is stored and its import queued as a job; the job's page shows what it did.
    const res = await call(dsptPage.action, uploadRequest(cookies.admin, FILE));
    expect(res.status).toBe(302);
    const jobId = /^\/jobs\/(\d+)$/.exec(res.location ?? "")![1];
    await runPendingJobs(getDb());
    const job = (await call(jobPage.loader, get(`/jobs/${jobId}`, cookies.admin), { id: jobId })).data.job;
    expect(job).toMatchObject({ status: "done", import: { importKind: "dspt", result: { counts: { created: 1, practices: 1 } } } });
    // Its page is the admin's: nobody else may see it.
    for (const role of ["icbLead", "partnerIcb", "partnerPractice", "practiceManager"] as const) {
      expect((await call(jobPage.loader, get(`/jobs/${jobId}`, cookies[role]), { id: jobId })).status).toBe(404);
    }
    const audit = await getDb().selectFrom("audit_event").select(["action", "user_id"]).where("action", "=", "dspt.import").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].user_id).not.toBeNull();
    const page = await call(dsptPage.loader, get("/admin/dspt", cookies.admin));
    expect(page.data.imports.rows.map((r: any) => [r.file_name, r.counts.created])).toEqual([["dspt.csv", 1]]);
    const bad = await call(dsptPage.action, uploadRequest(cookies.admin, "Code,Name\nF84003,X\n"));
    expect(bad.data).toEqual({ ok: false, fieldErrors: { file: expect.stringContaining("no Status, Date Of Publication column") } });
  });
});
