import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregateCbtFile, PAGE_LIMITS } from "~/modules/cbt/aggregate.server";
import { importCbt } from "~/modules/cbt/import.server";
import { missingFromMonth, pcnMonths, practiceMonths } from "~/modules/cbt/repository.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { runCbtCli } from "../../scripts/cbt-cli";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const HEAD = "Date,REGION_CODE,ICB_CODE,SUB_ICB_LOCATION_CODE,PCN_CODE,PRACTICE_CODE,Indicator,Time_Category,Value";
// Last month and the month before, so TEL-10 reads them whatever the date the suite runs.
const monthStart = (offset: number) => {
  const d = new Date(`${todayIso().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 10);
};
const LAST = monthStart(-1);
const BEFORE = monthStart(-2);
const csv = (...lines: string[]) => new TextEncoder().encode([HEAD, ...lines].join("\n"));
const row = (month: string, code: string, indicator: string, value: number) =>
  `${month},Y56,QMF,A3A8R,U05451,${code},${indicator},08:00-09:59,${value}`;
const load = async (name: string, content: Uint8Array, dryRun = false) =>
  importCbt(db(), { aggregate: await aggregateCbtFile(name, content, PAGE_LIMITS), fileName: name, userId: null, actor: "test", dryRun });

const result = async (ods: string, req: string) =>
  db()
    .selectFrom("evaluation_result")
    .select(["status", "reason"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", req)
    .orderBy("as_of", "desc")
    .orderBy("id", "desc")
    .executeTakeFirst();

beforeAll(async () => {
  await seedOrgs(db());
  // Both QMF practices on cloud telephony; the record says F84013 shares its data, F84003 says nothing.
  await db()
    .insertInto("telephony_system")
    .values([
      {
        practice_code: "F84003",
        system_type: "cloud",
        supplier: "X-on",
        on_bpf: true,
        call_back: null,
        main_number: "020 7946 0000",
        cbt_data_sharing: null,
      },
      {
        practice_code: "F84013",
        system_type: "cloud",
        supplier: "Redcentric",
        on_bpf: true,
        call_back: true,
        main_number: "020 7946 0001",
        cbt_data_sharing: false,
      },
      // In another NHS region (North East and Yorkshire), which the first file does not cover.
      {
        practice_code: "A81001",
        system_type: "cloud",
        supplier: "X-on",
        on_bpf: true,
        call_back: true,
        main_number: "01642 000000",
        cbt_data_sharing: null,
      },
    ])
    .execute();
});

/** The first file: F84003's last two months, a code not held and an unassigned row. */
const firstFile = () =>
  csv(
    row(BEFORE, "F84003", "CBT001", 900),
    row(LAST, "F84003", "CBT001", 1000),
    row(LAST, "F84003", "CBT003", 800),
    row(LAST, "F84003", "CBT006", 25),
    row(LAST, "Y99999", "CBT001", 50),
    `${LAST},Unmapped,,,,Unassigned,CBT001,08:00-09:59,70`,
  );

describe("CBT import", () => {
  it("stores practice-months in one transaction, re-checks TEL-10 and TEL-04, and lists practices missing from the month", async () => {
    const file = firstFile();
    const dry = await load("cbt.csv", file, true);
    expect(dry.runId).toBeNull();
    expect(await db().selectFrom("cbt_month").selectAll().execute()).toEqual([]);

    const r = await load("cbt.csv", file);
    expect(r.counts).toMatchObject({
      rowsRead: 6,
      unassignedRows: 1,
      rejectedRows: 0,
      months: [BEFORE, LAST],
      created: 2,
      updated: 0,
      unchanged: 0,
      skippedUnknown: 1,
    });
    // Both cloud practices are re-checked: a new month judges F84013 by its absence.
    expect(r.counts.practices).toBe(2);
    expect(await practiceMonths(db(), "F84003")).toEqual([
      { month: LAST, inbound: 1000, ivr_ended: null, answered: 800, missed: null, callback_requested: null, callback_made: 25 },
      { month: BEFORE, inbound: 900, ivr_ended: null, answered: null, missed: null, callback_requested: null, callback_made: null },
    ]);
    expect((await result("F84003", "TEL-10"))?.status).toBe("met");
    expect((await result("F84003", "TEL-04"))?.reason).toContain("25 call-backs made");
    const missing = await result("F84013", "TEL-10");
    expect(missing?.status).toBe("not_met");
    expect(missing?.reason).toContain("does not include this practice");
    const list = await missingFromMonth(db(), LAST, 1);
    expect(list.rows.map((p) => p.ods_code)).toEqual(["F84013"]);
    const pcn = await pcnMonths(db(), "U05451");
    expect(pcn.map((m) => [m.month, Number(m.practices), Number(m.inbound)])).toEqual([
      [LAST, 1, 1000],
      [BEFORE, 1, 900],
    ]);
    expect(await db().selectFrom("audit_event").select(["action", "entity_id"]).where("action", "=", "cbt.import").execute()).toEqual([
      { action: "cbt.import", entity_id: String(r.runId) },
    ]);
    expect(await db().selectFrom("cbt_publication").select(["month", "region_code", "practices"]).orderBy("month").execute()).toEqual([
      { month: BEFORE, region_code: "Y56", practices: 1 },
      { month: LAST, region_code: "Y56", practices: 1 },
    ]);
    // A London file says nothing about a practice in another region: its record still decides.
    expect((await result("A81001", "TEL-10"))?.reason ?? "").not.toContain("cloud telephony data");
  });

  it("is idempotent; a second file's other indicators fill in without overwriting", async () => {
    // Each test starts with no months (its own transaction, rolled back after it): the first file first.
    expect((await load("cbt.csv", firstFile())).counts).toMatchObject({ created: 2 });
    const again = await load(
      "cbt.csv",
      csv(
        row(BEFORE, "F84003", "CBT001", 900),
        row(LAST, "F84003", "CBT001", 1000),
        row(LAST, "F84003", "CBT003", 800),
        row(LAST, "F84003", "CBT006", 25),
      ),
    );
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2, practices: 0 });
    const more = await load("durations.csv", csv(row(LAST, "F84003", "CBT004", 120), row(LAST, "F84013", "CBT001", 300)));
    expect(more.counts).toMatchObject({ created: 1, updated: 1 });
    expect((await practiceMonths(db(), "F84003"))[0]).toMatchObject({ inbound: 1000, answered: 800, missed: 120, callback_made: 25 });
    expect((await result("F84013", "TEL-10"))?.status).toBe("met");
  });

  it("runs from the command line as feeds:import --kind cbt, streaming the file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cbt-"));
    const file = path.join(dir, "cbt.csv");
    fs.writeFileSync(file, [HEAD, row(LAST, "A81001", "CBT001", 44), "bad,row"].join("\n"));
    const out: string[] = [];
    expect(await runCbtCli(db(), { file, dryRun: false, json: true }, { out: (s) => out.push(s), err: () => {} })).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ rowsRead: 2, created: 1, rejectedRows: 1, months: [LAST] });
    expect((await result("A81001", "TEL-10"))?.status).toBe("met");
    const err: string[] = [];
    expect(
      await runCbtCli(db(), { file: path.join(dir, "none.csv"), dryRun: false, json: false }, { out: () => {}, err: (s) => err.push(s) }),
    ).toBe(1);
    expect(err[0]).toMatch(/Cannot read .*none\.csv/);
  });
});
