import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importDsptTable } from "~/modules/dspt/import.server";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { parseDsptArgs, runDsptCli } from "../../scripts/dspt-import";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const HEAD = "Code,Organisation Name,Status,Date Of Publication,Primary Sector";
const csv = (...lines: string[]) => parseCsvText([HEAD, ...lines].join("\n"));

// The current cycle relative to today, so the test holds in any year: the cycle ending this
// year has its 30 June deadline within the last 12 months (or ahead) all year.
const y = Number(todayIso().slice(0, 4));
const CURRENT = `${y - 1}-${String(y % 100).padStart(2, "0")}`;
const PREVIOUS = `${y - 2}-${String((y - 1) % 100).padStart(2, "0")}`;
const ukDate = (iso: string) => iso.split("-").reverse().join("/");

const sec01 = async (ods: string) =>
  db()
    .selectFrom("evaluation_result")
    .select(["status", "reason"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", "SEC-01")
    .orderBy("as_of", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();

beforeAll(async () => {
  await seedOrgs(db());
});

/** The first file: F84003 Approaching Standards in the previous cycle, A81001 not published; a trust, an unknown code and a bad status. */
const firstFile = () =>
  csv(
    `f84003,LOWER CLAPTON GENERAL PRACTICE,${PREVIOUS} Approaching Standards,01/06/${y - 1},GP`,
    `RQX,HOMERTON HEALTHCARE NHS FOUNDATION TRUST,${PREVIOUS} Standards Exceeded,30/06/${y - 1},NHS Trust`,
    `Y99999,NOT A PRACTICE WE HOLD,${PREVIOUS} Standards Met,30/06/${y - 1},GP`,
    `A81001,THE DENSHAM SURGERY,Not Published,,GP`,
    `F84013,STAMFORD HILL GROUP PRACTICE,Compliant,30/06/${y - 1},GP`,
  );

describe("DSPT status import", () => {
  it("stores GP practices' statuses, skips other sectors and unknown codes, and is idempotent", async () => {
    const table = firstFile();
    const first = await importDsptTable(db(), { table, fileName: "dspt.csv", userId: null, actor: "test" });
    expect(first.counts).toEqual({ rowsRead: 5, created: 2, unchanged: 0, skippedNotGp: 1, skippedUnknown: 1, rejected: 1, practices: 2 });
    expect(first.issues).toEqual([{ row: 6, column: "Status", message: expect.stringContaining('"Compliant"') }]);
    const stored = await db()
      .selectFrom("dspt_status")
      .select(["practice_code", "cycle", "status", "outcome", "published_on", "source_file"])
      .orderBy("practice_code")
      .execute();
    expect(stored).toEqual([
      {
        practice_code: "A81001",
        cycle: null,
        status: "Not Published",
        outcome: "not_published",
        published_on: null,
        source_file: "dspt.csv",
      },
      {
        practice_code: "F84003",
        cycle: PREVIOUS,
        status: "Approaching Standards",
        outcome: "approaching",
        published_on: `${y - 1}-06-01`,
        source_file: "dspt.csv",
      },
    ]);
    const audit = await db()
      .selectFrom("audit_event")
      .select(["action", "entity_id", "actor"])
      .where("action", "=", "dspt.import")
      .execute();
    expect(audit).toEqual([{ action: "dspt.import", entity_id: String(first.runId), actor: "test" }]);
    expect((await sec01("F84003"))?.status).toBe("not_met");
    expect((await sec01("A81001"))?.status).toBe("not_met");

    const again = await importDsptTable(db(), { table, fileName: "dspt.csv", userId: null, actor: "test" });
    expect(again.counts).toMatchObject({ created: 0, unchanged: 2, practices: 0 });
    expect(await db().selectFrom("dspt_status").select(db().fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).toEqual({ n: 2 });
  });

  it("re-checks SEC-01 in the import: a newer Standards Met turns it met, keeping the history", async () => {
    // Each test starts with no statuses (its own transaction, rolled back after it): the first file first (SEC-01 not met).
    await importDsptTable(db(), { table: firstFile(), fileName: "dspt.csv", userId: null, actor: "test" });
    const published = `${y - 1}-12-01`;
    const dry = await importDsptTable(db(), {
      table: csv(`F84003,X,${CURRENT} Standards Met,${ukDate(published)},GP`),
      fileName: "new.csv",
      userId: null,
      dryRun: true,
    });
    expect(dry.counts).toMatchObject({ created: 1, practices: 1 });
    expect(dry.runId).toBeNull();
    expect((await sec01("F84003"))?.status).toBe("not_met");

    await importDsptTable(db(), {
      table: csv(`F84003,X,${CURRENT} Standards Met,${ukDate(published)},GP`),
      fileName: "new.csv",
      userId: null,
    });
    const r = await sec01("F84003");
    expect(r?.status).toBe("met");
    expect(r?.reason).toContain(`${CURRENT} Standards Met`);
    expect((await db().selectFrom("dspt_status").select("status").where("practice_code", "=", "F84003").execute()).length).toBe(2);
    // The change stamps follow the new table (migration 2026-12-03T20-00-00_dspt_status).
    const stamps = await db().selectFrom("icb_change").select("icb_code").where("icb_code", "=", "QMF").execute();
    expect(stamps.length).toBeGreaterThan(0);
  });

  it("refuses a file without the status columns, writing nothing", async () => {
    await expect(
      importDsptTable(db(), { table: parseCsvText("Code,Name\nF84003,X\n"), fileName: "bad.csv", userId: null }),
    ).rejects.toThrow(/no Status, Date Of Publication column/);
  });

  it("runs from the command line with --json", async () => {
    expect(() => parseDsptArgs([])).toThrow(/exactly one file/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dspt-"));
    const file = path.join(dir, "dspt.csv");
    fs.writeFileSync(
      file,
      [HEAD, `F84013,STAMFORD HILL GROUP PRACTICE,${CURRENT} Standards Exceeded,${ukDate(`${y - 1}-11-01`)},GP`].join("\n"),
    );
    const out: string[] = [];
    const code = await runDsptCli(db(), parseDsptArgs(["--json", file]), { out: (s) => out.push(s), err: () => {} });
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ rowsRead: 1, created: 1, skippedNotGp: 0, issues: [] });
    expect((await sec01("F84013"))?.status).toBe("met");
  });
});
