import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { importOdsFile, importOrder } from "~/modules/ods/service.server";
import { detectFile } from "~/modules/ods/detect";
import { englandCounts } from "~/modules/ods/summary-repository.server";
import type { ImportResult } from "~/modules/ods/types";
import { getDb } from "~/utils/db.server";

// The real NHS files (see ../shared/reference/datasets.md), imported once for the whole file.
const DATA = path.resolve("../shared/data");
const FILES = [
  "gp_it_suppliers_2025-10.csv",
  "ePCN.xlsx",
  "gp-reg-pat-prac-all_2021-01.csv",
  "gp-reg-pat-prac-all_2026-04_NEL-extract.csv",
  "ebranchs_2017.csv",
  "gp_it_suppliers_with_subicb_2025-12.csv",
  "gp2gp_ods_to_supplier_2019.csv",
  "epraccur.csv",
  "gpad_practice_mapping_2025-08.csv",
];

/** As the CLI does: detect kinds first, then practice-creating files before the rest. */
async function importAll(): Promise<ImportResult[]> {
  const inputs = await Promise.all(
    FILES.map(async (fileName) => {
      const content = await fs.readFile(path.join(DATA, fileName));
      return { fileName, content, detected: await detectFile(fileName, content) };
    }),
  );
  inputs.sort((a, b) => importOrder(a.detected.kind) - importOrder(b.detected.kind));
  const results: ImportResult[] = [];
  for (const input of inputs) results.push(await importOdsFile(getDb(), { ...input, userId: null }));
  return results;
}

const byFile = (results: ImportResult[], file: string) => results.find((r) => r.file === file)!;
const auditCount = async (action: string) =>
  (
    await getDb()
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", action)
      .executeTakeFirstOrThrow()
  ).n;

// Edited copies of real epraccur rows, for "a newer file" scenarios.
const EPRACCUR = {
  F84003:
    '"F84003","LOWER CLAPTON GENERAL PRACTICE","Y56","QMF","THE PORTICO","34 LINSCOTT ROAD","LONDON","","","E5 0RD","19740401","","A","B","A3A8R","20210401","","020 89867111","","","","0","","A3A8R","","4",""',
  F84749:
    '"F84749","CARPENTERS PRACTICE","Y56","QMF","236-252 HIGH STREET","STRATFORD","LONDON","","","E15 2JA","20020916","","A","B","A3A8R","20210401","","020 85348057","","","","0","","A3A8R","","4",""',
  F82001:
    '"F82001","HALBUTT STREET SURGERY","Y56","QMF","2 HALBUTT STREET","DAGENHAM","ESSEX","","","RM9 5AS","19740401","","A","B","A3A8R","20210401","","020 85921544","","","","0","","A3A8R","","4",""',
};
const csv = (...lines: string[]) => Buffer.from(lines.join("\n") + "\n");

let first: ImportResult[];
let second: ImportResult[];
let firstSeconds: number;

beforeAll(async () => {
  const started = Date.now();
  first = await importAll();
  firstSeconds = (Date.now() - started) / 1000;
  second = await importAll();
}, 180_000);

describe("importing every shared NHS file", () => {
  it("imports in dependency order and reads every real row without rejecting any", () => {
    expect(first.map((r) => r.kind)).toEqual([
      "epraccur",
      "gpad-mapping",
      "gp-it-suppliers",
      "epcn",
      "list-size",
      "list-size",
      "ebranchs",
      "gp-it-suppliers",
      "gp2gp-suppliers",
    ]);
    for (const r of first) {
      expect(r.rejected, r.file).toEqual([]);
      for (const c of Object.values(r.counts)) expect(c!.rejected, r.file).toBe(0);
    }
    console.info(`imported all ${FILES.length} shared files in ${firstSeconds.toFixed(1)} s`);
  });

  it("keeps only GP practices from epraccur and counts the rest as skipped by setting", () => {
    const epraccur = byFile(first, "epraccur.csv");
    expect(epraccur.counts.practice).toEqual({ created: 8655, updated: 0, unchanged: 0, rejected: 0 });
    expect(epraccur.counts.site?.created).toBe(8655);
    const skipped = epraccur.skipped.reduce((s, k) => s + k.count, 0);
    expect(skipped).toBe(16685 - 8655);
    expect(epraccur.skipped).toContainEqual({ reason: "not a GP practice (prescribing setting 26)", count: 609 });
    expect(epraccur.notes).toContain("422 Welsh practices imported with country Wales; they are kept out of England counts");
  });

  it("gives England counts that match the published files", async () => {
    const england = await englandCounts(getDb());
    // datasets.md: 6,618 active setting-4 rows include Wales; 398 of them are active Welsh practices.
    expect(england.activePractices).toBe(6618 - 398);
    expect(england.activeWelshPractices).toBe(398);
    expect(england.welshPractices).toBe(422);
    expect(england.closedPractices).toBe(1942);
    // GPAD covers 42 ICBs and 106 sub-ICBs in 7 NHS England regions.
    expect([england.regions, england.icbs, england.subIcbs]).toEqual([7, 42, 106]);
    // ePCN: 1,285 open PCNs, plus PCNs only GPAD (Aug 2025) knows.
    expect(england.pcnsOpen).toBeGreaterThanOrEqual(1285);
    expect(england.pcnsOpen).toBeLessThan(1320);
    expect(england.pcnsClosed).toBe(81);
    expect(england.practicesWithListSize).toBeGreaterThan(6000);
    expect(england.patients).toBeGreaterThan(55_000_000);
  });

  it("holds North East London as published: 264 active practices, 49 PCNs, a named sub-ICB", async () => {
    const db = getDb();
    const active = await db
      .selectFrom("practice")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("icb_code", "=", "QMF")
      .where("status", "=", "A")
      .where("prescribing_setting", "=", 4)
      .executeTakeFirstOrThrow();
    expect(active.n).toBe(264);
    const pcns = await db.selectFrom("pcn").select("code").where("sub_icb_code", "=", "A3A8R").execute();
    expect(pcns).toHaveLength(49);
    expect(await db.selectFrom("sub_icb").selectAll().where("code", "=", "A3A8R").executeTakeFirst()).toEqual({
      code: "A3A8R",
      name: "NHS North East London ICB - A3A8R",
      icb_code: "QMF",
    });
    expect(await db.selectFrom("icb").selectAll().where("code", "=", "QMF").executeTakeFirst()).toEqual({
      code: "QMF",
      name: "NHS North East London Integrated Care Board",
      region_code: "Y56",
    });
  });

  it("puts F84003 Lower Clapton in PCN U05451 on EMIS with its 2026 list size", async () => {
    const db = getDb();
    const p = await db.selectFrom("practice").selectAll().where("ods_code", "=", "F84003").executeTakeFirstOrThrow();
    expect(p).toMatchObject({
      name: "LOWER CLAPTON GENERAL PRACTICE",
      address: "THE PORTICO, 34 LINSCOTT ROAD, LONDON",
      postcode: "E5 0RD",
      status: "A",
      open_date: "1974-04-01",
      close_date: null,
      prescribing_setting: 4,
      country: "England",
      region_code: "Y56",
      icb_code: "QMF",
      sub_icb_code: "A3A8R",
      pcn_code: "U05451",
      clinical_system: "EMIS",
      clinical_system_source: "NHS Digital GP IT suppliers",
      list_size: 15142,
      list_size_date: "2026-04-01",
    });
    const history = await db
      .selectFrom("practice_list_size")
      .selectAll()
      .where("practice_code", "=", "F84003")
      .orderBy("extract_date")
      .execute();
    expect(history).toEqual([
      { practice_code: "F84003", extract_date: "2021-01-01", patients: 15204 },
      { practice_code: "F84003", extract_date: "2026-04-01", patients: 15142 },
    ]);
    const pcn = await db.selectFrom("pcn").selectAll().where("code", "=", "U05451").executeTakeFirstOrThrow();
    expect(pcn).toMatchObject({ name: "HACKNEY MARSHES PCN", sub_icb_code: "A3A8R", close_date: null });
    const site = await db
      .selectFrom("site")
      .select(["code", "kind", "practice_code", "address"])
      .where("practice_code", "=", "F84003")
      .execute();
    expect(site).toEqual([{ code: "F84003", kind: "main", practice_code: "F84003", address: "THE PORTICO, 34 LINSCOTT ROAD, LONDON" }]);
  });

  it("keeps PCN membership history and branch surgeries", async () => {
    const db = getDb();
    const f82001 = await db
      .selectFrom("practice_pcn_membership")
      .select(["pcn_code", "start_date", "end_date"])
      .where("practice_code", "=", "F82001")
      .orderBy("start_date")
      .execute();
    expect(f82001).toEqual([
      { pcn_code: "U86966", start_date: "2019-10-01", end_date: "2022-07-01" },
      { pcn_code: "U11211", start_date: "2022-07-01", end_date: null },
    ]);
    const branches = await db
      .selectFrom("site")
      .select("code")
      .where("practice_code", "=", "F84749")
      .where("kind", "=", "branch")
      .orderBy("code")
      .execute();
    expect(branches.map((b) => b.code)).toEqual(["F84749001", "F84749002"]);
    const ebranchs = byFile(first, "ebranchs_2017.csv");
    expect(ebranchs.skipped).toEqual([{ reason: "parent practice not imported", count: 13 }]);
    expect(byFile(first, "gp-reg-pat-prac-all_2021-01.csv").skipped).toEqual([{ reason: "practice not imported", count: 16 }]);
  });

  it("lets newer supplier sources win and GP2GP 2019 only fill gaps", async () => {
    const db = getDb();
    const sources = await db
      .selectFrom("practice")
      .select(["clinical_system_source as source", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("clinical_system_source")
      .execute();
    const n = Object.fromEntries(sources.map((s) => [s.source, s.n]));
    expect(n["NHS Digital GP IT suppliers"]).toBe(6142);
    // GP2GP 2019 only reached practices no newer file mentions (mostly long-closed ones).
    const gp2gpOnActive = await db
      .selectFrom("practice")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("clinical_system_source", "=", "GP2GP 2019")
      .where("status", "=", "A")
      .executeTakeFirstOrThrow();
    expect(gp2gpOnActive.n).toBeLessThan(50);
    const gp2gp = byFile(first, "gp2gp_ods_to_supplier_2019.csv");
    expect(gp2gp.counts.practice!.updated).toBe(n["GP2GP 2019"]);
  });

  it("changes nothing when every file is imported a second time", async () => {
    for (const r of second) {
      for (const [entity, c] of Object.entries(r.counts)) {
        expect({ file: r.file, entity, created: c!.created, updated: c!.updated }).toEqual({
          file: r.file,
          entity,
          created: 0,
          updated: 0,
        });
      }
    }
    expect(byFile(second, "epraccur.csv").counts.practice!.unchanged).toBe(8655);
    // One ods.import summary per file per run, and no ods.update on the second run.
    expect(await auditCount("ods.import")).toBe(2 * FILES.length);
    const runs = await getDb().selectFrom("import_run").select(["kind", "counts"]).orderBy("id").execute();
    expect(runs).toHaveLength(2 * FILES.length);
    expect(runs[0].counts).toMatchObject({ kind: "epraccur", counts: { practice: { created: 8655 } } });
  });
});

describe("a newer epraccur", () => {
  it("updates exactly the renamed and the closed practice, with ods.update and ods.close audit events", async () => {
    const db = getDb();
    const updatesBefore = await auditCount("ods.update");
    const lastEvent = await db.selectFrom("audit_event").select("id").orderBy("id", "desc").executeTakeFirstOrThrow();
    const newer = csv(
      EPRACCUR.F84003.replace("LOWER CLAPTON GENERAL PRACTICE", "LOWER CLAPTON GROUP PRACTICE"),
      EPRACCUR.F84749.replace('"20020916","","A"', '"20020916","20251031","C"'),
      EPRACCUR.F82001,
    );
    const result = await importOdsFile(db, { fileName: "epraccur-newer.csv", content: newer, userId: null });
    expect(result.kind).toBe("epraccur");
    expect(result.counts.practice).toEqual({ created: 0, updated: 2, unchanged: 1, rejected: 0 });
    expect(result.counts.site).toEqual({ created: 0, updated: 2, unchanged: 1, rejected: 0 });
    // Changed main sites get a new version, so an edit opened before the import is refused as stale.
    const sites = await db
      .selectFrom("site")
      .select(["code", "name", "version"])
      .where("code", "in", ["F84003", "F82001"])
      .orderBy("code")
      .execute();
    expect(sites).toEqual([
      { code: "F82001", name: "HALBUTT STREET SURGERY", version: 1 },
      { code: "F84003", name: "LOWER CLAPTON GROUP PRACTICE", version: 2 },
    ]);

    const rows = await db
      .selectFrom("practice")
      .select(["ods_code", "name", "status", "close_date", "pcn_code", "list_size"])
      .where("ods_code", "in", ["F84003", "F84749"])
      .orderBy("ods_code")
      .execute();
    expect(rows).toEqual([
      // Fields owned by other files (PCN, list size) are untouched.
      { ods_code: "F84003", name: "LOWER CLAPTON GROUP PRACTICE", status: "A", close_date: null, pcn_code: "U05451", list_size: 15142 },
      {
        ods_code: "F84749",
        name: "CARPENTERS PRACTICE",
        status: "C",
        close_date: "2025-10-31",
        pcn_code: "U11373",
        list_size: expect.any(Number),
      },
    ]);

    const events = await db
      .selectFrom("audit_event")
      .select(["action", "entity_type", "entity_id", "before", "after"])
      .where("id", ">", lastEvent.id)
      .orderBy("id")
      .execute();
    expect(events).toEqual([
      {
        action: "ods.import",
        entity_type: "import_run",
        entity_id: String(2 * FILES.length + 1),
        before: null,
        after: expect.objectContaining({ file: "epraccur-newer.csv", kind: "epraccur" }),
      },
      {
        action: "ods.update",
        entity_type: "practice",
        entity_id: "F84003",
        before: { name: "LOWER CLAPTON GENERAL PRACTICE" },
        after: { name: "LOWER CLAPTON GROUP PRACTICE" },
      },
      {
        action: "ods.update",
        entity_type: "practice",
        entity_id: "F84749",
        before: { status: "A", close_date: null },
        after: { status: "C", close_date: "2025-10-31" },
      },
      {
        action: "ods.close",
        entity_type: "practice",
        entity_id: "F84749",
        before: { status: "A" },
        after: { status: "C", close_date: "2025-10-31" },
      },
    ]);
    expect(await auditCount("ods.update")).toBe(updatesBefore + 2);
  });

  it("imports the valid rows of a file with an invalid row and reports the rejected row", async () => {
    const db = getDb();
    const newPractice = EPRACCUR.F82001.replace('"F82001"', '"F82999"').replace("HALBUTT STREET SURGERY", "NEW TEST SURGERY");
    const invalid = EPRACCUR.F82001.replace('"F82001"', '"F82-01"');
    const result = await importOdsFile(db, {
      fileName: "epraccur-with-error.csv",
      content: csv(newPractice, invalid, EPRACCUR.F82001),
      userId: 7,
    });
    expect(result.counts.practice).toEqual({ created: 1, updated: 0, unchanged: 1, rejected: 1 });
    expect(result.rejected).toEqual([
      { row: 2, message: 'column 1 (organisation code) "F82-01" is not a valid code (expected e.g. F84003)' },
    ]);
    expect(await db.selectFrom("practice").select("name").where("ods_code", "=", "F82999").executeTakeFirst()).toEqual({
      name: "NEW TEST SURGERY",
    });
    const run = await db.selectFrom("import_run").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(run).toMatchObject({ file_name: "epraccur-with-error.csv", kind: "epraccur", user_id: 7 });
    expect(run.counts).toMatchObject({ rejected: 1, counts: { practice: { created: 1, rejected: 1 } } });
  });

  it("rolls back the whole file when a write fails: nothing half-written, no run, no audit", async () => {
    const db = getDb();
    const count = async () => ({
      runs: (
        await db
          .selectFrom("import_run")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      audit: (
        await db
          .selectFrom("audit_event")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      regions: (
        await db
          .selectFrom("region")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    });
    const before = await count();
    // Fail the main-site insert of one new practice, after region, practice inserts and updates ran.
    await sql
      .raw(
        `create function ods_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'simulated failure writing site %', new.code; end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ods_test_fail before insert on site for each row
      when (new.code = 'F82998') execute function ods_test_fail()`,
      )
      .execute(db);
    try {
      const failing = csv(
        EPRACCUR.F82001.replace('"F82001"', '"F82998"').replace('"Y56"', '"Y99"'),
        EPRACCUR.F82001.replace("HALBUTT STREET SURGERY", "HALBUTT STREET RENAMED"),
      );
      await expect(importOdsFile(db, { fileName: "epraccur-failing.csv", content: failing, userId: null })).rejects.toThrow(
        /simulated failure writing site F82998/,
      );
    } finally {
      await sql.raw("drop trigger ods_test_fail on site").execute(db);
      await sql.raw("drop function ods_test_fail()").execute(db);
    }
    expect(await db.selectFrom("practice").select("ods_code").where("ods_code", "=", "F82998").executeTakeFirst()).toBeUndefined();
    expect(await db.selectFrom("practice").select("name").where("ods_code", "=", "F82001").executeTakeFirstOrThrow()).toEqual({
      name: "HALBUTT STREET SURGERY",
    });
    expect(await db.selectFrom("region").select("code").where("code", "=", "Y99").executeTakeFirst()).toBeUndefined();
    expect(await count()).toEqual(before);
  });
});
