import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { cbtFile, contractsFile, cyberEssentialsFile, dsptCycles, dsptFile, seedDemoFeeds } from "~/modules/seed/demo-feeds.server";
import { getDb } from "~/utils/db.server";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const TODAY = "2026-12-04";

beforeAll(async () => {
  await seedOrgs(db());
  await db()
    .insertInto("telephony_system")
    .values([
      {
        practice_code: "F84003",
        is_current: true,
        system_type: "cloud",
        supplier: "X-on (Surgery Connect)",
        product: "Cloud-based telephony",
        on_bpf: true,
        call_back: true,
        contract_start: "2024-02-01",
        contract_end: "2027-01-31",
      },
      {
        practice_code: "F84013",
        is_current: true,
        system_type: "analogue",
        supplier: "BT",
        product: "PSTN lines",
        on_bpf: false,
        contract_start: "2022-05-01",
        contract_end: "2027-04-30",
      },
    ])
    .execute();
});

describe("the demo's data feeds", () => {
  it("names the DSPT cycles whose deadline has passed", () => {
    expect(dsptCycles("2026-12-04")).toEqual([
      { cycle: "2025-26", deadline: "2026-06-30" },
      { cycle: "2024-25", deadline: "2025-06-30" },
    ]);
    expect(dsptCycles("2026-06-29")[0]).toEqual({ cycle: "2024-25", deadline: "2025-06-30" });
  });

  it("imports the four files through the feeds' own imports, with no problem in any row, once", async () => {
    const r = await seedDemoFeeds(db(), "QMF", TODAY);
    expect(r).not.toBeNull();
    expect(r!.dspt).toMatchObject({ rejected: 0, created: 4 });
    expect(r!.contracts).toMatchObject({ rejected: 0, fileDate: TODAY });
    // Telephony contracts follow the telephony record; three ICB-wide contracts.
    const contracts = await db()
      .selectFrom("supplier_contract")
      .select(["holder", "supplier", "starts_on", "ends_on", "paid_by"])
      .orderBy("id")
      .execute();
    expect(contracts.filter((c) => c.holder === "F84003")).toContainEqual({
      holder: "F84003",
      supplier: "X-on (Surgery Connect)",
      starts_on: "2024-02-01",
      ends_on: "2027-01-31",
      paid_by: "practice",
    });
    expect(contracts.filter((c) => c.holder === "QMF").map((c) => c.paid_by)).toEqual(["icb", "icb", "icb"]);
    expect(contracts.every((c) => c.holder !== "A81001")).toBe(true);
    const runs = await db().selectFrom("import_run").select(["kind", "actor"]).orderBy("id").execute();
    expect(runs).toEqual(["dspt", "cyber_essentials", "cbt", "contracts"].map((kind) => ({ kind, actor: "demo seed" })));
    // Only practices on cloud telephony have call data (F84003 here is the one in twelve left out).
    const months = await db().selectFrom("cbt_month").select(["practice_code", "month"]).orderBy("month").execute();
    expect(months).toEqual([]);
    expect(r!.cbt).toMatchObject({ rowsRead: 0, created: 0 });
    // The seed's own check then judges SEC-01 from the imported status.
    await evaluateScope(db(), { icb: "QMF" }, TODAY);
    const sec01 = await db()
      .selectFrom("evaluation_result")
      .select(["practice_code", "reason"])
      .where("requirement_id", "=", "SEC-01")
      .execute();
    expect(sec01.find((x) => x.practice_code === "F84003")?.reason).toMatch(/2025-26|Not Published/);
    expect(await seedDemoFeeds(db(), "QMF", TODAY)).toBeNull();
    expect(await db().selectFrom("import_run").select("id").execute()).toHaveLength(4);
  });

  it("writes the same files on every run (seeded)", async () => {
    const practices = [
      {
        ods_code: "F84003",
        name: "X",
        region_code: "Y56",
        icb_code: "QMF",
        sub_icb_code: "A3A8R",
        pcn_code: "U05451",
        list_size: 9000,
        system_type: "cloud",
        tel_supplier: "X-on",
        tel_product: null,
        on_bpf: true,
        call_back: true,
        contract_start: "2024-01-01",
        contract_end: "2026-12-31",
        oc_supplier: "Accurx",
        oc_since: "2021-06-01",
      },
    ];
    for (const f of [dsptFile, cyberEssentialsFile, cbtFile]) expect(f(practices, TODAY)).toBe(f(practices, TODAY));
    // Two months of weekdays, two bands, six indicators for a practice on cloud telephony; none for one that is not.
    const cbt = cbtFile([{ ...practices[0], ods_code: "F84013" }], TODAY).split("\n");
    expect(cbt[0]).toBe("Date,REGION_CODE,ICB_CODE,SUB_ICB_LOCATION_CODE,PCN_CODE,PRACTICE_CODE,Indicator,Time_Category,Value");
    expect(cbt).toHaveLength(1 + (22 + 21) * 2 * 6);
    expect(cbt[1]).toMatch(/^01\/10\/2026,Y56,QMF,A3A8R,U05451,F84013,CBT001,08:00-12:59,\d+$/);
    expect(cbtFile([{ ...practices[0], system_type: "analogue" }], TODAY).split("\n")).toHaveLength(1);
    const c = contractsFile(practices, "QMF", TODAY);
    expect(c).toBe(contractsFile(practices, "QMF", TODAY));
    // The online consultation term is rolled on to the one running today.
    expect(c).toContain("F84003,Accurx,Online consultation,,Digital Care Services Catalogue (DSIC),01/06/2024,31/05/2027,3,");
  });
});
