import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importContracts } from "~/modules/contracts/import.server";
import { contractExportResponse } from "~/modules/contracts/export.server";
import { createContract, endContract, updateContract } from "~/modules/contracts/service.server";
import { ContractSchema } from "~/modules/contracts/schema";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { parseFeedsArgs, runFeedsCli } from "../../scripts/feeds-import";
import { createUser, seedOrgs } from "../support/factories";

const db = () => getDb();
const HEAD =
  "ODS code,Supplier,Category,Product or service,Framework,Start date,End date,Notice period (months),Annual cost (£ ex VAT),Paid by,Contract reference";
const csv = (...lines: string[]) => parseCsvText([HEAD, ...lines].join("\n"));
const QMF_ONLY = { all: false as const, icbCodes: ["QMF"], practiceCodes: [] };
const TODAY = "2026-12-01";

const FILE = [
  'F84003,X-on,Telephony,Surgery Connect,BPF,01/04/2024,31/03/2027,3,"£4,800",Practice,XON-F84003-1',
  "QMF,EMIS Health,Clinical system modules,EMIS Web add-ons,DSIC,01/04/2023,31/03/2028,6,120000,ICB,NEL-EMIS-2023",
  "A81001,X-on,Telephony,,,01/04/2024,31/03/2027,3,4800,Practice,XON-A81001-1",
  "QHM,BT,Connectivity,,,01/04/2024,31/03/2027,3,9000,ICB,BT-QHM-1",
  "Y99999,Accurx,Online consultation,,,01/04/2024,31/03/2027,1,1000,Practice,ACX-1",
  "F84013,Accurx,Phones,,,01/04/2024,31/03/2023,1,abc,Somebody,ACX;2",
];

let userId: number;
beforeAll(async () => {
  await seedOrgs(db());
  userId = await createUser(db(), { email: "lead@contracts.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
});

const stored = () =>
  db()
    .selectFrom("supplier_contract")
    .select([
      "holder",
      "supplier",
      "category",
      "framework",
      "starts_on",
      "ends_on",
      "notice_months",
      "annual_cost_pence",
      "paid_by",
      "reference",
      "source_date",
      "version",
    ])
    .orderBy("id")
    .execute();

describe("supplier contracts import", () => {
  // Each test starts from beforeAll's state (its own transaction, rolled back after it).
  /** The first test's import: F84003's X-on and QMF's EMIS contracts, the other four rows refused. */
  async function importFile() {
    const r = await importContracts(db(), { table: csv(...FILE), fileName: "c.csv", fileDate: TODAY, userId, scope: QMF_ONLY });
    expect(r.counts).toMatchObject({ created: 2, rejected: 4 });
  }

  it("checks every row, refuses rows outside the importer's scope by row, and dry-runs without writing", async () => {
    const table = csv(...FILE);
    const dry = await importContracts(db(), { table, fileName: "c.csv", fileDate: TODAY, userId, scope: QMF_ONLY, dryRun: true });
    expect(dry.runId).toBeNull();
    expect(dry.counts).toEqual({ rowsRead: 6, created: 2, updated: 0, unchanged: 0, rejected: 4, fileDate: TODAY });
    expect(await stored()).toEqual([]);

    const r = await importContracts(db(), { table, fileName: "c.csv", fileDate: TODAY, userId, scope: QMF_ONLY });
    expect(r.counts).toEqual(dry.counts);
    expect(r.issues).toEqual([
      { row: 4, column: "ODS code", message: "A81001 is not a practice whose contracts you can change" },
      { row: 5, column: "ODS code", message: "QHM is not an ICB whose contracts you can change" },
      { row: 6, column: "ODS code", message: "Y99999 is not a GP practice or ICB in the register" },
      { row: 7, column: "Category", message: expect.stringContaining('"Phones" is not one of the choices') },
      { row: 7, column: "Annual cost (£ ex VAT)", message: "Annual cost must be an amount in pounds, like 1,250 or 1250.50" },
      { row: 7, column: "Paid by", message: expect.stringContaining("Select who pays") },
      { row: 7, column: "Contract reference", message: "The contract reference may hold letters, digits, spaces and . / _ - only" },
    ]);
    expect(await stored()).toEqual([
      {
        holder: "F84003",
        supplier: "X-on",
        category: "telephony",
        framework: "better_purchasing_framework",
        starts_on: "2024-04-01",
        ends_on: "2027-03-31",
        notice_months: 3,
        annual_cost_pence: 480000,
        paid_by: "practice",
        reference: "XON-F84003-1",
        source_date: TODAY,
        version: 1,
      },
      {
        holder: "QMF",
        supplier: "EMIS Health",
        category: "clinical_system",
        framework: "digital_care_services",
        starts_on: "2023-04-01",
        ends_on: "2028-03-31",
        notice_months: 6,
        annual_cost_pence: 12000000,
        paid_by: "icb",
        reference: "NEL-EMIS-2023",
        source_date: TODAY,
        version: 1,
      },
    ]);
    const run = await db()
      .selectFrom("import_run")
      .select(["id", "kind", "counts"])
      .where("kind", "=", "contracts")
      .executeTakeFirstOrThrow();
    expect(run.id).toBe(r.runId);
    expect(run.counts).toMatchObject({ fileDate: TODAY, created: 2, rejected: 4 });
    expect(
      await db().selectFrom("audit_event").select(["action", "entity_id", "user_id"]).where("action", "=", "contracts.import").execute(),
    ).toEqual([{ action: "contracts.import", entity_id: String(r.runId), user_id: userId }]);
  });

  it("is idempotent by practice or ICB, supplier and reference; a changed row updates the contract", async () => {
    await importFile();
    const again = await importContracts(db(), {
      table: csv(FILE[0], FILE[1]),
      fileName: "c.csv",
      fileDate: TODAY,
      userId,
      scope: QMF_ONLY,
    });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    // The same contract, the reference in another case, with a new price: updated, not added.
    const changed = csv("F84003,x-on,Telephony,Surgery Connect,BPF,01/04/2024,31/03/2027,3,5000,Practice,xon-f84003-1");
    const fix = await importContracts(db(), { table: changed, fileName: "c2.csv", fileDate: "2026-12-02", userId, scope: QMF_ONLY });
    expect(fix.counts).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const rows = await stored();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ annual_cost_pence: 500000, version: 2, source_date: "2026-12-02" });
  });

  it("refuses a file without the contract columns, writing nothing", async () => {
    await expect(
      importContracts(db(), {
        table: parseCsvText("Code,Name\nF84003,X\n"),
        fileName: "bad.csv",
        fileDate: TODAY,
        userId,
        scope: { all: true },
      }),
    ).rejects.toThrow(/no Supplier, Category, Start date, End date, Annual cost \(£ ex VAT\), Paid by, Contract reference column/);
  });

  it("exports the register streamed, and the export imports again unchanged", async () => {
    await importFile();
    const res = await contractExportResponse(db(), { icbCode: "QMF" }, { status: "all" }, "csv", TODAY, { batchSize: 1 });
    const text = (await res.text()).replace(/^\ufeff/, "");
    expect(res.headers.get("Content-Disposition")).toContain("QMF-contracts-2026-12-01.csv");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe(
      "ods_code,holder_name,supplier,category,service,framework,starts_on,ends_on,notice_months,annual_cost,paid_by,reference,ended_on",
    );
    expect(lines).toHaveLength(3);
    const back = await importContracts(db(), {
      table: parseCsvText(text),
      fileName: "export.csv",
      fileDate: TODAY,
      userId,
      scope: QMF_ONLY,
    });
    expect(back.issues).toEqual([]);
    expect(back.counts).toMatchObject({ rowsRead: 2, created: 0, updated: 0, unchanged: 2 });
    const xlsx = await contractExportResponse(db(), { practiceCode: "F84003" }, { status: "all" }, "xlsx", TODAY);
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
  });

  it("runs from the command line as feeds:import --kind contracts, with --json and --dry-run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "contracts-"));
    const file = path.join(dir, "contracts.csv");
    fs.writeFileSync(file, [HEAD, "F84013,Accurx,Online consultation,,,01/04/2025,31/03/2027,1,2400,Practice,ACX-F84013"].join("\n"));
    const table = parseCsvText(fs.readFileSync(file, "utf8"));
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: () => {} };
    expect(
      await runFeedsCli(db(), parseFeedsArgs(["--kind", "contracts", "--json", "--dry-run", file]), io, {
        content: new Uint8Array(),
        table,
      }),
    ).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ rowsRead: 1, created: 1, rejected: 0, issues: [] });
    expect(await db().selectFrom("supplier_contract").select("id").where("holder", "=", "F84013").execute()).toEqual([]);
    expect(await runFeedsCli(db(), parseFeedsArgs(["--kind", "contracts", "--json", file]), io, { content: new Uint8Array(), table })).toBe(
      0,
    );
    expect(JSON.parse(out[1])).toMatchObject({ created: 1, fileDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const run = await db()
      .selectFrom("import_run")
      .select("actor")
      .where("kind", "=", "contracts")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(run.actor).toMatch(/^command line/);
  });
});

describe("supplier contract changes", () => {
  const input = (over: Record<string, string> = {}) =>
    ContractSchema.parse({
      supplier: "Redcentric",
      category: "connectivity",
      service: "HSCN",
      framework: "",
      starts_on: "01/04/2025",
      ends_on: "31/03/2028",
      notice_months: "3",
      annual_cost: "6,000",
      paid_by: "icb",
      reference: "RC-F84003",
      ...over,
    });
  const holder = { kind: "practice" as const, code: "F84003", icbCode: "QMF", name: "LOWER CLAPTON" };

  it("adds, changes at the version read (409 when stale) and ends a contract, each with an audit event", async () => {
    const c = await createContract(db(), userId, holder, input());
    expect(c).toMatchObject({ holder: "F84003", annual_cost_pence: 600000, version: 1, framework: null });
    await expect(createContract(db(), userId, holder, input({ reference: "rc-f84003" }))).rejects.toMatchObject({ status: 400 });
    const changed = await updateContract(db(), userId, c.id, { ...input({ annual_cost: "6500" }), version: 1 });
    expect(changed).toMatchObject({ annual_cost_pence: 650000, version: 2 });
    const stale = await updateContract(db(), userId, c.id, { ...input({ annual_cost: "1" }), version: 1 }).catch((e) => e);
    expect(stale).toBeInstanceOf(AppError);
    expect(stale.status).toBe(409);
    await expect(endContract(db(), userId, c.id, { ended_on: "2029-01-01", version: 2 })).rejects.toMatchObject({ status: 400 });
    await expect(endContract(db(), userId, c.id, { ended_on: "2026-06-30", version: 1 })).rejects.toMatchObject({ status: 409 });
    const ended = await endContract(db(), userId, c.id, { ended_on: "2026-06-30", version: 2 });
    expect(ended).toMatchObject({ ended_on: "2026-06-30", version: 3 });
    const events = await db()
      .selectFrom("audit_event")
      .select(["action", "user_id"])
      .where("entity_type", "=", "supplier_contract")
      .where("entity_id", "=", String(c.id))
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.action)).toEqual(["contract.create", "contract.update", "contract.end"]);
    expect(events.every((e) => e.user_id === userId)).toBe(true);
  });
});
