import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { importDeviceFile } from "~/modules/devices/import/commit.server";
import { updateDevices } from "~/modules/devices/import/repository.server";
import { parseUpload } from "~/modules/devices/import/parse.server";
import * as practiceExport from "~/routes/practices.$ods.devices.export";
import * as estateExport from "~/routes/estate.devices.export";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import * as runPage from "~/routes/estate.import.runs.$runId";
import * as jobPage from "~/routes/jobs.$id";
import { commitUpload } from "~/modules/devices/import/commit.server";
import { IMPORT, importJobHandler } from "~/modules/jobs/import.server";
import { registerJobHandler, runPendingJobs } from "~/modules/queue/worker.server";
import { getDb } from "~/utils/db.server";
import { parseArgs, runCli } from "../../scripts/estate-import";
import { BASE, call, get, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";

const cookies = useRoleCookies(async () => {
  await getDb()
    .insertInto("site")
    .values([
      {
        code: "F84003",
        practice_code: "F84003",
        kind: "main",
        name: "Lower Clapton Group Practice",
        address: null,
        postcode: null,
        phone: null,
        open_date: null,
        close_date: null,
      },
      {
        code: "FE123",
        practice_code: "F84003",
        kind: "branch",
        name: "Branch Surgery",
        address: null,
        postcode: null,
        phone: null,
        open_date: null,
        close_date: null,
      },
    ])
    .execute();
});

const db = () => getDb();

function uploadRequest(cookie: string | undefined, name: string, content: string | Uint8Array, query = "") {
  const form = new FormData();
  form.append("file", new File([content as BlobPart], name));
  return new Request(`${BASE}/estate/import${query}`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

/** Uploads through the page's action and returns the upload id from the redirect. */
async function upload(cookie: string | undefined, name: string, content: string | Uint8Array, query = "") {
  const res = await call(uploadPage.action, uploadRequest(cookie, name, content, query));
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  return res.location!.split("/").pop()!;
}

async function preview(cookie: string | undefined, id: string, page = 1) {
  const res = await call(previewPage.loader, get(`/estate/import/${id}${page > 1 ? `?page=${page}` : ""}`, cookie), { id });
  expect(res.status).toBe(200);
  return res.data;
}

/** The job page's data for the job a commit was sent to, once the worker has run what is queued. */
async function jobAfter(cookie: string | undefined, location: string | null | undefined) {
  const jobId = /^\/jobs\/(\d+)/.exec(location ?? "")?.[1];
  expect(jobId, `a job page, not ${location}`).toBeDefined();
  await runPendingJobs(db());
  const res = await call(jobPage.loader, get(`/jobs/${jobId}`, cookie), { id: jobId! });
  expect(res.status).toBe(200);
  return res.data as { job: any; deviceRun: any };
}

/** Confirms the import as previewed: the page queues a job and moves to its page; the worker then runs it. */
async function confirm(cookie: string | undefined, id: string, counts?: { create: number; update: number; rejected: number }) {
  const p = counts ?? (await preview(cookie, id)).preview.counts;
  const res = await call(
    previewPage.action,
    post(
      `/estate/import/${id}`,
      { intent: "commit", expected_create: String(p.create), expected_update: String(p.update), expected_rejected: String(p.rejected) },
      { cookie },
    ),
    { id },
  );
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  return { ...res, ...(await jobAfter(cookie, res.location)) };
}

const deviceCount = async (practice?: string) => {
  let q = db()
    .selectFrom("device")
    .select((eb) => eb.fn.countAll<number>().as("n"));
  if (practice) q = q.where("practice_code", "=", practice);
  return (await q.executeTakeFirstOrThrow()).n;
};
const auditCount = async (action: string) =>
  (
    await db()
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", action)
      .executeTakeFirstOrThrow()
  ).n;

const MESSY =
  "\uFEFFPractice Code;Asset No;Serial;Device Type;Manufacturer;Model;Operating System;Purchase Date;Warranty Expiry;Encrypted;Site;Notes\r\n" +
  'F84003;PC-001;SN001;Desktop;Dell;OptiPlex 7090;Microsoft Windows 10 Pro 10.0.19045;31/03/2022;31/03/2027;Y;FE123;"Reception, desk 2"\r\n' +
  "\r\n" +
  'F84003;PC-002;SN002;Laptop;Lenovo;ThinkPad T14;Microsoft Windows 11 Enterprise 10.0.22631;01/09/2023;01/09/2026;TRUE;;"Dr Smith\r\nhome visits"\r\n' +
  "F84003;PC-003;SN003;Gizmo;HP;;;;;maybe;;\r\n" +
  "F84003;pc-001;SN009;Desktop;Dell;;;;;N;;\r\n";

describe("importing devices through the pages", () => {
  beforeEach(async () => {
    await sql`truncate device, audit_event, import_run, import_upload, import_mapping, job restart identity`.execute(db());
  });

  it("previews a messy file: creates, rejected rows with their row and column, and warnings", async () => {
    const id = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    const data = await preview(cookies.partnerIcb, id);
    expect(data.columns.map((c: any) => c.target)).toEqual([
      "practice_ods_code",
      "asset_tag",
      "serial_number",
      "device_type",
      "make",
      "model",
      "os_name",
      "purchase_date",
      "warranty_end",
      "encrypted",
      "site_code",
      "notes",
    ]);
    expect(data.preview.counts).toEqual({ create: 2, update: 0, unchanged: 0, rejected: 2 });
    expect(data.preview.issues.rows).toEqual([
      { row: 5, column: "Device Type", message: expect.stringMatching(/^Type "Gizmo" is not recognised/) },
      { row: 5, column: "Encrypted", message: "Encrypted must be yes, no or blank" },
      { row: 6, column: "Asset No", message: "Asset tag pc-001 appears more than once in this file (rows 2 and 6)" },
    ]);
    expect(data.preview.warnings).toContainEqual({ row: 4, column: "Warranty Expiry", message: "Warranty ended on 1 September 2026" });
    expect(data.preview.samples.create.map((r: any) => r.asset_tag)).toEqual(["PC-001", "PC-002"]);
    expect(await deviceCount()).toBe(0); // a preview writes nothing
  });

  it("commits the valid rows in one go with audit events and an import run, then a re-import changes nothing", async () => {
    const id = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    const res = await confirm(cookies.partnerIcb, id);
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/jobs\/\d+$/);
    expect(res.job).toMatchObject({
      kind: "import",
      status: "done",
      error: null,
      import: { importKind: "devices", fileName: "messy.csv", result: { counts: { created: 2, rejected: 2 } } },
    });

    const devices = await db().selectFrom("device").selectAll().orderBy("asset_tag").execute();
    expect(
      devices.map((d) => [
        d.asset_tag,
        d.device_type,
        d.os_family,
        d.os_version,
        d.os_build,
        d.purchase_date,
        d.encrypted,
        d.site_code,
        d.notes,
      ]),
    ).toEqual([
      ["PC-001", "desktop", "Windows 10", "22H2", "19045", "2022-03-31", true, "FE123", "Reception, desk 2"],
      ["PC-002", "laptop", "Windows 11", "23H2", "22631", "2023-09-01", true, null, "Dr Smith\r\nhome visits"],
    ]);
    expect(await auditCount("device.create")).toBe(2);
    // Each create event names its own device, with the user who imported it and the values written (no empty fields).
    const creates = await db().selectFrom("audit_event").selectAll().where("action", "=", "device.create").orderBy("entity_id").execute();
    const importer = (await db().selectFrom("import_run").select("user_id").executeTakeFirstOrThrow()).user_id;
    expect(importer).not.toBeNull();
    for (const ev of creates) {
      const device = devices.find((d) => String(d.id) === ev.entity_id)!;
      expect(device, `audit event for device ${ev.entity_id}`).toBeDefined();
      expect(ev.entity_type).toBe("device");
      expect(ev.user_id).toBe(importer);
      expect(ev.after).toMatchObject({
        practice_code: "F84003",
        asset_tag: device.asset_tag,
        device_type: device.device_type,
        os_family: device.os_family,
      });
      expect(Object.values(ev.after as object)).not.toContain(null);
    }
    expect(creates.find((e) => (e.after as { asset_tag: string }).asset_tag === "PC-002")?.after).not.toHaveProperty("site_code");
    const summary = await db().selectFrom("audit_event").selectAll().where("action", "=", "device.import").executeTakeFirstOrThrow();
    expect(summary.entity_type).toBe("import_run");
    expect(summary.after).toMatchObject({ file_name: "messy.csv", rowsRead: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    const run = await db().selectFrom("import_run").selectAll().executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: "devices", file_name: "messy.csv" });
    expect(String(run.id)).toBe(summary.entity_id);
    // The stored upload is gone once imported, so it cannot be imported twice.
    expect(await db().selectFrom("import_upload").selectAll().execute()).toEqual([]);

    // The job's page shows the run's summary, as the run's own page does.
    expect(res.deviceRun.counts).toEqual({ rowsRead: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(res.job.import.result.runId).toBe(run.id);
    const runRes = await call(runPage.loader, get(`/estate/import/runs/${run.id}`, cookies.partnerIcb), { runId: String(run.id) });
    expect(runRes.data.counts).toEqual({ rowsRead: 4, created: 2, updated: 0, unchanged: 0, rejected: 2 });
    expect(runRes.data.issues).toHaveLength(3);
    expect(runRes.data).toMatchObject({ practices: ["F84003"], practiceCount: 1, fileName: "messy.csv" });
    // Another delivery partner cannot open someone else's import.
    expect(
      (await call(runPage.loader, get(`/estate/import/runs/${run.id}`, cookies.partnerPractice), { runId: String(run.id) })).status,
    ).toBe(404);
    // Nor the job that ran it.
    expect((await call(jobPage.loader, get(res.location!, cookies.partnerPractice), { id: String(res.job.id) })).status).toBe(404);

    const again = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    expect((await preview(cookies.partnerIcb, again)).preview.counts).toEqual({ create: 0, update: 0, unchanged: 2, rejected: 2 });
  });

  it("updates matched devices, bumps their version and records before and after", async () => {
    await confirm(cookies.partnerIcb, await upload(cookies.partnerIcb, "first.csv", MESSY));
    const changed =
      "Practice Code,Serial,Device Type,Warranty Expiry,Encrypted\nF84003,sn001,Desktop,31/03/2028,no\nF84003,SN002,laptop,01/09/2026,yes\n";
    const id = await upload(cookies.partnerIcb, "changes.csv", changed);
    expect((await preview(cookies.partnerIcb, id)).preview.counts).toEqual({ create: 0, update: 1, unchanged: 1, rejected: 0 });
    expect((await confirm(cookies.partnerIcb, id)).status).toBe(302);
    const d = await db().selectFrom("device").selectAll().where("asset_tag", "=", "PC-001").executeTakeFirstOrThrow();
    expect(d).toMatchObject({
      version: 2,
      warranty_end: "2028-03-31",
      encrypted: false,
      serial_number: "sn001",
      make: "Dell",
      site_code: "FE123",
    });
    const ev = await db().selectFrom("audit_event").selectAll().where("action", "=", "device.update").execute();
    expect(ev).toHaveLength(1);
    expect(ev[0].entity_id).toBe(String(d.id));
    expect(ev[0].before).toMatchObject({ warranty_end: "2027-03-31", encrypted: true, serial_number: "SN001" });
    expect(ev[0].after).toMatchObject({ warranty_end: "2028-03-31", encrypted: false, serial_number: "sn001" });
  });

  it("reads an XLSX workbook, defaults rows to the practice the import started from, and refuses other practices", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Kit");
    ws.addRow(["Asset Tag", "Type", "Purchase Date", "Practice"]);
    ws.addRow(["X-1", "Laptop", new Date(Date.UTC(2024, 0, 15)), ""]);
    ws.addRow(["X-2", "Monitor", "15/01/2024", "F84013"]);
    const id = await upload(cookies.partnerIcb, "kit.xlsx", new Uint8Array(await wb.xlsx.writeBuffer()), "?practice=F84003");
    const data = await preview(cookies.partnerIcb, id);
    expect(data.practice.ods_code).toBe("F84003");
    expect(data.preview.counts).toMatchObject({ create: 1, rejected: 1 });
    expect(data.preview.issues.rows).toEqual([
      { row: 3, column: "Practice", message: "This row is for practice F84013, but you are importing into practice F84003" },
    ]);
    await confirm(cookies.partnerIcb, id);
    expect(await db().selectFrom("device").select(["asset_tag", "practice_code", "purchase_date"]).execute()).toEqual([
      { asset_tag: "X-1", practice_code: "F84003", purchase_date: "2024-01-15" },
    ]);
  });

  it("rejects, row by row, practices outside the importer's scope", async () => {
    const csv = "Practice,Asset Tag,Type\nF84003,A-1,desktop\nF84013,B-1,desktop\nA81001,C-1,desktop\n";
    const id = await upload(cookies.partnerPractice, "mixed.csv", csv);
    const data = await preview(cookies.partnerPractice, id);
    expect(data.preview.issues.rows).toEqual([
      { row: 2, column: "Practice", message: "You cannot change devices for practice F84003" },
      { row: 4, column: "Practice", message: "You cannot change devices for practice A81001" },
    ]);
    await confirm(cookies.partnerPractice, id);
    expect(await db().selectFrom("device").select(["practice_code", "asset_tag"]).execute()).toEqual([
      { practice_code: "F84013", asset_tag: "B-1" },
    ]);
  });

  it("refuses an import from a practice page the user cannot change", async () => {
    expect((await call(uploadPage.loader, get("/estate/import?practice=F84003", cookies.partnerPractice))).status).toBe(404);
    expect(
      (await call(uploadPage.action, uploadRequest(cookies.partnerPractice, "x.csv", "Asset tag\nA\n", "?practice=F84003"))).status,
    ).toBe(404);
    expect((await call(uploadPage.loader, get("/estate/import?practice=F84003", cookies.icbLead))).status).toBe(403);
    expect((await call(uploadPage.loader, get("/estate/import?practice=F84013", cookies.partnerPractice))).status).toBe(200);
  });

  it("shows a clear message for an unreadable or empty upload, and keeps nothing", async () => {
    const bad = await call(uploadPage.action, uploadRequest(cookies.partnerIcb, "bad.csv", 'Asset tag,Notes\nA,"open\n'));
    expect(bad.data.fieldErrors.file).toMatch(/quoted value is never closed/);
    const none = await call(uploadPage.action, post("/estate/import", {}, { cookie: cookies.partnerIcb }));
    expect(none.data.fieldErrors.file).toBe("Select a CSV or Excel (.xlsx) file");
    const headerOnly = await call(uploadPage.action, uploadRequest(cookies.partnerIcb, "empty.csv", "Asset tag,Type\n"));
    expect(headerOnly.data.fieldErrors.file).toBe("The file has a header row but no rows of devices.");
    expect(await db().selectFrom("import_upload").selectAll().execute()).toEqual([]);
  });

  it("remembers the uploader's column choices for the next file with the same headers", async () => {
    const csv = "Kit ref,Kind,Practice\nK-1,laptop,F84003\n";
    const id = await upload(cookies.partnerIcb, "kit.csv", csv);
    expect((await preview(cookies.partnerIcb, id)).columns.map((c: any) => c.target)).toEqual([null, null, "practice_ods_code"]);
    expect((await preview(cookies.partnerIcb, id)).preview).toBeNull(); // no identifier column yet
    const saved = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "mapping", "target-0": "asset_tag", "target-1": "device_type", "target-2": "practice_ods_code" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    expect(saved.status).toBe(302);
    expect((await preview(cookies.partnerIcb, id)).preview.counts.create).toBe(1);
    const next = await upload(cookies.partnerIcb, "kit2.csv", "KIT REF,Kind,Practice\nK-2,desktop,F84003\n");
    expect((await preview(cookies.partnerIcb, next)).columns.map((c: any) => c.target)).toEqual([
      "asset_tag",
      "device_type",
      "practice_ods_code",
    ]);
    // Someone else's uploads do not start from this user's choices.
    const other = await upload(cookies.admin, "kit.csv", csv);
    expect((await preview(cookies.admin, other)).columns.map((c: any) => c.target)).toEqual([null, null, "practice_ods_code"]);
    // A field chosen twice is refused with a message, not saved.
    const twice = await call(
      previewPage.action,
      post(`/estate/import/${id}`, { intent: "mapping", "target-0": "asset_tag", "target-1": "asset_tag" }, { cookie: cookies.partnerIcb }),
      { id },
    );
    expect(twice.data.formError).toMatch(/chosen for both "Kit ref" and "Kind"/);
  });

  it("keeps uploads private to the uploader", async () => {
    const id = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    expect((await call(previewPage.loader, get(`/estate/import/${id}`, cookies.admin), { id })).status).toBe(404);
    expect(
      (await call(previewPage.action, post(`/estate/import/${id}`, { intent: "commit" }, { cookie: cookies.partnerPractice }), { id }))
        .status,
    ).toBe(404);
    expect(
      (await call(previewPage.action, post(`/estate/import/${id}`, { intent: "commit" }, { cookie: cookies.admin }), { id })).status,
    ).toBe(404);
    expect(await db().selectFrom("job").select("id").where("kind", "=", IMPORT).execute()).toEqual([]);
    expect(await deviceCount()).toBe(0);
  });

  it("refuses to commit when the counts differ from the preview the user confirmed", async () => {
    const id = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    const res = await confirm(cookies.partnerIcb, id, { create: 5, update: 0, rejected: 2 });
    expect(res.job.status).toBe("failed");
    expect(res.job.error).toMatch(
      /^The devices changed since you checked this file: it would now add 2, change 0 and skip 2 rows. Nothing was imported/,
    );
    expect(await deviceCount()).toBe(0);
  });

  it("checks the file again at import when the register changed after the preview, even though the preview was kept", async () => {
    const commitWith = async (id: string, counts: { create: number; update: number; rejected: number }) => {
      const { job } = await confirm(cookies.partnerIcb, id, counts);
      expect(job.status).toBe("failed");
      return { data: { formError: job.error as string } };
    };
    // Someone adds PC-001 between the preview and the import: the kept check no longer holds.
    const first = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    const seen = (await preview(cookies.partnerIcb, first)).preview.counts;
    expect(seen).toMatchObject({ create: 2, rejected: 2 });
    await db()
      .insertInto("device")
      .values({ practice_code: "F84003", asset_tag: "PC-001", device_type: "desktop", status: "in_use" } as never)
      .execute();
    const res = await commitWith(first, seen);
    expect(res.data.formError).toMatch(/^The devices changed since you checked this file: it would now add 1, change 1 and skip 2 rows/);
    expect(await deviceCount()).toBe(1);

    // A site the file names closes between the preview and the import: that row is now refused.
    await sql`truncate device restart identity`.execute(db());
    const second = await upload(cookies.partnerIcb, "messy.csv", MESSY);
    const again = (await preview(cookies.partnerIcb, second)).preview.counts;
    await db().deleteFrom("site").where("code", "=", "FE123").execute();
    try {
      const res2 = await commitWith(second, again);
      expect(res2.data.formError).toMatch(/it would now add 1, change 0 and skip 3 rows/);
      expect(await deviceCount()).toBe(0);
    } finally {
      await db()
        .insertInto("site")
        .values({
          code: "FE123",
          practice_code: "F84003",
          kind: "branch",
          name: "Branch Surgery",
          address: null,
          postcode: null,
          phone: null,
          open_date: null,
          close_date: null,
        })
        .execute();
    }
  });

  it("reports progress from the import job and finishes with the run id", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => `F84003,S-${i},laptop`).join("\n");
    const id = await upload(cookies.partnerIcb, "many.csv", `Practice,Asset tag,Type\n${rows}\n`);
    // Every progress report the import makes, as the worker receives it (it stores them at most once a second).
    const lines: any[] = [];
    registerJobHandler(IMPORT, {
      ...importJobHandler,
      run: (d, job, progress) =>
        importJobHandler.run(d, job, async (p) => {
          lines.push({ type: "progress", ...p });
          await progress(p);
        }),
    });
    try {
      const res = await confirm(cookies.partnerIcb, id, { create: 2500, update: 0, rejected: 0 });
      // Checking first (its length is not known until the file is checked again), then writing in chunks of the rows to write.
      expect(lines[0]).toMatchObject({ type: "progress", phase: "checking", done: 0 });
      expect(lines.filter((l) => l.phase === "writing").map((l) => [l.done, l.total])).toEqual([
        [0, 2500],
        [1000, 2500],
        [2000, 2500],
        [2500, 2500],
      ]);
      // Then compliance is checked again for the one practice the file touched, before the run is done.
      expect(lines.filter((l) => l.phase === "rechecking").map((l) => [l.done, l.total])).toEqual([
        [0, 1],
        [1, 1],
      ]);
      expect(lines.findIndex((l) => l.phase === "rechecking")).toBeGreaterThan(lines.findLastIndex((l) => l.phase === "writing"));
      expect(res.job).toMatchObject({
        status: "done",
        phase: "rechecking",
        done: 1,
        total: 1,
        import: { result: { runId: expect.any(Number), counts: { created: 2500 } } },
      });
      expect(await deviceCount("F84003")).toBe(2500);
      expect(await auditCount("device.create")).toBe(2500);
    } finally {
      registerJobHandler(IMPORT, importJobHandler);
    }
  });

  it("writes nothing when the database refuses a row part-way through", async () => {
    await sql`alter table device add constraint test_no_boom check (coalesce(notes, '') <> 'BOOM')`.execute(db());
    try {
      const lines = Array.from({ length: 2500 }, (_, i) => `F84003,T-${i},desktop,${i === 2300 ? "BOOM" : ""}`);
      const csv = `Practice,Asset tag,Type,Notes\n${lines.join("\n")}\n`;
      const id = await upload(cookies.partnerIcb, "boom.csv", csv);
      expect((await preview(cookies.partnerIcb, id)).preview.counts.create).toBe(2500);
      const { job } = await confirm(cookies.partnerIcb, id);
      // The job says so in plain words (the database's message goes to the log)…
      expect(job).toMatchObject({ status: "failed", error: expect.stringMatching(/^Sorry, the import failed and nothing was saved/) });
      // …and the commit it ran fails on the database's refusal.
      const partner = (await db().selectFrom("job").select("created_by").where("id", "=", job.id).executeTakeFirstOrThrow()).created_by!;
      const memberships = await db()
        .selectFrom("membership")
        .select(["role", "icb_code", "practice_code"])
        .where("user_id", "=", partner)
        .execute();
      await expect(
        commitUpload(db(), { id, user: { id: partner, memberships }, expected: { create: 2500, update: 0, rejected: 0 } }),
      ).rejects.toThrow(/test_no_boom/);
      expect(await deviceCount()).toBe(0);
      expect(await auditCount("device.create")).toBe(0);
      expect(await auditCount("device.import")).toBe(0);
      expect(await db().selectFrom("import_run").selectAll().execute()).toEqual([]);
      // The upload is still there to fix and retry.
      expect(await db().selectFrom("import_upload").select("id").execute()).toEqual([{ id }]);
    } finally {
      await sql`alter table device drop constraint test_no_boom`.execute(db());
    }
  });
});

describe("exporting devices and importing the export again", () => {
  beforeAll(async () => {
    await sql`truncate device, audit_event, import_run, import_upload restart identity`.execute(db());
    const csv =
      "Practice,Asset tag,Serial,Type,Make,Model,Site,Status,OS,Purchase date,Warranty end,Funded by,Managed,Encrypted,Antivirus,Last patched,TPM,CPU,CPU generation,RAM,ESU,Disposal date,Notes\n" +
      'F84003,A-1,S-1,desktop,Dell,"OptiPlex, 7090",FE123,in use,Microsoft Windows 10 Pro 10.0.19045,31/03/2021,31/03/2026,ICB,yes,yes,no,01/11/2026,2.0,Intel Core i5-10500,10,16,1,,"=SUM(A1) is text, not a formula"\n' +
      "F84003,,S-2,laptop,Lenovo,T14,,spare,Windows 11 Enterprise 23H2,,,practice,,,,,none,,,8,,,-5 degrees\n" +
      "F84003,A-3,,monitor,,,,disposed,,,,,,,,,,,,,,01/02/2025,\n" +
      "F84013,B-1,SB-1,printer,HP,,,in use,,,,,,,,,,,,,,,+44 20 7946 0000\n" +
      "A81001,C-1,,desktop,,,,in use,,,,,,,,,,,,,,,\n";
    const r = await importDeviceFile(db(), {
      content: new TextEncoder().encode(csv),
      fileName: "seed.csv",
      userId: null,
      scope: { all: true },
      fixedPractice: null,
      asOf: "2026-11-21",
    });
    expect(r.counts).toMatchObject({ created: 5, rejected: 0 });
  });

  it("exports one practice as CSV with exactly the import columns, ISO dates and yes/no", async () => {
    const res = await call(practiceExport.loader, get("/practices/F84003/devices/export?format=csv", cookies.practiceManager), {
      ods: "F84003",
    });
    expect(res.status).toBe(200);
    expect(res.response!.headers.get("Content-Disposition")).toMatch(/filename="devices-F84003-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await res.response!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte order mark, for Excel
    const table = await parseUpload(bytes);
    expect(table.headers.join(",")).toBe(
      "practice_ods_code,asset_tag,serial_number,device_type,make,model,site_code,status,os_family,os_edition,os_version,os_build,purchase_date,warranty_end,funded_by,managed,encrypted,antivirus_up_to_date,last_patched,patch_released,tpm_version,cpu_model,cpu_generation,ram_gb,esu_years,disposed_date,device_name,last_seen,ownership,compliance,notes",
    );
    expect(table.rows).toHaveLength(3);
    expect(table.rows[0].cells).toEqual([
      "F84003",
      "A-1",
      "S-1",
      "desktop",
      "Dell",
      "OptiPlex, 7090",
      "FE123",
      "in_use",
      "Windows 10",
      "Pro",
      "22H2",
      "19045",
      "2021-03-31",
      "2026-03-31",
      "icb",
      "yes",
      "yes",
      "no",
      "2026-11-01",
      "",
      "2.0",
      "Intel Core i5-10500",
      "10",
      "16",
      "1",
      "",
      "",
      "",
      "",
      "",
      "'=SUM(A1) is text, not a formula",
    ]);
    expect(table.rows[1].cells.at(-1)).toBe("'-5 degrees");
  });

  it("re-imports its own CSV and XLSX exports as all unchanged", async () => {
    for (const format of ["csv", "xlsx"]) {
      const res = await call(estateExport.loader, get(`/estate/devices/export?format=${format}`, cookies.admin));
      expect(res.response!.headers.get("Content-Disposition")).toContain(`devices-all-`);
      const bytes = new Uint8Array(await res.response!.arrayBuffer());
      const table = await parseUpload(bytes);
      expect(table.format).toBe(format);
      expect(table.rows).toHaveLength(5);
      const r = await importDeviceFile(db(), {
        content: bytes,
        fileName: `export.${format}`,
        userId: null,
        scope: { all: true },
        fixedPractice: null,
        asOf: "2026-11-21",
        dryRun: true,
      });
      expect(r.issues).toEqual([]);
      expect(r.counts).toEqual({ rowsRead: 5, created: 0, updated: 0, unchanged: 5, rejected: 0 });
    }
    // Through the pages too, from a practice export.
    const res = await call(practiceExport.loader, get("/practices/F84003/devices/export?format=xlsx", cookies.partnerIcb), {
      ods: "F84003",
    });
    const id = await upload(
      cookies.partnerIcb,
      "devices-F84003.xlsx",
      new Uint8Array(await res.response!.arrayBuffer()),
      "?practice=F84003",
    );
    expect((await preview(cookies.partnerIcb, id)).preview.counts).toEqual({ create: 0, update: 0, unchanged: 3, rejected: 0 });
  });

  it("exports every device exactly once across pages of 5,000", async () => {
    await sql`insert into device (practice_code, asset_tag, device_type)
      select case when i % 3 = 0 then 'F84013' else 'F84003' end, 'BULK-' || i, 'laptop' from generate_series(1, 11000) i`.execute(db());
    try {
      const res = await call(estateExport.loader, get("/estate/devices/export", cookies.icbLead));
      const t = await parseUpload(new Uint8Array(await res.response!.arrayBuffer()));
      const keys = t.rows.map((r) => `${r.cells[0]}|${r.cells[1]}|${r.cells[2]}`);
      expect(keys).toHaveLength(11000 + 4); // plus the four QMF devices from the setup
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual([...keys].sort((a, b) => (a.slice(0, 6) < b.slice(0, 6) ? -1 : a.slice(0, 6) > b.slice(0, 6) ? 1 : 0))); // grouped by practice
    } finally {
      await sql`delete from device where asset_tag like 'BULK-%'`.execute(db());
    }
  });

  it("exports only the devices in the user's scope", async () => {
    const codes = async (cookie: string | undefined) => {
      const res = await call(estateExport.loader, get("/estate/devices/export", cookie));
      const t = await parseUpload(new Uint8Array(await res.response!.arrayBuffer()));
      return [...new Set(t.rows.map((r) => r.cells[0]))].sort();
    };
    expect(await codes(cookies.admin)).toEqual(["A81001", "F84003", "F84013"]);
    expect(await codes(cookies.icbLead)).toEqual(["F84003", "F84013"]);
    expect(await codes(cookies.partnerPractice)).toEqual(["F84013"]);
    expect(await codes(cookies.practiceManager)).toEqual(["F84003"]);
    expect((await call(estateExport.loader, get("/estate/devices/export?format=pdf", cookies.admin))).status).toBe(400);
  });
});

describe("the command line", () => {
  let dir: string;
  beforeAll(async () => {
    await sql`truncate device, audit_event, import_run, import_upload restart identity`.execute(db());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "estate-import-"));
    fs.writeFileSync(path.join(dir, "devices.csv"), MESSY);
  });

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const code = await runCli(db(), parseArgs(argv), { out: (s) => out.push(s), err: () => {} });
    return { code, out };
  };

  it("--dry-run --json prints one JSON object and writes nothing", async () => {
    const { code, out } = await run(["--kind", "devices", "--dry-run", "--json", path.join(dir, "devices.csv")]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const o = JSON.parse(out[0]);
    expect(Object.keys(o).sort()).toEqual(["created", "rejected", "rowsRead", "unchanged", "updated"]);
    expect(o).toMatchObject({ rowsRead: 4, created: 2, updated: 0, unchanged: 0 });
    expect(o.rejected).toEqual([
      { row: 5, column: "Device Type", message: expect.any(String) },
      { row: 5, column: "Encrypted", message: "Encrypted must be yes, no or blank" },
      { row: 6, column: "Asset No", message: "Asset tag pc-001 appears more than once in this file (rows 2 and 6)" },
    ]);
    expect(await deviceCount()).toBe(0);
    expect(await db().selectFrom("import_run").selectAll().execute()).toEqual([]);
    expect(await db().selectFrom("audit_event").selectAll().execute()).toEqual([]);
  });

  it("imports with admin scope through the same code, then finds the same file unchanged", async () => {
    const first = await run(["--kind=devices", "--json", path.join(dir, "devices.csv")]);
    expect(JSON.parse(first.out[0])).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(await deviceCount("F84003")).toBe(2);
    expect(await auditCount("device.create")).toBe(2);
    const second = await run(["--kind", "devices", "--json", path.join(dir, "devices.csv")]);
    expect(JSON.parse(second.out[0])).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await auditCount("device.create")).toBe(2);
  });

  it("refuses bad arguments", () => {
    expect(() => parseArgs(["devices.csv"])).toThrow(/--kind is required/);
    expect(() => parseArgs(["--kind", "phones", "x.csv"])).toThrow(/--kind must be one of: devices/);
    expect(() => parseArgs(["--kind", "devices"])).toThrow(/exactly one file/);
  });

  it("exits non-zero on an unreadable file, printing one JSON object with --json", () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/estate-import.ts", "--kind", "devices", "--json", path.join(dir, "missing.csv")],
      {
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: path.join(dir, "db") },
      },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.trim())).toEqual({ error: expect.stringContaining("Cannot read") });
    expect(fs.existsSync(path.join(dir, "db"))).toBe(false); // the database is not opened for an unreadable file
  });

  it("updates only devices still at the version that was checked", async () => {
    expect((await run(["--kind=devices", "--json", path.join(dir, "devices.csv")])).code).toBe(0); // PC-001 and one more
    const d = await db().selectFrom("device").selectAll().where("asset_tag", "=", "PC-001").executeTakeFirstOrThrow();
    const row = { ...d, notes: "changed" } as any;
    expect(await updateDevices(db(), [{ ...row, version: d.version + 1 }])).toEqual([]); // stale: someone else saved first
    expect(await updateDevices(db(), [{ ...row, practice_code: "F84013" }])).toEqual([]); // never across practices
    expect(await updateDevices(db(), [row])).toEqual([d.id]);
    const after = await db().selectFrom("device").select(["notes", "version"]).where("id", "=", d.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ notes: "changed", version: d.version + 1 });
  });
});
