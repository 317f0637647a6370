import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { importNorthEastLondon, NEL_DEMO_FILES } from "~/modules/ods/demo.server";
import { englandCounts } from "~/modules/ods/summary-repository.server";
import type { ImportResult } from "~/modules/ods/types";
import { getDb } from "~/utils/db.server";

const DATA = path.resolve("../shared/data");
let first: ImportResult[];
let second: ImportResult[];
let seconds: number;

beforeAll(async () => {
  const started = Date.now();
  first = await importNorthEastLondon(getDb(), DATA);
  seconds = (Date.now() - started) / 1000;
  second = await importNorthEastLondon(getDb(), DATA);
}, 120_000);

describe("importNorthEastLondon", () => {
  it("imports the demo files, each restricted to ICB QMF, quickly enough for a first start", () => {
    expect(first.map((r) => r.file)).toEqual([...NEL_DEMO_FILES]);
    for (const r of first) expect(r.notes).toContain("restricted to ICB QMF");
    console.info(`North East London demo import took ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(30);
  });

  it("loads only QMF practices", async () => {
    const db = getDb();
    const byIcb = await db
      .selectFrom("practice")
      .select(["icb_code", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("icb_code")
      .execute();
    expect(byIcb).toEqual([{ icb_code: "QMF", n: 295 }]);
    const england = await englandCounts(db);
    expect(england.activePractices).toBe(264);
    expect([england.regions, england.icbs, england.subIcbs]).toEqual([1, 1, 1]);
    expect(england.welshPractices).toBe(0);
    // Every branch and list size belongs to a QMF practice.
    const strays = await db
      .selectFrom("site")
      .leftJoin("practice", "practice.ods_code", "site.practice_code")
      .select("site.code")
      .where((eb) => eb.or([eb("practice.icb_code", "is", null), eb("practice.icb_code", "!=", "QMF")]))
      .execute();
    expect(strays).toEqual([]);
  });

  it("has the 49 North East London PCNs and the named sub-ICB A3A8R", async () => {
    const db = getDb();
    const pcns = await db.selectFrom("pcn").select(["code", "sub_icb_code", "close_date"]).execute();
    expect(pcns).toHaveLength(49);
    expect(new Set(pcns.map((p) => p.sub_icb_code))).toEqual(new Set(["A3A8R"]));
    expect(pcns.filter((p) => p.close_date === null)).toHaveLength(48);
    expect(await db.selectFrom("sub_icb").selectAll().where("code", "=", "A3A8R").executeTakeFirst()).toEqual({
      code: "A3A8R",
      name: "NHS North East London ICB - A3A8R",
      icb_code: "QMF",
    });
    const f84003 = await db
      .selectFrom("practice")
      .select(["pcn_code", "clinical_system", "list_size", "list_size_date"])
      .where("ods_code", "=", "F84003")
      .executeTakeFirstOrThrow();
    expect(f84003).toEqual({ pcn_code: "U05451", clinical_system: "EMIS", list_size: 15142, list_size_date: "2026-04-01" });
  });

  it("changes nothing when run a second time", () => {
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
  });

  it("reads the data folder from ODS_DATA_DIR and names it when files are missing", async () => {
    const previous = process.env.ODS_DATA_DIR;
    process.env.ODS_DATA_DIR = "/nonexistent/ods-data";
    try {
      await expect(importNorthEastLondon(getDb())).rejects.toThrow(
        /cannot read \/nonexistent\/ods-data\/gpad_practice_mapping_2025-08\.csv/,
      );
    } finally {
      if (previous === undefined) delete process.env.ODS_DATA_DIR;
      else process.env.ODS_DATA_DIR = previous;
    }
  });
});
