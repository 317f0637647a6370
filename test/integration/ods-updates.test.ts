import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { icbSuccessionsCsv, ICB_SUCCESSIONS_2026_04_SOURCE } from "~/modules/ods/icb-successions";
import { getIcbPage, getPracticePage } from "~/modules/org/service.server";
import { importOdsFile } from "~/modules/ods/service.server";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { icbChangeStamp } from "~/utils/icb-cache.server";
import { getDb } from "~/utils/db.server";
import type { Scope } from "~/utils/permissions";
import { createUser } from "../support/factories";

/**
 * `npm run ods:import` as updates over time (docs/ods.md): newer epraccur and list-size files,
 * the ODS successor file (a labelled fixture built from real NEL codes, test/fixtures/ods) and
 * the April 2026 ICB successions. One database for the file; each describe uses its own practices.
 */

// Real epraccur rows (shared/data/epraccur.csv, about September 2025), old layout.
const ROWS: Record<string, string> = {
  F82001:
    '"F82001","HALBUTT STREET SURGERY","Y56","QMF","2 HALBUTT STREET","DAGENHAM","ESSEX","","","RM9 5AS","19740401","","A","B","A3A8R","20210401","","020 85921544","","","","0","","A3A8R","","4",""',
  F84003:
    '"F84003","LOWER CLAPTON GENERAL PRACTICE","Y56","QMF","THE PORTICO","34 LINSCOTT ROAD","LONDON","","","E5 0RD","19740401","","A","B","A3A8R","20210401","","020 89867111","","","","0","","A3A8R","","4",""',
  F84685:
    '"F84685","THE ELM PRACTICE","Y56","QMF","ELM PRACTICE","1A FOUNTAYNE ROAD","LONDON","","","N16 7EA","19740401","20250430","C","B","A3A8R","20210401","20250430","020 76834839","","","","0","","A3A8R","","4",""',
  F84711:
    '"F84711","ROSEWOOD PRACTICE","Y56","QMF","ROSEWOOD PRACTICE","1A FOUNTAYNE ROAD","LONDON","","","N16 7EA","19900101","20250430","C","B","A3A8R","20210401","20250430","020 76834847","","","","0","","A3A8R","","4",""',
  F84734:
    '"F84734","BOLEYN ROAD PRACTICE","Y56","QMF","162 BOLEYN ROAD","FOREST GATE","LONDON","","","E7 9QJ","19980401","20220331","C","B","A3A8R","20210401","20220331","020 85035656","","","","0","","A3A8R","","4",""',
  F84742:
    '"F84742","THE SUMMITT PRACTICE","Y56","QMF","EAST HAM MEMORIAL BLDG","SHREWSBURY ROAD","FOREST GATE","LONDON","","E7 8QR","20001001","20231231","C","B","A3A8R","20210401","20231231","020 85522299","","","","0","","A3A8R","","4",""',
  F84749:
    '"F84749","CARPENTERS PRACTICE","Y56","QMF","236-252 HIGH STREET","STRATFORD","LONDON","","","E15 2JA","20020916","","A","B","A3A8R","20210401","","020 85348057","","","","0","","A3A8R","","4",""',
  D82001:
    '"D82001","HOLT MEDICAL PRACTICE","Y61","QMM","KELLING HOSPITAL","OLD CROMER ROAD","HIGH KELLING, HOLT","NORFOLK","","NR25 6QA","19740401","","A","B","26A","20200401","","01263 712461","","","","0","","26A","","4",""',
  D83001:
    '"D83001","CONSTABLE COUNTRY RURAL MEDICAL PRACTICE","Y61","QJG","CONSTABLE COUNTRY MP","HEATH ROAD, EAST BERGHOLT","COLCHESTER","ESSEX","","CO7 6RT","19740401","","A","B","06L","20130401","","01206 298272","","","","0","","06L","","4",""',
  F81001:
    '"F81001","DR KHAN & PARTNERS","Y61","QH8","RUSHBOTTOM LANE SURGERY","91 RUSHBOTTOM LANE","BENFLEET","ESSEX","","SS7 4EA","19740401","","A","B","99F","20130401","","01268 209269","","","","0","","99F","","4",""',
  F81003:
    '"F81003","DR F KHAN CARNAVON ROAD SURGERY","Y61","QH8","CARNARVON ROAD SURGERY","183-195 NORTH ROAD","WESTCLIFF-ON-SEA","ESSEX","","SS0 7AF","19740401","","A","B","99G","20130401","","01702 349957","","","","0","","99G","","4",""',
};
const csv = (...lines: string[]) => Buffer.from(lines.join("\n") + "\n");
/** The same row in the October 2026 layout: status as a word in column 13, role RO76 in column 26. */
function newLayout(row: string, status: "ACTIVE" | "INACTIVE" | "DORMANT") {
  const cells = row.slice(1, -1).split('","');
  cells[12] = status;
  cells[25] = "RO76";
  return `"${cells.join('","')}"`;
}
const ALL = Object.values(ROWS);

const run = (fileName: string, content: Buffer, dryRun = false) => importOdsFile(getDb(), { fileName, content, userId: null, dryRun });
const succFixture = () => fs.readFile(path.resolve("test/fixtures/ods/succ-nel-fixture.csv"));
const icbFile = () => run(ICB_SUCCESSIONS_2026_04_SOURCE, icbSuccessionsCsv());

const count = async (table: "audit_event" | "ods_succession" | "device" | "import_run" | "icb_change") =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(getDb())).rows[0].n);
const practice = (code: string) => getDb().selectFrom("practice").selectAll().where("ods_code", "=", code).executeTakeFirstOrThrow();
const ADMIN: Scope = { all: true };

async function device(code: string, tag: string) {
  await getDb()
    .insertInto("device")
    .values({
      practice_code: code,
      asset_tag: tag,
      serial_number: null,
      site_code: null,
      device_type: "desktop",
      status: "in_use",
    } as never)
    .execute();
}
const gap = (id: number, practice_code: string, requirement_id: string) => ({
  id,
  practice_code,
  requirement_id,
  result_status: "not_met" as const,
  reason: "Windows 10",
  units: "[]",
  first_seen: "2021-06-01",
  deadline: "2022-06-01",
  deadline_basis: null,
  closed_on: null,
});

beforeAll(async () => {
  await ensureCatalogue(getDb());
  const first = await run("epraccur-2025-09.csv", csv(...ALL));
  expect(first.rejected).toEqual([]);
}, 60_000);

describe("a chain of successions (F84685 → F84711 → F84003)", () => {
  it("walks the chain: the first practice's estate ends at the last, and a later link re-points the earlier row", async () => {
    await device("F84685", "ELM-1");
    await device("F84711", "ROSE-1");
    // The first link arrives alone: the Elm's device goes to Rosewood.
    await run("succ-2025-04.csv", csv('"F84685","F84711","","20250430","0"'));
    expect(
      (await getDb().selectFrom("device").select("practice_code").where("asset_tag", "=", "ELM-1").executeTakeFirstOrThrow()).practice_code,
    ).toBe("F84711");
    // A later file adds Rosewood → Lower Clapton: both devices end at F84003.
    await run("succ-2025-05.csv", csv('"F84711","F84003","","20250501","0"'));
    const devices = await getDb()
      .selectFrom("device")
      .select(["asset_tag", "practice_code"])
      .where("asset_tag", "in", ["ELM-1", "ROSE-1"])
      .orderBy("asset_tag")
      .execute();
    expect(devices).toEqual([
      { asset_tag: "ELM-1", practice_code: "F84003" },
      { asset_tag: "ROSE-1", practice_code: "F84003" },
    ]);
    const rows = await getDb()
      .selectFrom("ods_succession")
      .select(["old_code", "new_code", "final_code"])
      .where("old_code", "in", ["F84685", "F84711"])
      .orderBy("old_code")
      .execute();
    expect(rows).toEqual([
      { old_code: "F84685", new_code: "F84711", final_code: "F84003" },
      { old_code: "F84711", new_code: "F84003", final_code: "F84003" },
    ]);
    const elm = await getPracticePage(getDb(), ADMIN, "F84685");
    expect(elm.merged[0]).toMatchObject({ new_code: "F84711", final_code: "F84003" });
  });
});

describe("a practice merger (F84734 Boleyn Road into F84749 Carpenters)", () => {
  let succ: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    const db = getDb();
    await device("F84734", "BR-001");
    await device("F84734", "SAME-TAG");
    await device("F84749", "SAME-TAG");
    await db
      .insertInto("telephony_system")
      .values([
        { practice_code: "F84734", system_type: "analogue", supplier: "BT", main_number: "020 8503 5656" },
        { practice_code: "F84749", system_type: "cloud", supplier: "X-on", main_number: "020 8534 8057" },
      ])
      .execute();
    await db
      .insertInto("digital_service")
      .values([
        { practice_code: "F84734", service_key: "nhsmail", status: "in_use", supplier: null, since_date: null, notes: null },
        {
          practice_code: "F84734",
          service_key: "online_consultation",
          status: "in_use",
          supplier: "accuRx",
          since_date: null,
          notes: null,
        },
        { practice_code: "F84749", service_key: "nhsmail", status: "in_use", supplier: null, since_date: null, notes: null },
      ])
      .execute();
    await db
      .insertInto("lloyd_george_record")
      .values([
        { practice_code: "F84734", envelopes_on_site: 3000, digitised: 100, notes: "Cabinets in room 2" } as never,
        { practice_code: "F84749", envelopes_on_site: 9000 } as never,
      ])
      .execute();
    // DEV-02 open at both (the successor's stays, the old one closes); SEC-01 only at the old practice.
    await db
      .insertInto("gap")
      .values([gap(7001, "F84734", "DEV-02"), gap(7002, "F84734", "SEC-01"), gap(7003, "F84749", "DEV-02")])
      .execute();
    await db
      .insertInto("funding_request")
      .values({
        id: 701,
        icb_code: "QMF",
        title: "Laptops",
        financial_year: 2026,
        amount_pence: 1000,
        amount_reason: null,
        justification: "x",
        created_by: null,
      } as never)
      .execute();
    await db.insertInto("funding_request_gap").values({ request_id: 701, gap_id: 7002, estimate_pence: 1000 }).execute();
    succ = await run("succ.csv", await succFixture());
  });

  it("records the succession and carries devices, telephony, services, sites, paper records, gaps and funding links", async () => {
    const db = getDb();
    const row = await db.selectFrom("ods_succession").selectAll().where("old_code", "=", "F84734").executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: "practice",
      new_code: "F84749",
      final_code: "F84749",
      effective_date: "2022-04-01",
      source_file: "succ.csv",
    });
    expect(row.import_run_id).not.toBeNull();

    const devices = await db
      .selectFrom("device")
      .select(["practice_code", "asset_tag"])
      .where("asset_tag", "in", ["BR-001", "SAME-TAG"])
      .orderBy("id")
      .execute();
    // The tag the successor already uses stays behind (a unique key per practice), reported as kept.
    expect(devices).toEqual([
      { practice_code: "F84749", asset_tag: "BR-001" },
      { practice_code: "F84734", asset_tag: "SAME-TAG" },
      { practice_code: "F84749", asset_tag: "SAME-TAG" },
    ]);
    const phones = await db
      .selectFrom("telephony_system")
      .select(["supplier", "is_current", "ended_on"])
      .where("practice_code", "=", "F84749")
      .orderBy("id")
      .execute();
    expect(phones).toEqual([
      { supplier: "BT", is_current: false, ended_on: "2022-04-01" },
      { supplier: "X-on", is_current: true, ended_on: null },
    ]);
    const services = await db
      .selectFrom("digital_service")
      .select(["practice_code", "service_key"])
      .orderBy("practice_code")
      .orderBy("service_key")
      .execute();
    expect(services).toEqual([
      { practice_code: "F84734", service_key: "nhsmail" },
      { practice_code: "F84749", service_key: "nhsmail" },
      { practice_code: "F84749", service_key: "online_consultation" },
    ]);
    const site = await db.selectFrom("site").select(["practice_code", "kind"]).where("code", "=", "F84734").executeTakeFirstOrThrow();
    expect(site).toEqual({ practice_code: "F84749", kind: "branch" });
    const paper = await db.selectFrom("lloyd_george_record").select(["practice_code", "envelopes_on_site", "digitised", "notes"]).execute();
    expect(paper).toEqual([
      { practice_code: "F84749", envelopes_on_site: 12000, digitised: 100, notes: "Carried from F84734: Cabinets in room 2" },
    ]);

    const gaps = await db
      .selectFrom("gap")
      .select(["id", "practice_code", "status", "closed_on"])
      .where("id", "in", [7001, 7002, 7003])
      .orderBy("id")
      .execute();
    expect(gaps).toEqual([
      { id: 7001, practice_code: "F84749", status: "closed", closed_on: "2022-04-01" },
      { id: 7002, practice_code: "F84749", status: "open", closed_on: null },
      { id: 7003, practice_code: "F84749", status: "open", closed_on: null },
    ]);
    const events = await db.selectFrom("gap_event").select(["kind", "detail"]).where("gap_id", "=", 7001).execute();
    expect(events).toEqual([
      { kind: "closed", detail: "Closed when F84734 merged into F84749, which has its own open gap for this requirement" },
    ]);
    // The funding link follows the gap (by id).
    const link = await db
      .selectFrom("funding_request_gap as f")
      .innerJoin("gap as g", "g.id", "f.gap_id")
      .select("g.practice_code")
      .where("f.request_id", "=", 701)
      .executeTakeFirstOrThrow();
    expect(link.practice_code).toBe("F84749");

    const audit = await db
      .selectFrom("audit_event")
      .select(["action", "after"])
      .where("entity_id", "=", "F84734")
      .where("action", "=", "ods.succession")
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ new_code: "F84749", source_file: "succ.csv", carried: { devices: 1, gaps: 2, sites: 1 } });
  });

  it("shows the old practice as merged into its successor, with a link, and the successor its predecessor", async () => {
    const old = await getPracticePage(getDb(), ADMIN, "F84734");
    expect(old.practice.status).toBe("C");
    expect(old.merged).toMatchObject([
      { new_code: "F84749", effective_date: "2022-04-01", new: { code: "F84749", name: "CARPENTERS PRACTICE", canOpen: true } },
    ]);
    const successor = await getPracticePage(getDb(), ADMIN, "F84749");
    expect(successor.predecessors.map((p) => p.old_code)).toContain("F84734");
    // A practice manager of the old practice sees the successor named, not linked.
    const pm: Scope = { all: false, icbCodes: [], practiceCodes: ["F84734"] };
    const asPm = await getPracticePage(getDb(), pm, "F84734");
    expect(asPm.merged[0].new.canOpen).toBe(false);
    // ... and cannot reach it by URL either: the succession grants no access.
    await expect(getPracticePage(getDb(), pm, "F84749")).rejects.toMatchObject({ status: 404 });
  });

  it("refuses a successor that is not in the register with its row, and skips rows that are not practices or ICBs", () => {
    expect(succ.rejected).toEqual([
      { row: 4, message: "successor F86073 of F84742 is not in the register: import the epraccur file that lists it first" },
    ]);
    expect(succ.skipped).toEqual(
      expect.arrayContaining([
        { reason: "the same succession stated twice", count: 1 },
        { reason: "old code is not a practice or ICB in the register", count: 1 },
      ]),
    );
  });

  it("keeps the carried site and the closure when an older epraccur is imported again", async () => {
    const older = ROWS.F84734.replace('"20220331","C"', '"","A"');
    await run("epraccur-2021.csv", csv(older));
    const p = await practice("F84734");
    expect(p.status).toBe("C");
    const site = await getDb().selectFrom("site").select(["practice_code", "kind"]).where("code", "=", "F84734").executeTakeFirstOrThrow();
    expect(site).toEqual({ practice_code: "F84749", kind: "branch" });
  });
});

describe("re-running and dry runs", () => {
  it("changes nothing when the same successor file is imported again: no rows, no audit, counts unchanged", async () => {
    const [audit, succ, devices] = [await count("audit_event"), await count("ods_succession"), await count("device")];
    const again = await run("succ.csv", await succFixture());
    expect(again.changes).toEqual([]);
    expect(again.counts.practice_succession).toMatchObject({ created: 0, unchanged: 3 });
    expect(await count("ods_succession")).toBe(succ);
    expect(await count("device")).toBe(devices);
    // Only the run's own summary event.
    expect(await count("audit_event")).toBe(audit + 1);
  });

  it("a dry run reports what would change and writes nothing", async () => {
    const renamed = ROWS.F82001.replace("HALBUTT STREET SURGERY", "HALBUTT STREET MEDICAL CENTRE");
    const before = { audit: await count("audit_event"), runs: await count("import_run"), stamps: await count("icb_change") };
    const dry = await run("epraccur-2025-10.csv", csv(renamed), true);
    expect(dry.dryRun).toBe(true);
    expect(dry.counts.practice).toMatchObject({ updated: 1 });
    expect(dry.changes).toEqual([
      expect.objectContaining({ action: "ods.update", entityId: "F82001", after: { name: "HALBUTT STREET MEDICAL CENTRE" } }),
    ]);
    expect((await practice("F82001")).name).toBe("HALBUTT STREET SURGERY");
    expect({ audit: await count("audit_event"), runs: await count("import_run"), stamps: await count("icb_change") }).toEqual(before);

    const icbDry = await run(ICB_SUCCESSIONS_2026_04_SOURCE, icbSuccessionsCsv(), true);
    expect(icbDry.counts.icb_succession?.created).toBeGreaterThan(0);
    expect(await count("ods_succession")).toBe(3);
    expect((await practice("F81001")).icb_code).toBe("QH8");
  });
});

describe("closure and status in the October 2026 layout", () => {
  it("accepts both layouts; a practice now INACTIVE is closed, audited, and drops out of the ICB's open practices", async () => {
    const icbBefore = await getDb()
      .selectFrom("practice")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("icb_code", "=", "QMF")
      .where("status", "=", "A")
      .executeTakeFirstOrThrow();
    const pcnRow =
      '"U12345","SOME PCN","Y56","QMF","","","","","","","20190701","","ACTIVE","","A3A8R","","","","","","","","","","","RO272",""';
    const result = await run(
      "epraccur-2026-10.csv",
      csv(
        newLayout(ROWS.F82001, "INACTIVE").replace('"","INACTIVE"', '"20261001","INACTIVE"'),
        newLayout(ROWS.F84003, "ACTIVE"),
        ROWS.F84749,
        pcnRow,
      ),
    );
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toEqual([{ reason: "not a GP practice (role RO272)", count: 1 }]);
    expect(await practice("F82001")).toMatchObject({ status: "C", close_date: "2026-10-01" });
    expect((await practice("F84003")).status).toBe("A");
    const close = await getDb()
      .selectFrom("audit_event")
      .select("after")
      .where("action", "=", "ods.close")
      .where("entity_id", "=", "F82001")
      .executeTakeFirstOrThrow();
    expect(close.after).toEqual({ status: "C", close_date: "2026-10-01" });
    const icbAfter = await getDb()
      .selectFrom("practice")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("icb_code", "=", "QMF")
      .where("status", "=", "A")
      .executeTakeFirstOrThrow();
    expect(Number(icbAfter.n)).toBe(Number(icbBefore.n) - 1);
    // Its estate stays with it (nothing moves on a closure).
    expect(
      (await getDb().selectFrom("site").select("practice_code").where("code", "=", "F82001").executeTakeFirstOrThrow()).practice_code,
    ).toBe("F82001");
  });
});

describe("list sizes", () => {
  const LIST_HEADER =
    "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS";
  it("keeps the newest extract per practice whatever the import order, and shows its month", async () => {
    await run("gp-reg-2026-04.csv", csv(LIST_HEADER, "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84749,E15 2JA,ALL,ALL,25019"));
    await run(
      "gp-reg-2021-01.csv",
      csv(
        "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS",
        "GP_PRAC_PAT_LIST,01JAN2021,GP,08M,E38000113,F84749,E15 2JA,ALL,ALL,16645",
      ),
    );
    expect(await practice("F84749")).toMatchObject({ list_size: 25019, list_size_date: "2026-04-01" });
    const page = await getPracticePage(getDb(), ADMIN, "F84749");
    expect(page.listSizes.map((l) => l.extract_date)).toEqual(["2026-04-01", "2021-01-01"]);
  });
});

describe("the April 2026 ICB successions", () => {
  let result: Awaited<ReturnType<typeof run>>;
  let stampBefore: string;
  beforeAll(async () => {
    const db = getDb();
    await createUser(db, { email: "lead.qh8@example.nhs.uk", memberships: [{ role: "icb_lead", icb_code: "QH8" }] });
    await createUser(db, {
      email: "lead.both@example.nhs.uk",
      memberships: [
        { role: "icb_lead", icb_code: "QMM" },
        { role: "icb_lead", icb_code: "T6Y0W" },
      ],
    });
    await db.insertInto("icb_policy").values({ icb_code: "QH8", key: "laptop_refresh_years", value: "5" }).execute();
    await db
      .insertInto("icb_budget")
      .values({ icb_code: "QH8", financial_year: 2025, amount_pence: 100_000, capital_pence: 100_000, revenue_pence: null })
      .execute();
    const req = { title: "Phones", financial_year: 2026, amount_pence: 500, amount_reason: null, justification: "x", created_by: null };
    await db
      .insertInto("funding_request")
      .values([
        { id: 801, icb_code: "QH8", status: "submitted", ...req },
        { id: 802, icb_code: "QH8", status: "delivered", ...req },
      ] as never)
      .execute();
    stampBefore = await icbChangeStamp(db, "D7T5G");
    result = await icbFile();
  });

  it("creates the successor ICBs, moves merged ICBs' practices and sub-ICBs, and leaves a split ICB's practices to epraccur", async () => {
    expect(result.rejected).toEqual([]);
    const icb = await getDb().selectFrom("icb").selectAll().where("code", "in", ["D7T5G", "T6Y0W"]).orderBy("code").execute();
    expect(icb).toEqual([
      { code: "D7T5G", name: "Essex", region_code: "Y61" },
      { code: "T6Y0W", name: "Norfolk and Suffolk", region_code: "Y61" },
    ]);
    expect((await practice("F81001")).icb_code).toBe("D7T5G");
    expect((await practice("D82001")).icb_code).toBe("T6Y0W");
    // QJG went to two successors: recorded, practices not moved.
    expect((await practice("D83001")).icb_code).toBe("QJG");
    expect(result.notes.join(" ")).toMatch(/QJG.*split/);
    const sub = await getDb()
      .selectFrom("sub_icb")
      .select(["code", "icb_code"])
      .where("code", "in", ["99F", "26A"])
      .orderBy("code")
      .execute();
    expect(sub).toEqual([
      { code: "26A", icb_code: "T6Y0W" },
      { code: "99F", icb_code: "D7T5G" },
    ]);
    expect(await icbChangeStamp(getDb(), "D7T5G")).not.toBe(stampBefore);
  });

  it("moves users' ICB scopes and funding requests in progress, copies policies, and leaves budgets and finished requests as history", async () => {
    const db = getDb();
    const scopes = await db
      .selectFrom("membership as m")
      .innerJoin("app_user as u", "u.id", "m.user_id")
      .select(["u.email", "m.icb_code"])
      .where("u.email", "like", "lead.%")
      .orderBy("u.email")
      .orderBy("m.icb_code")
      .execute();
    expect(scopes).toEqual([
      { email: "lead.both@example.nhs.uk", icb_code: "T6Y0W" },
      { email: "lead.qh8@example.nhs.uk", icb_code: "D7T5G" },
    ]);
    const policies = await db
      .selectFrom("icb_policy")
      .select(["icb_code", "key"])
      .where("key", "=", "laptop_refresh_years")
      .orderBy("icb_code")
      .execute();
    expect(policies.map((p) => p.icb_code)).toEqual(["D7T5G", "QH8"]);
    expect((await db.selectFrom("icb_budget").select("icb_code").executeTakeFirstOrThrow()).icb_code).toBe("QH8");
    const requests = await db
      .selectFrom("funding_request")
      .select(["id", "icb_code"])
      .where("id", "in", [801, 802])
      .orderBy("id")
      .execute();
    expect(requests).toEqual([
      { id: 801, icb_code: "D7T5G" },
      { id: 802, icb_code: "QH8" },
    ]);
    const page = await getIcbPage(db, ADMIN, "QH8");
    expect(page.merged).toMatchObject([{ new_code: "D7T5G", effective_date: "2026-04-01" }]);
    const successor = await getIcbPage(db, ADMIN, "D7T5G");
    expect(successor.predecessors.map((p) => p.old_code).sort()).toEqual(["QH8", "QJG", "QM7"]);
  });

  it("places practices of a merged ICB in its successor when an older epraccur is imported, and changes nothing on a re-run", async () => {
    const result = await run("epraccur-2025-09.csv", csv(ROWS.F81003));
    expect(result.notes).toContain("1 practices filed under a merged ICB were placed in its successor");
    expect((await practice("F81003")).icb_code).toBe("D7T5G");
    const audit = await count("audit_event");
    const again = await icbFile();
    expect(again.counts.icb_succession).toMatchObject({ created: 0 });
    expect(await count("audit_event")).toBe(audit + 1);
  });
});
