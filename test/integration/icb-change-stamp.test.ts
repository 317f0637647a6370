import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createPostgresDb, type Db } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { clearDashboardCache, getIcbDashboard } from "~/modules/dashboard/service.server";
import { getDb } from "~/utils/db.server";
import { englandChangeStamp, icbChangeStamp, icbChangeStamps, PerIcbCache } from "~/utils/icb-cache.server";
import { todayIso } from "~/utils/today";
import { addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("a second connection (another process) must see committed changes; two transactions at once on PostgreSQL");

// Each part of the per-ICB cache key (app/utils/icb-cache.server.ts), against North East London
// (QMF: F84003, F84013) and North East and North Cumbria (QHM: A81001).
const today = todayIso();
const QMF = { code: "QMF", name: "NHS North East London Integrated Care Board" };
const QHM = { code: "QHM", name: "NHS North East and North Cumbria Integrated Care Board" };
const onPostgres = !!process.env.DATABASE_URL;

async function stamps(db: Db = getDb()) {
  const one = { QMF: await icbChangeStamp(db, "QMF"), QHM: await icbChangeStamp(db, "QHM"), england: await englandChangeStamp(db) };
  // The batch read (the national view's) agrees with the one-ICB read.
  const all = await icbChangeStamps(db, ["QMF", "QHM"]);
  expect({ QMF: all.get("QMF"), QHM: all.get("QHM") }).toEqual({ QMF: one.QMF, QHM: one.QHM });
  return one;
}

/** Runs `change` and says which stamps moved. */
async function moved(change: () => Promise<unknown>) {
  const before = await stamps();
  await change();
  const after = await stamps();
  return { QMF: before.QMF !== after.QMF, QHM: before.QHM !== after.QHM, england: before.england !== after.england };
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await prepareCompliance(db);
  await addDevices(db, [desktopRow("F84003"), desktopRow("A81001")]);
  await evaluateScope(db, { all: true }, today);
});

describe("per-ICB change stamps", () => {
  it("a change in one ICB moves that ICB's stamp (and England's) and leaves the other's alone", async () => {
    const db = getDb();
    expect(await moved(() => addDevices(db, [desktopRow("F84003", { asset_tag: "STAMP-1" })]))).toEqual({
      QMF: true,
      QHM: false,
      england: true,
    });
    expect(await moved(() => db.updateTable("device").set({ model: "Other" }).where("practice_code", "=", "A81001").execute())).toEqual({
      QMF: false,
      QHM: true,
      england: true,
    });
    expect(await moved(() => db.deleteFrom("device").where("asset_tag", "=", "STAMP-1").execute())).toEqual({
      QMF: true,
      QHM: false,
      england: true,
    });
    // An evaluation of one practice writes results and gaps for its ICB only.
    await db
      .updateTable("device")
      .set({ os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" })
      .where("practice_code", "=", "F84003")
      .execute();
    expect(await moved(() => evaluateScope(db, { practices: ["F84003"] }, today))).toEqual({ QMF: true, QHM: false, england: true });
    // The ICB's own price list, policy and budget.
    const price = {
      unit_kind: "desktop_replacement",
      basis: "each" as const,
      unit_cost_pence: 90_000,
      effective_from: "2026-01-01",
      source: "test",
      local_estimate: true,
      created_by: null,
    };
    expect(
      await moved(() =>
        db
          .insertInto("price_list_entry")
          .values({ ...price, icb_code: "QHM" })
          .execute(),
      ),
    ).toEqual({ QMF: false, QHM: true, england: true });
    expect(
      await moved(() =>
        db.insertInto("icb_budget").values({ icb_code: "QMF", financial_year: 2026, amount_pence: 1, set_by: null }).execute(),
      ),
    ).toEqual({ QMF: true, QHM: false, england: true });
    // Nothing written: nothing moves.
    expect(await moved(() => db.updateTable("device").set({ model: "x" }).where("practice_code", "=", "NOPE").execute())).toEqual({
      QMF: false,
      QHM: false,
      england: false,
    });
  });

  it("a practice moving between ICBs moves both ICBs' stamps", async () => {
    const db = getDb();
    expect(await moved(() => db.updateTable("practice").set({ icb_code: "QHM" }).where("ods_code", "=", "F84013").execute())).toEqual({
      QMF: true,
      QHM: true,
      england: true,
    });
    expect(await moved(() => db.updateTable("practice").set({ icb_code: "QMF" }).where("ods_code", "=", "F84013").execute())).toEqual({
      QMF: true,
      QHM: true,
      england: true,
    });
  });

  it("national reference data (OS lifecycle, emission factors, the national price list) moves every ICB's stamp", async () => {
    const db = getDb();
    const everyone = { QMF: true, QHM: true, england: true };
    expect(
      await moved(() => db.updateTable("os_lifecycle").set({ notes: "checked" }).where("family", "=", "Windows 10").execute()),
    ).toEqual(everyone);
    expect(
      await moved(() =>
        db
          .insertInto("emission_factor")
          .values({
            key: "paper_sheet_kgco2e",
            value: 0.005,
            unit: "kgCO2e per sheet",
            source: "test",
            year: 2026,
            effective_from: "2026-11-01",
            created_by: null,
          })
          .execute(),
      ),
    ).toEqual(everyone);
    const price = {
      unit_kind: "laptop_replacement",
      basis: "each" as const,
      unit_cost_pence: 80_000,
      effective_from: "2026-02-01",
      source: "test",
      local_estimate: false,
      created_by: null,
    };
    expect(
      await moved(() =>
        db
          .insertInto("price_list_entry")
          .values({ ...price, icb_code: null })
          .execute(),
      ),
    ).toEqual(everyone);
  });

  it("a price change moves the stamps of figures that show money, and leaves the stamps without prices alone", async () => {
    const db = getDb();
    const both = async () => ({
      ...(await stamps()),
      plain: Object.fromEntries(await icbChangeStamps(db, ["QMF", "QHM"], { prices: false })),
      plainEngland: await englandChangeStamp(db, { prices: false }),
    });
    const movedBoth = async (change: () => Promise<unknown>) => {
      const before = await both();
      await change();
      const after = await both();
      return {
        withPrices: { QMF: before.QMF !== after.QMF, QHM: before.QHM !== after.QHM, england: before.england !== after.england },
        withoutPrices: {
          QMF: before.plain.QMF !== after.plain.QMF,
          QHM: before.plain.QHM !== after.plain.QHM,
          england: before.plainEngland !== after.plainEngland,
        },
      };
    };
    const price = {
      unit_kind: "desktop_replacement",
      basis: "each" as const,
      unit_cost_pence: 95_000,
      source: "test",
      local_estimate: true,
      created_by: null,
    };
    const none = { QMF: false, QHM: false, england: false };
    // One ICB's own price: that ICB's stamp with prices (and England's); nothing without.
    expect(
      await movedBoth(() =>
        db
          .insertInto("price_list_entry")
          .values({ ...price, icb_code: "QHM", effective_from: "2026-03-01" })
          .execute(),
      ),
    ).toEqual({ withPrices: { QMF: false, QHM: true, england: true }, withoutPrices: none });
    // The national price list: every ICB's stamp with prices; nothing without.
    expect(
      await movedBoth(() =>
        db
          .updateTable("price_list_entry")
          .set({ source: "test again" })
          .where("icb_code", "is", null)
          .where("unit_kind", "=", "laptop_replacement")
          .execute(),
      ),
    ).toEqual({ withPrices: { QMF: true, QHM: true, england: true }, withoutPrices: none });
    expect(
      await movedBoth(() => db.deleteFrom("price_list_entry").where("icb_code", "=", "QHM").where("source", "=", "test").execute()),
    ).toEqual({ withPrices: { QMF: false, QHM: true, england: true }, withoutPrices: none });
    // Any other change moves both, as before.
    expect(await movedBoth(() => addDevices(db, [desktopRow("F84003", { asset_tag: "STAMP-PRICE" })]))).toEqual({
      withPrices: { QMF: true, QHM: false, england: true },
      withoutPrices: { QMF: true, QHM: false, england: true },
    });
    expect(
      await movedBoth(() => db.updateTable("os_lifecycle").set({ notes: "checked again" }).where("family", "=", "Windows 10").execute()),
    ).toEqual({
      withPrices: { QMF: true, QHM: true, england: true },
      withoutPrices: { QMF: true, QHM: true, england: true },
    });
    // TRUNCATE carries no rows: every price list's stamp moves (inside a transaction undone after).
    const inside = await db
      .transaction()
      .execute(async (trx) => {
        const before = { QMF: await icbChangeStamp(trx, "QMF"), plain: await englandChangeStamp(trx, { prices: false }) };
        await sql`truncate price_list_entry`.execute(trx);
        const after = { QMF: await icbChangeStamp(trx, "QMF"), plain: await englandChangeStamp(trx, { prices: false }) };
        throw Object.assign(new Error("undo"), { seen: { QMF: before.QMF !== after.QMF, plain: before.plain !== after.plain } });
      })
      .catch((e: { seen?: unknown }) => e.seen);
    expect(inside).toEqual({ QMF: true, plain: false });
    expect(await db.selectFrom("price_list_entry").select("id").where("icb_code", "is", null).limit(1).execute()).toHaveLength(1);
  });

  it("folds its rows without changing the count of changes, so stamps stay a few rows to read", async () => {
    const db = getDb();
    const before = await icbChangeStamp(db, "QMF");
    const [sum] = before.split(":").map(Number);
    await sql`select icb_change_note(array['QMF']) from generate_series(1, 1200)`.execute(db);
    const after = await icbChangeStamp(db, "QMF");
    expect(Number(after.split(":")[0])).toBe(sum + 1200);
    const rows = await db
      .selectFrom("icb_change")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("icb_code", "=", "QMF")
      .executeTakeFirstOrThrow();
    // A fold runs whenever the id sequence crosses a multiple of 1,000, leaving one row per ICB;
    // so QMF holds at most that row plus the rows written since the last crossing (where the
    // sequence starts depends on what the fixture wrote before, hence read, not assumed).
    const last = await db
      .selectFrom("icb_change")
      .select((eb) => eb.fn.max("id").as("id"))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBeLessThanOrEqual((Number(last.id) % 1000) + 1);
    expect(Number(rows.n)).toBeLessThan(1200);
  });

  it("a cached value is recomputed after a change in its ICB, and kept after a change in another", async () => {
    clearDashboardCache();
    const db = getDb();
    expect((await getIcbDashboard(db, QMF, { all: true }, today)).forecast.cached).toBe(false);
    expect((await getIcbDashboard(db, QHM, { all: true }, today)).forecast.cached).toBe(false);
    expect((await getIcbDashboard(db, QMF, { all: true }, today)).forecast.cached).toBe(true);
    await addDevices(db, [desktopRow("A81001", { asset_tag: "STAMP-QHM" })]);
    expect((await getIcbDashboard(db, QMF, { all: true }, today)).forecast.cached).toBe(true);
    const qhm = await getIcbDashboard(db, QHM, { all: true }, today);
    expect(qhm.forecast.cached).toBe(false);
  });

  // Two processes: each has its own cache and its own connections; the stamp read from the
  // database is what they share. On PGlite (one connection, one process) the caches are separate
  // but the handle is shared.
  it("a value cached by one process is recomputed after a change made through another", async () => {
    const url = process.env.DATABASE_URL;
    const other = onPostgres
      ? createPostgresDb(
          `${url!.replace(/\/[^/]*$/, "")}/${(await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d}`,
          2,
        )
      : null;
    const second: Db = other?.db ?? getDb();
    try {
      const first = new PerIcbCache<number>();
      const count = async (db: Db) =>
        Number(
          (
            await db
              .selectFrom("device")
              .innerJoin("practice", "practice.ods_code", "device.practice_code")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("practice.icb_code", "=", "QMF")
              .executeTakeFirstOrThrow()
          ).n,
        );
      const load = async () => first.get("QMF", await icbChangeStamp(getDb(), "QMF"), () => count(getDb()));
      const a = await load();
      expect(a.cached).toBe(false);
      expect((await load()).cached).toBe(true);
      await addDevices(second, [desktopRow("F84013", { asset_tag: "OTHER-PROCESS" })]);
      const b = await load();
      expect(b.cached).toBe(false);
      expect(b.value).toBe(a.value + 1);
      // A change through the other process in QHM leaves this process's QMF value cached.
      await addDevices(second, [desktopRow("A81001", { asset_tag: "OTHER-PROCESS-QHM" })]);
      expect((await load()).cached).toBe(true);
    } finally {
      await other?.db.destroy();
    }
  });

  it.skipIf(!onPostgres)("a change whose transaction commits after a later one still moves the stamp", async () => {
    const url = process.env.DATABASE_URL!;
    const name = (await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d;
    const other = createPostgresDb(`${url.replace(/\/[^/]*$/, "")}/${name}`, 2);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inserted!: () => void;
      const started = new Promise<void>((r) => (inserted = r));
      // T1 takes the earlier id and stays open; T2 takes a later id and commits first.
      const t1 = other.db.transaction().execute(async (trx) => {
        await addDevices(trx, [desktopRow("F84003", { asset_tag: "LATE-COMMIT" })]);
        inserted();
        await held;
      });
      await started;
      await addDevices(getDb(), [desktopRow("F84013", { asset_tag: "EARLY-COMMIT" })]);
      const between = await icbChangeStamp(getDb(), "QMF");
      release();
      await t1;
      expect(await icbChangeStamp(getDb(), "QMF")).not.toBe(between);
    } finally {
      await other.db.destroy();
    }
  });
});
