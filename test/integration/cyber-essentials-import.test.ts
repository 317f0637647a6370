import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importCertificates } from "~/modules/cyber-essentials/import.server";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { getDb } from "~/utils/db.server";
import { addDays, todayIso } from "~/utils/today";
import { parseFeedsArgs, runFeedsCli } from "../../scripts/feeds-import";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const HEAD = "ODS code,Organisation name,Level,Certificate number,Certification body,Issue date,Expiry date";
const csv = (...lines: string[]) => parseCsvText([HEAD, ...lines].join("\n"));
const uk = (iso: string) => iso.split("-").reverse().join("/");
const today = todayIso();
// Issued two months ago, so it is in force today whatever the date the suite runs.
const ISSUED = addDays(today, -60);
const QMF_ONLY = { all: false as const, icbCodes: ["QMF"], practiceCodes: [] };

const sec05 = async (ods: string) =>
  db()
    .selectFrom("evaluation_result")
    .select(["status", "reason"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", "SEC-05")
    .orderBy("as_of", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();

beforeAll(async () => {
  await seedOrgs(db());
  // One supported computer, so the OS half of SEC-05 holds and the certificate decides.
  await db().insertInto("site").values({ practice_code: "F84003", code: "F84003", name: "Main", kind: "main" }).execute();
  await db()
    .insertInto("device")
    .values({
      practice_code: "F84003",
      site_code: "F84003",
      asset_tag: "PC-1",
      device_type: "desktop",
      status: "in_use",
      os_family: "Windows 11",
      os_edition: "Enterprise",
      os_version: "24H2",
    })
    .execute();
});

/** The first file: F84003's CE+ certificate IASME-CEP-001, and three rows refused (another ICB, an unknown code, no number). */
const firstFile = () =>
  csv(
    `F84003,LOWER CLAPTON,Cyber Essentials Plus,IASME-CEP-001,IASME,${uk(ISSUED)},`,
    `A81001,THE DENSHAM SURGERY,CE+,IASME-CEP-002,IASME,${uk(ISSUED)},`,
    `Y99999,NOT HERE,CE,IASME-CE-003,IASME,${uk(ISSUED)},`,
    `F84013,STAMFORD HILL,CE,,IASME,${uk(ISSUED)},`,
  );

describe("Cyber Essentials certificate import", () => {
  it("stores certificates for practices in scope, refuses rows outside it by row, and re-checks SEC-05", async () => {
    const table = firstFile();
    const dry = await importCertificates(db(), { table, fileName: "ce.csv", userId: null, scope: QMF_ONLY, dryRun: true });
    expect(dry.runId).toBeNull();
    expect(await db().selectFrom("cyber_essentials_certificate").selectAll().execute()).toEqual([]);

    const r = await importCertificates(db(), { table, fileName: "ce.csv", userId: null, scope: QMF_ONLY, actor: "test" });
    expect(r.counts).toEqual({ rowsRead: 4, created: 1, updated: 0, unchanged: 0, rejected: 3, practices: 1 });
    expect(r.issues).toEqual([
      { row: 3, column: "ODS code", message: "A81001 is not a practice you can update" },
      { row: 4, column: "ODS code", message: "Y99999 is not a GP practice in the register" },
      { row: 5, column: "Certificate number", message: "Enter the certificate number" },
    ]);
    expect(
      await db()
        .selectFrom("cyber_essentials_certificate")
        .select(["practice_code", "level", "certificate_number", "issued_on", "expires_on", "source_file"])
        .execute(),
    ).toEqual([
      {
        practice_code: "F84003",
        level: "ce_plus",
        certificate_number: "IASME-CEP-001",
        issued_on: ISSUED,
        expires_on: `${Number(ISSUED.slice(0, 4)) + 1}${ISSUED.slice(4)}`.replace(/-02-29$/, "-02-28"),
        source_file: "ce.csv",
      },
    ]);
    expect(
      await db()
        .selectFrom("audit_event")
        .select(["action", "entity_id", "actor"])
        .where("action", "=", "cyber_essentials.import")
        .execute(),
    ).toEqual([{ action: "cyber_essentials.import", entity_id: String(r.runId), actor: "test" }]);
    const judged = await sec05("F84003");
    expect(judged?.status).toBe("met");
    expect(judged?.reason).toContain("holds Cyber Essentials Plus certificate IASME-CEP-001 (IASME)");
  });

  it("is idempotent, and a corrected row updates the certificate and re-checks", async () => {
    // Each test starts with no certificates (its own transaction, rolled back after it): the first file first.
    await importCertificates(db(), { table: firstFile(), fileName: "ce.csv", userId: null, scope: QMF_ONLY, actor: "test" });
    const same = csv(`F84003,LOWER CLAPTON,Cyber Essentials Plus,IASME-CEP-001,IASME,${uk(ISSUED)},`);
    const again = await importCertificates(db(), { table: same, fileName: "ce.csv", userId: null, scope: QMF_ONLY });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 1, practices: 0 });
    // The certificate was withdrawn early: its expiry date is corrected to yesterday.
    const corrected = csv(`F84003,LOWER CLAPTON,Cyber Essentials Plus,IASME-CEP-001,IASME,${uk(ISSUED)},${uk(addDays(today, -1))}`);
    const fix = await importCertificates(db(), { table: corrected, fileName: "fix.csv", userId: null, scope: QMF_ONLY });
    expect(fix.counts).toMatchObject({ created: 0, updated: 1, unchanged: 0, practices: 1 });
    expect(
      await db().selectFrom("cyber_essentials_certificate").select(db().fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ).toEqual({ n: 1 });
    const judged = await sec05("F84003");
    expect(judged?.status).toBe("not_met");
    expect(judged?.reason).toContain("expired on");
  });

  it("refuses a file without the certificate columns, writing nothing", async () => {
    await expect(
      importCertificates(db(), { table: parseCsvText("Code,Name\nF84003,X\n"), fileName: "bad.csv", userId: null, scope: { all: true } }),
    ).rejects.toThrow(/no Level, Certificate number, Issue date column/);
  });

  it("runs from the command line as feeds:import --kind cyber-essentials, with --json", async () => {
    expect(() => parseFeedsArgs(["x.csv"])).toThrow(/give --kind/);
    expect(() => parseFeedsArgs(["--kind", "leases", "x.csv"])).toThrow(/unknown kind "leases"/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ce-"));
    const file = path.join(dir, "ce.csv");
    fs.writeFileSync(file, [HEAD, `A81001,THE DENSHAM SURGERY,CE+,IASME-CEP-010,IASME,${uk(ISSUED)},`].join("\n"));
    const args = parseFeedsArgs(["--kind", "cyber-essentials", "--json", file]);
    const out: string[] = [];
    const table = parseCsvText(fs.readFileSync(file, "utf8"));
    const code = await runFeedsCli(db(), args, { out: (s) => out.push(s), err: () => {} }, { content: new Uint8Array(), table });
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toEqual({ rowsRead: 1, created: 1, updated: 0, unchanged: 0, rejected: 0, practices: 1, issues: [] });
    const run = await db()
      .selectFrom("import_run")
      .select(["kind", "actor"])
      .where("kind", "=", "cyber_essentials")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(run.actor).toMatch(/^command line/);
  });
});
