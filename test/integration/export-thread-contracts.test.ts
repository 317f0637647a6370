import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { ContractCategory, ContractPayer } from "#db/types";
import { CONTRACT_EXPORT, type ContractExportParams } from "~/modules/contracts/export.server";
import * as icbExport from "~/routes/icbs.$code_.contracts.export";
import * as practiceExport from "~/routes/practices.$ods.contracts.export";
import { getDb } from "~/utils/db.server";
import { exportBody, exportsUnderWay } from "~/utils/export-thread.server";
import { addPractices } from "../support/compliance-db";
import { createRoleUsers, createUser, seedOrgs } from "../support/factories";
import { exportConnections, readAll, until, xlsxParts } from "../support/export-threads";
import { isolatePerFile } from "../support/isolation";
import { call, cookiesFor, get } from "../support/requests";

isolatePerFile("export threads read over connections of their own on PostgreSQL");

// Issue 12: an ICB's contracts register is streamed from an export thread on PostgreSQL, like the
// gap register. The route keeps the scope check (findIcbInScope); the thread gets the holder and
// the parsed filters only, and gives the same bytes as in-process. 30 QMF practices with 100
// contracts each, plus QMF's own, and QHM's (A81001's and the ICB's) that must never appear.
const onPostgres = !!process.env.DATABASE_URL;
const today = "2026-12-06";
const CATEGORIES: ContractCategory[] = ["telephony", "clinical_system", "online_consultation", "connectivity", "support", "other"];
const PAYERS: ContractPayer[] = ["icb", "practice", "other"];
const PER_PRACTICE = 100;
const cookies: Record<string, string> = {};
let qmfPractices: string[] = [];

const contract = (holder: { practice_code: string } | { icb_code: string }, i: number) => ({
  ...holder,
  supplier: `Supplier ${i % 17} =HYPERLINK("x")`,
  category: CATEGORIES[i % CATEGORIES.length],
  service: i % 3 ? `Service ${i}` : null,
  starts_on: "2024-04-01",
  ends_on: `202${5 + (i % 4)}-03-31`,
  notice_months: i % 6,
  annual_cost_pence: 1000 + i * 37,
  paid_by: PAYERS[i % PAYERS.length],
  reference: `REF-${"practice_code" in holder ? holder.practice_code : holder.icb_code}-${i}`,
});

beforeAll(async () => {
  if (!onPostgres) return;
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  await createUser(db, { email: "lead.qhm@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QHM" }] });
  qmfPractices = [...(await addPractices(db, 30, "W")), "F84003", "F84013"];
  const rows = [
    ...qmfPractices.flatMap((code) => Array.from({ length: PER_PRACTICE }, (_, i) => contract({ practice_code: code }, i))),
    ...Array.from({ length: 20 }, (_, i) => contract({ icb_code: "QMF" }, i)),
    ...Array.from({ length: 40 }, (_, i) => contract({ practice_code: "A81001" }, i)),
    ...Array.from({ length: 20 }, (_, i) => contract({ icb_code: "QHM" }, i)),
  ];
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("supplier_contract")
      .values(rows.slice(i, i + 500))
      .execute();
  Object.assign(
    cookies,
    await cookiesFor({
      lead: "lead@test.nhs.test",
      qhmLead: "lead.qhm@test.nhs.test",
      pm: "pm@test.nhs.test",
      dp2: "dp2@test.nhs.test",
    }),
  );
}, 120_000);

const params = (format: "csv" | "xlsx", more: Partial<ContractExportParams> = {}): ContractExportParams => ({
  holder: { icbCode: "QMF" },
  filters: { status: "all" },
  format,
  today,
  batchSize: 100,
  ...more,
});

const csvRows = (bytes: Buffer) => parse(bytes.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];

describe.skipIf(!onPostgres)("an ICB's contracts export in an export thread (PostgreSQL)", () => {
  it("the CSV from the thread is byte for byte the in-process one, filters and all", async () => {
    for (const p of [params("csv"), params("csv", { filters: { status: "current", paid_by: "icb", q: "supplier 1" } })]) {
      const local = await readAll(await CONTRACT_EXPORT.body(getDb(), p));
      const threaded = await readAll(await exportBody(getDb(), CONTRACT_EXPORT, p));
      expect(csvRows(local).length).toBeGreaterThan(0);
      expect(threaded.equals(local)).toBe(true);
    }
    const full = await readAll(await CONTRACT_EXPORT.body(getDb(), params("csv")));
    // Several of the thread's 64 KiB chunks, and every QMF contract (the practices' and the ICB's own).
    expect(full.length).toBeGreaterThan(4 * 64 * 1024);
    expect(csvRows(full)).toHaveLength(qmfPractices.length * PER_PRACTICE + 20);
  });

  it("the XLSX from the thread has the in-process workbook's every part, byte for byte", async () => {
    const local = await xlsxParts(await readAll(await CONTRACT_EXPORT.body(getDb(), params("xlsx"))));
    const threaded = await xlsxParts(await readAll(await exportBody(getDb(), CONTRACT_EXPORT, params("xlsx"))));
    expect(Object.keys(local)).toContain("xl/worksheets/sheet1.xml");
    expect(threaded).toEqual(local);
  });

  it("the ICB route streams from the thread; only QMF's contracts, whatever the filters ask", async () => {
    const res = await call(icbExport.loader, get("/icbs/QMF/contracts/export?format=csv&status=all", cookies.lead), { code: "QMF" });
    expect(res.status).toBe(200);
    const reader = res.response!.body!.getReader();
    const parts = [Buffer.from((await reader.read()).value!)];
    // Read and encoded in the thread, over its own connections, holding the process's slot.
    expect(exportsUnderWay().running).toBe(1);
    expect(await exportConnections()).toBeGreaterThan(0);
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(Buffer.from(r.value));
    const rows = csvRows(Buffer.concat(parts));
    expect(rows).toHaveLength(qmfPractices.length * PER_PRACTICE + 20);
    expect(new Set(rows.map((r) => r.ods_code))).toEqual(new Set([...qmfPractices, "QMF"]));
    await until(() => exportsUnderWay().running === 0);

    // Filtering to another ICB's practice narrows QMF's register; it never reaches A81001's.
    const widened = await call(icbExport.loader, get("/icbs/QMF/contracts/export?format=csv&status=all&practice=A81001", cookies.lead), {
      code: "QMF",
    });
    expect(widened.status).toBe(200);
    expect(csvRows(await readAll(widened.response!.body!))).toEqual([]);
  });

  it("another ICB's lead, a practice manager and a one-practice partner cannot have QMF's register (404)", async () => {
    for (const who of ["qhmLead", "pm", "dp2"]) {
      const res = await call(icbExport.loader, get("/icbs/QMF/contracts/export?format=csv&status=all", cookies[who]), { code: "QMF" });
      expect(res.status, who).toBe(404);
    }
    expect(exportsUnderWay()).toEqual({ running: 0, waiting: 0 });
    // QHM's lead gets QHM's register from the thread: A81001's and QHM's own, nothing of QMF's.
    const qhm = await call(icbExport.loader, get("/icbs/QHM/contracts/export?format=csv&status=all", cookies.qhmLead), { code: "QHM" });
    expect(new Set(csvRows(await readAll(qhm.response!.body!)).map((r) => r.ods_code))).toEqual(new Set(["A81001", "QHM"]));
  });

  it("a practice's contracts run in-process at once, even while an ICB's export holds the slot", async () => {
    const icb = (await exportBody(getDb(), CONTRACT_EXPORT, params("csv"))).getReader();
    expect((await icb.read()).done).toBe(false);
    expect(exportsUnderWay().running).toBe(1);
    const res = await call(practiceExport.loader, get("/practices/F84003/contracts/export?format=csv&status=all", cookies.pm), {
      ods: "F84003",
    });
    expect(res.status).toBe(200);
    const rows = csvRows(await readAll(res.response!.body!));
    expect(rows).toHaveLength(PER_PRACTICE);
    expect(new Set(rows.map((r) => r.ods_code))).toEqual(new Set(["F84003"]));
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 0 });
    await icb.cancel();
    await until(() => exportsUnderWay().running === 0);
  });
});

describe.skipIf(onPostgres)("the contracts export on PGlite", () => {
  it("stays in-process (the embedded database is this process's)", async () => {
    await seedOrgs(getDb());
    const bytes = await readAll(await exportBody(getDb(), CONTRACT_EXPORT, params("csv")));
    expect(bytes.toString("utf8")).toMatch(/^\ufeffods_code,holder_name,/);
    expect(exportsUnderWay().running).toBe(0);
  });
});
