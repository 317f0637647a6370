import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { down as esuDown, up as esuUp } from "#db/migrations/2026-12-03T14-45-00_lifecycle_esu_years";
import { loadLifecycleIndex } from "~/modules/os-lifecycle/service.server";
import { OS_LIFECYCLE_ROWS } from "~/modules/os-lifecycle/reference";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { getDb } from "~/utils/db.server";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const key = (family: string, edition: string, version: string) =>
  db()
    .selectFrom("os_lifecycle")
    .selectAll()
    .where("family", "=", family)
    .where("edition", "=", edition)
    .where("version", "=", version)
    .executeTakeFirst();

beforeAll(async () => {
  await seedOrgs(db());
});

// Each test starts from the migrations' first seed (its own transaction, rolled back after it).
/** The first run: the table brought up to the reference file. */
const firstRun = () => syncLifecycleReference(db());

describe("bringing os_lifecycle up to the reference file", () => {
  it("replaces the first seed's shared Windows 10 20H2/21H2 rows, adds the missing releases and audits each change", async () => {
    await loadLifecycleIndex(db()); // syncs on first use
    expect(await key("Windows 10", "Home/Pro/Enterprise/Education", "20H2")).toBeUndefined();
    expect(await key("Windows 10", "Enterprise/Education", "20H2")).toMatchObject({ end_of_support: "2023-05-09" });
    expect(await key("Windows 11", "Enterprise/Education", "25H2")).toMatchObject({ build: "26200", end_of_support: "2028-10-10" });
    expect(await key("Windows Server", "All editions", "2016")).toMatchObject({
      mainstream_end: "2022-01-11",
      end_of_support: "2027-01-12",
    });
    const n = await db()
      .selectFrom("os_lifecycle")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(OS_LIFECYCLE_ROWS.length);
    const audit = await db().selectFrom("audit_event").select(["action", "user_id"]).where("entity_type", "=", "os_lifecycle").execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((a) => a.user_id === null && a.action.startsWith("os_lifecycle.reference_"))).toBe(true);
  });

  it("changes nothing when run again", async () => {
    await firstRun();
    expect(await syncLifecycleReference(db())).toEqual({ inserted: 0, updated: 0, retired: 0, keptAdminRows: [] });
  });

  it("keeps a retired key an admin has taken over", async () => {
    await firstRun(); // the shared Windows 10 20H2 row retired
    await db()
      .insertInto("os_lifecycle")
      .values({
        family: "Windows 10",
        edition: "Home/Pro/Enterprise/Education",
        version: "20H2",
        end_of_support: "2022-05-10",
        source: "admin",
        reference_version: null,
      })
      .execute();
    const r = await syncLifecycleReference(db(), OS_LIFECYCLE_ROWS, "test-stamp");
    expect(r.keptAdminRows).toEqual(["Windows 10 Home/Pro/Enterprise/Education 20H2"]);
    expect(await key("Windows 10", "Home/Pro/Enterprise/Education", "20H2")).toBeDefined();
  });
});

describe("migration 2026-12-03T14-45-00: ESU yes/no becomes years bought", () => {
  it("maps yes to year 1 only (it ended 13 October 2026), no to none and not known to not known", async () => {
    await esuDown(db());
    try {
      await sql`insert into device (practice_code, asset_tag, device_type, esu_enrolled) values ('F84003', 'E-YES', 'desktop', true), ('F84003', 'E-NO', 'desktop', false), ('F84003', 'E-NULL', 'desktop', null)`.execute(
        db(),
      );
    } finally {
      await esuUp(db());
    }
    const rows = await db()
      .selectFrom("device")
      .select(["asset_tag", "esu_years"])
      .where("asset_tag", "like", "E-%")
      .orderBy("asset_tag")
      .execute();
    expect(rows).toEqual([
      { asset_tag: "E-NO", esu_years: 0 },
      { asset_tag: "E-NULL", esu_years: null },
      { asset_tag: "E-YES", esu_years: 1 },
    ]);
  });
});
