import { sql, type KyselyPlugin } from "kysely";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { GapQuery } from "~/modules/gaps/costed.server";
import { GAP_GROUPS, parseGapFilters, type GapGroup } from "~/modules/gaps/register";
import { clearGapRegisterCache, cubesStored, registerCache } from "~/modules/gaps/register-cache.server";
import { getGapRegister } from "~/modules/gaps/register.server";
import { packCube, unpackCube } from "~/modules/gaps/register-cube";
import { aggregateGaps, CUBE_END_YEARS, type GroupAggregate } from "~/modules/gaps/repository.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import type { Scope } from "~/utils/permissions";
import { addDays, todayIso } from "~/utils/today";
import { seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";

// The register's totals for a scope of whole ICBs (or all of England) are added up from a cube kept
// per ICB (register-cube.ts); for any other scope, and as the statement of the rule, by one SQL
// statement per grouping (aggregateGaps). The two must give the same rows for every grouping and
// every filter, including the cases a cube could get wrong: a practice in no ICB and with no list
// size (the part "in no ICB", unknown patients), closed gaps (the cube's second half, priced on the
// day they closed), an ICB's own price, patients counted once per practice when the open and the
// closed halves both hold it, and a change in one ICB after the cube was kept.
const ALL = ["open", "funding_requested", "funded", "in_delivery", "closed"] as const;
const ENGLAND: Scope = { all: true };
const QMF: Scope = { all: false, icbCodes: ["QMF"], practiceCodes: [] };

/** Rows in a stable order, so two lists of the same groups compare equal. */
const sorted = (rows: GroupAggregate[]) =>
  [...rows].sort(
    (a, b) =>
      Number(a.isTotal) - Number(b.isTotal) || String(a.code).localeCompare(String(b.code)) || String(a.name).localeCompare(String(b.name)),
  );

async function expectSame(query: GapQuery, by: GapGroup) {
  const today = todayIso();
  const fromCube = await (await registerCache(getDb(), query, today)).aggregate(by);
  const fromSql = await aggregateGaps(getDb(), query, by, today);
  expect(sorted(fromCube), `${by} ${JSON.stringify({ ...query, scope: undefined })}`).toEqual(sorted(fromSql));
  return fromCube;
}

/** One open gap of a practice. */
const openGapOf = (practice: string) =>
  getDb().selectFrom("gap").select("id").where("practice_code", "=", practice).where("status", "=", "open").executeTakeFirstOrThrow();

let domain = "";
let year = 0;

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedGaps(db);
  await ensureDefaultPrices(db);
  // A practice in no ICB and with no list size, with a copy of F84013's gaps.
  await sql`insert into practice (ods_code, name, address, postcode, region_code, icb_code, sub_icb_code, pcn_code, status, prescribing_setting, open_date, list_size, list_size_date)
    select 'Y99999', 'NO ICB SURGERY', address, postcode, null, null, null, null, status, prescribing_setting, open_date, null, null from practice where ods_code = 'F84013'`.execute(
    db,
  );
  await sql`insert into gap (practice_code, requirement_id, status, result_status, reason, units, first_seen, deadline, deadline_basis)
    select 'Y99999', requirement_id, status, result_status, reason, units, first_seen, deadline, deadline_basis from gap where practice_code = 'F84013'`.execute(
    db,
  );
  // Closed gaps (one a practice's only gap of its domain), one gap funded, and an ICB's own price,
  // at another VAT rate, for a unit its open gaps use.
  const gaps = await db.selectFrom("gap").select(["id", "practice_code", "units"]).orderBy("id").execute();
  const closing = gaps
    .filter((g) => g.practice_code === "F84003")
    .slice(0, 3)
    .map((g) => g.id);
  await db.updateTable("gap").set({ status: "closed", closed_on: "2025-06-01" }).where("id", "in", closing).execute();
  await db
    .updateTable("gap")
    .set({ status: "funded" })
    .where("id", "=", gaps.find((g) => g.practice_code === "A81001")!.id)
    .execute();
  await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
    select 'QMF', unit_kind, basis, unit_cost_pence * 2, '2025-05-01', 'Test price', local_estimate, 5, finance, recurrence
    from price_list_entry where icb_code is null and unit_kind = 'laptop_purchase' order by effective_from desc limit 1`.execute(db);
  // Lines the cube prices one by one: a gap with a line no price list has (no estimate), and one
  // whose lines are all of quantity 0 (work costed under another gap: 0, priced or not).
  const lines = gaps.filter((g) => g.practice_code === "F84013");
  const unitsOf = [
    [
      { kind: "desktop_replacement", quantity: 2 },
      { kind: "no_such_kind", quantity: 1 },
    ],
    [
      { kind: "desktop_replacement", quantity: 0, costedUnder: "SEC-01" },
      { kind: "no_such_kind", quantity: 0, costedUnder: "SEC-01" },
    ],
  ];
  for (const [i, units] of unitsOf.entries())
    await db
      .updateTable("gap")
      .set({ units: JSON.stringify(units) })
      .where("id", "=", lines[i]!.id)
      .execute();
  const some = await db
    .selectFrom("gap as g")
    .innerJoin("requirement as r", "r.id", "g.requirement_id")
    .select(["r.domain", sql<number>`extract(year from g.deadline)::int`.as("y"), sql<number>`extract(month from g.deadline)::int`.as("m")])
    .where("g.practice_code", "=", "F84013")
    .executeTakeFirstOrThrow();
  domain = some.domain;
  year = some.m < 4 ? some.y - 1 : some.y;
});

beforeEach(() => clearGapRegisterCache());
// Cubes are stored after a load has answered: let that finish before the test's database goes.
afterEach(() => cubesStored());

describe("the register's cube gives the figures of the SQL statement", () => {
  const groups = Object.keys(GAP_GROUPS) as GapGroup[];

  it.each(groups)("all of England grouped by %s: open gaps, all gaps, closed gaps", async (by) => {
    const open = await expectSame({ scope: ENGLAND }, by);
    await expectSame({ scope: ENGLAND, statuses: ALL }, by);
    await expectSame({ scope: ENGLAND, statuses: ["closed"] }, by);
    // The practice in no ICB is in the figures, with its patients unknown.
    expect(open.find((r) => r.isTotal)!.unknownListSizes).toBeGreaterThan(0);
  });

  it.each(groups)("one ICB's lead, grouped by %s, with each filter", async (by) => {
    await expectSame({ scope: QMF, statuses: ALL }, by);
    await expectSame({ scope: QMF, pcn: "U05451" }, by);
    await expectSame({ scope: QMF, practice: "F84003", statuses: ALL }, by);
    await expectSame({ scope: QMF, domain: domain as GapQuery["domain"] }, by);
    await expectSame({ scope: QMF, funder: "practice", statuses: ALL }, by);
    await expectSame({ scope: QMF, category: "core_mandated" }, by);
    await expectSame({ scope: QMF, financialYear: year, statuses: ALL }, by);
    await expectSame({ scope: ENGLAND, icb: "QHM", statuses: ["funded"] }, by);
    await expectSame({ scope: ENGLAND, subIcb: "A3A8R" }, by);
  });

  it("counts a practice's patients once when its open and closed gaps are in one group", async () => {
    const rows = await expectSame({ scope: ENGLAND, statuses: ALL, practice: "F84003" }, "none");
    expect(rows.find((r) => !r.isTotal)!.patients).toBe(11_000);
    expect(rows.find((r) => r.isTotal)!.patients).toBe(11_000);
  });

  it("reads the practices once for the open and the closed half priced at once", async () => {
    const db = getDb();
    const compiled: string[] = [];
    const recording: KyselyPlugin = {
      transformQuery: (args) => (compiled.push(db.getExecutor().compileQuery(args.node, args.queryId).sql), args.node),
      transformResult: async (args) => args.result,
    };
    const rows = await (await registerCache(db.withPlugin(recording), { scope: ENGLAND, statuses: ALL }, todayIso())).aggregate("icb");
    expect(sorted(rows)).toEqual(sorted(await aggregateGaps(db, { scope: ENGLAND, statuses: ALL }, "icb", todayIso())));
    const practiceReads = compiled.filter((q) => /"p"\."list_size" from "practice" as "p"/.test(q));
    expect(practiceReads).toHaveLength(1);
  });

  it("adds up again the part of an ICB that changed, and only when it changed", async () => {
    const db = getDb();
    const before = await expectSame({ scope: ENGLAND, statuses: ALL }, "icb");
    // A change in QHM (a gap closed there): the next load reads QHM's part again.
    const gap = await openGapOf("A81001");
    await db.updateTable("gap").set({ status: "closed", closed_on: todayIso() }).where("id", "=", gap.id).execute();
    const after = await expectSame({ scope: ENGLAND, statuses: ALL }, "icb");
    const open = await expectSame({ scope: ENGLAND }, "icb");
    const qhm = (rows: GroupAggregate[]) => rows.find((r) => r.code === "QHM")!;
    expect(qhm(after).gaps).toBe(qhm(before).gaps);
    expect(qhm(open).gaps).toBe(qhm(before).gaps - 1);
    await db.updateTable("gap").set({ status: "open", closed_on: null }).where("id", "=", gap.id).execute();
    await expectSame({ scope: ENGLAND }, "icb");
  });
});

describe("the cube kept in the database for other processes", () => {
  const keptCubes = () =>
    getDb().selectFrom("kept_figure").select(["owner", "key", "value"]).where("kind", "=", "gap_cube").orderBy("owner").execute();

  it("is stored after a first load and read by a process that has nothing kept (a restart), never under another stamp", async () => {
    const db = getDb();
    const query: GapQuery = { scope: ENGLAND, statuses: ALL };
    const first = await expectSame(query, "icb");
    await cubesStored();
    // Both halves of QMF, QHM and the part in no ICB.
    expect((await keptCubes()).map((k) => k.owner)).toEqual(["closed|", "closed|QHM", "closed|QMF", "open|", "open|QHM", "open|QMF"]);
    // A process started now reads QHM's open half from the database: alter the kept copy to see it read.
    await sql`update kept_figure set value = jsonb_set(value, '{p,0,7,0,5}', '1000') where kind = 'gap_cube' and owner = 'open|QHM'`.execute(
      db,
    );
    clearGapRegisterCache();
    const read = await (await registerCache(db, query, todayIso())).aggregate("icb");
    const qhm = (rows: GroupAggregate[]) => rows.find((r) => r.code === "QHM")!;
    expect(qhm(read).gaps).toBeGreaterThan(qhm(first).gaps);
    // After a change in QHM the kept copy's stamp is old: it is priced again, and kept anew.
    const gap = await openGapOf("A81001");
    await db.updateTable("gap").set({ reason: "Changed" }).where("id", "=", gap.id).execute();
    clearGapRegisterCache();
    expect(qhm(await expectSame(query, "icb")).gaps).toBe(qhm(first).gaps);
    await cubesStored();
    const kept = (await keptCubes()).find((k) => k.owner === "open|QHM")!;
    clearGapRegisterCache();
    expect(qhm(await expectSame(query, "icb")).gaps).toBe(qhm(first).gaps);
    expect((await keptCubes()).find((k) => k.owner === "open|QHM")!.key).toBe(kept.key);
  });

  it("reads back what it packs, and nothing from another version", async () => {
    await expectSame({ scope: ENGLAND, statuses: ALL }, "none");
    await cubesStored();
    const kept = await keptCubes();
    for (const k of kept) {
      const practices = unpackCube(k.value, CUBE_END_YEARS.length)!;
      expect(practices).not.toBeNull();
      expect(packCube(practices)).toEqual(k.value);
    }
    expect(unpackCube({ v: 0, p: [] }, CUBE_END_YEARS.length)).toBeNull();
    expect(unpackCube(null, CUBE_END_YEARS.length)).toBeNull();
  });
});

describe("a change to a price list", () => {
  /** Every national price, to put back after. */
  const nationalPrices = () =>
    getDb().selectFrom("price_list_entry").select(["id", "unit_cost_pence"]).where("icb_code", "is", null).orderBy("id").execute();
  const putBack = async (prices: { id: number; unit_cost_pence: number }[]) => {
    for (const p of prices)
      await getDb().updateTable("price_list_entry").set({ unit_cost_pence: p.unit_cost_pence }).where("id", "=", p.id).execute();
  };
  /** A change to the national price list: every price times `by`. */
  /** An open gap with a line of quantity above 0 that the national price list prices, and that line's kind. */
  const openGapWithNationalPrice = async () => {
    const { rows } = await sql<{ id: number; kind: string }>`
      select g.id, u->>'kind' as kind from gap g cross join jsonb_array_elements(g.units) u
      where g.closed_on is null and (u->>'quantity')::numeric > 0
        and exists (select 1 from price_list_entry e where e.icb_code is null and e.unit_kind = u->>'kind')
      order by g.id limit 1`.execute(getDb());
    return rows[0]!;
  };
  /**
   * Loads the register's totals of `query` grouped by ICB on `day`, checks them against the SQL
   * statement, and counts the cube statements each half sent.
   */
  const halvesPriced = async (query: GapQuery, day: string) => {
    const db = getDb();
    const sent: { sql: string; parameters: readonly unknown[] }[] = [];
    const recording: KyselyPlugin = {
      transformQuery: (args) => (sent.push(db.getExecutor().compileQuery(args.node, args.queryId)), args.node),
      transformResult: async (args) => args.result,
    };
    const rows = await (await registerCache(db.withPlugin(recording), query, day)).aggregate("icb");
    expect(sorted(rows)).toEqual(sorted(await aggregateGaps(db, query, "icb", day)));
    await cubesStored();
    const cubes = sent.filter((q) => q.sql.includes("json_build_array"));
    const closed = cubes.filter((q) => q.parameters.includes("closed")).length;
    return { open: cubes.length - closed, closed };
  };
  const scalePrices = (by: number) =>
    getDb()
      .updateTable("price_list_entry")
      .set((eb) => ({ unit_cost_pence: sql<number>`${eb.ref("unit_cost_pence")} * ${by}` }))
      .where("icb_code", "is", null)
      .execute();

  it("prices the gaps again without reading the practices again, and reads them again when a practice changes", async () => {
    const db = getDb();
    const today = todayIso();
    const compiled: string[] = [];
    const recording: KyselyPlugin = {
      transformQuery: (args) => (compiled.push(db.getExecutor().compileQuery(args.node, args.queryId).sql), args.node),
      transformResult: async (args) => args.result,
    };
    const reads = () => ({
      practices: compiled.filter((q) => /"p"\."list_size" from "practice" as "p"/.test(q)).length,
      cubes: compiled.filter((q) => /json_agg\("practice_code"\)/.test(q)).length,
    });
    const load = async () => {
      const rows = await (await registerCache(db.withPlugin(recording), { scope: ENGLAND }, today)).aggregate("icb");
      expect(sorted(rows)).toEqual(sorted(await aggregateGaps(db, { scope: ENGLAND }, "icb", today)));
      return rows;
    };
    // Nothing kept in the database either: the first load prices the gaps and reads the practices.
    await db.deleteFrom("kept_figure").where("kind", "=", "gap_cube").execute();
    const before = await load();
    expect(reads()).toEqual({ practices: 1, cubes: 2 });
    const prices = await nationalPrices();
    const { list_size: listSize } = await db
      .selectFrom("practice")
      .select("list_size")
      .where("ods_code", "=", "F84003")
      .executeTakeFirstOrThrow();
    try {
      // Every open gap priced again (all of England: two slices), the practices kept.
      await scalePrices(2);
      const doubled = await load();
      expect(reads()).toEqual({ practices: 1, cubes: 4 });
      const total = (rows: GroupAggregate[]) => rows.filter((r) => !r.isTotal).reduce((sum, r) => sum + r.estimatedPence, 0);
      expect(total(doubled)).toBeGreaterThan(total(before));
      // A practice's list size moves its ICB's stamp without prices: its part's practices are read again.
      await db.updateTable("practice").set({ list_size: 20_000 }).where("ods_code", "=", "F84003").execute();
      const grown = await load();
      expect(reads().practices).toBe(2);
      const qmf = (rows: GroupAggregate[]) => rows.find((r) => r.code === "QMF")!;
      expect(qmf(grown).patients).toBe(qmf(doubled).patients + 20_000 - listSize!);
    } finally {
      await putBack(prices);
      await db.updateTable("practice").set({ list_size: listSize }).where("ods_code", "=", "F84003").execute();
    }
  });

  it("keeps what no price decides (kept without prices), and works out again what one does", async () => {
    const db = getDb();
    const today = todayIso();
    const plain = vi.fn(async () => "rows and choices");
    const money = vi.fn(async () => "rows in cost order");
    const load = async () => {
      const cache = await registerCache(db, { scope: ENGLAND }, today);
      await cache.whole("plain", plain, { prices: false });
      await cache.whole("money", money);
    };
    await load();
    await load();
    expect([plain.mock.calls.length, money.mock.calls.length]).toEqual([1, 1]);
    const prices = await nationalPrices();
    try {
      await scalePrices(2);
      await load();
      expect([plain.mock.calls.length, money.mock.calls.length]).toEqual([1, 2]);
      // An ICB's own price list too.
      await db.updateTable("price_list_entry").set({ source: "Test price, checked" }).where("icb_code", "=", "QMF").execute();
      await load();
      expect([plain.mock.calls.length, money.mock.calls.length]).toEqual([1, 3]);
    } finally {
      await putBack(prices);
    }
    await load();
    expect([plain.mock.calls.length, money.mock.calls.length]).toEqual([1, 4]);
    // Any other change works out both again.
    const gap = await openGapOf("A81001");
    await db.updateTable("gap").set({ reason: "Changed for the price test" }).where("id", "=", gap.id).execute();
    await load();
    expect([plain.mock.calls.length, money.mock.calls.length]).toEqual([2, 5]);
    await cubesStored();
  });

  it("prices each half again only when a price it is priced at changes: not for a later price, another column or a new day", async () => {
    const db = getDb();
    const today = todayIso();
    const query: GapQuery = { scope: ENGLAND, statuses: ALL };
    /** Loads the register's totals of every gap, checks them against the SQL statement, and counts each half's cube statements. */
    const load = (day = today) => halvesPriced(query, day);
    const closedPence = async () =>
      (await aggregateGaps(db, { scope: ENGLAND, statuses: ["closed"] }, "none", today))
        .filter((r) => !r.isTotal)
        .reduce((sum, r) => sum + r.estimatedPence, 0);
    // Nothing kept in the database from earlier tests' prices: each change below is priced here.
    await db.deleteFrom("kept_figure").where("kind", "=", "gap_cube").execute();
    await load();
    expect(await load()).toEqual({ open: 0, closed: 0 });
    // Every price list entry as it is, to put back after.
    const lists = await db.selectFrom("price_list_entry").select(["id", "unit_cost_pence", "source"]).execute();
    const before = await closedPence();
    try {
      // A national price from tomorrow (a price list for a later date): no gap closed on a day it covers.
      await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
        select null, unit_kind, basis, unit_cost_pence * 10, ${addDays(today, 1)}::date, 'Test price from tomorrow', local_estimate, vat_rate_percent, finance, recurrence
        from price_list_entry where icb_code is null and unit_kind = 'laptop_purchase' order by effective_from desc limit 1`.execute(db);
      expect(await load()).toEqual({ open: 0, closed: 0 });
      // A column the pricing does not read.
      await db
        .updateTable("price_list_entry")
        .set({ source: "Checked again" })
        .where(
          "id",
          "in",
          lists.map((p) => p.id),
        )
        .execute();
      expect(await load()).toEqual({ open: 0, closed: 0 });
      // Every national price in force: both halves are priced again, at the new prices.
      await scalePrices(2);
      const priced = await load();
      expect(priced.open).toBeGreaterThan(0);
      expect(priced.closed).toBeGreaterThan(0);
      const doubled = await closedPence();
      expect(doubled).toBeGreaterThan(before);
      // An ICB's own price in force by today: that ICB's closed gaps alone (one statement, its part).
      // Their figures are held to the SQL statement's by every load.
      await db
        .updateTable("price_list_entry")
        .set((eb) => ({ unit_cost_pence: sql<number>`${eb.ref("unit_cost_pence")} * 3` }))
        .where("icb_code", "=", "QMF")
        .execute();
      expect(await load()).toEqual({ open: 1, closed: 1 });
    } finally {
      await db
        .deleteFrom("price_list_entry")
        .where(
          "id",
          "not in",
          lists.map((p) => p.id),
        )
        .execute();
      for (const p of lists)
        await db
          .updateTable("price_list_entry")
          .set({ unit_cost_pence: p.unit_cost_pence, source: p.source })
          .where("id", "=", p.id)
          .execute();
    }
    // Back as before: the closed gaps at the prices they had.
    await load();
    expect(await closedPence()).toBe(before);
    // A new day prices no gap again while no price takes effect on it: both halves are kept, in
    // this process and for another (nothing kept in memory, read from the database).
    expect(await load(addDays(today, 1))).toEqual({ open: 0, closed: 0 });
    clearGapRegisterCache();
    expect(await load(addDays(today, 2))).toEqual({ open: 0, closed: 0 });
    // A national price that takes effect in three days, for a kind of work open gaps need: the open
    // gaps are priced again on that day and not before (each load is held to the SQL statement's
    // figures for its day).
    const { kind } = await openGapWithNationalPrice();
    const openTotal = async (day: string) =>
      (await aggregateGaps(db, { scope: ENGLAND }, "none", day)).filter((r) => !r.isTotal).reduce((sum, r) => sum + r.estimatedPence, 0);
    try {
      await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
        select null, unit_kind, basis, unit_cost_pence * 10 + 100, ${addDays(today, 3)}::date, 'Test price in three days', local_estimate, vat_rate_percent, finance, recurrence
        from price_list_entry where icb_code is null and unit_kind = ${kind} order by effective_from desc limit 1`.execute(db);
      expect(await load(addDays(today, 2))).toEqual({ open: 0, closed: 0 });
      expect(await load(addDays(today, 3))).toMatchObject({ open: 2 });
      expect(await openTotal(addDays(today, 3))).toBeGreaterThan(await openTotal(addDays(today, 2)));
    } finally {
      await db.deleteFrom("price_list_entry").where("source", "=", "Test price in three days").execute();
    }
  });

  it("prices a gap closed after today (an ODS succession dated ahead) again when a price from before its closing day comes", async () => {
    const db = getDb();
    const today = todayIso();
    const query: GapQuery = { scope: ENGLAND, statuses: ["closed"] };
    const expectCubeAsSql = async () => {
      const rows = await (await registerCache(db, query, today)).aggregate("none");
      expect(sorted(rows)).toEqual(sorted(await aggregateGaps(db, query, "none", today)));
      await cubesStored();
      return rows.filter((r) => !r.isTotal).reduce((sum, r) => sum + r.estimatedPence, 0);
    };
    // An open gap with a line the national price list prices, closed ten days from now.
    const gap = await openGapWithNationalPrice();
    await db
      .updateTable("gap")
      .set({ status: "closed", closed_on: addDays(today, 10) })
      .where("id", "=", gap.id)
      .execute();
    try {
      const before = await expectCubeAsSql();
      // A national price for that line from five days ahead: in force on the gap's closing day.
      await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
        select null, unit_kind, basis, unit_cost_pence * 10 + 100, ${addDays(today, 5)}::date, 'Test price before a closing day', local_estimate, vat_rate_percent, finance, recurrence
        from price_list_entry where icb_code is null and unit_kind = ${gap.kind} order by effective_from desc limit 1`.execute(db);
      expect(await expectCubeAsSql()).toBeGreaterThan(before);
    } finally {
      await db.deleteFrom("price_list_entry").where("source", "=", "Test price before a closing day").execute();
      await db.updateTable("gap").set({ status: "open", closed_on: null }).where("id", "=", gap.id).execute();
    }
  });

  it("adds up no closed half at a price change while no gap has closed, and does once one has", async () => {
    const db = getDb();
    const today = todayIso();
    const query: GapQuery = { scope: ENGLAND, statuses: ALL };
    const load = () => halvesPriced(query, today);
    // Every closed gap open again for this test (a service where none has closed yet).
    const closedGaps = await db.selectFrom("gap").select(["id", "status", "closed_on"]).where("closed_on", "is not", null).execute();
    expect(closedGaps.length).toBeGreaterThan(0);
    const prices = await nationalPrices();
    await db
      .updateTable("gap")
      .set({ status: "open", closed_on: null })
      .where(
        "id",
        "in",
        closedGaps.map((g) => g.id),
      )
      .execute();
    try {
      await load();
      expect(await load()).toEqual({ open: 0, closed: 0 });
      // A change to every national price in force: the open gaps alone are priced again (all of
      // England: two slices); the closed half has no gap, whatever the prices.
      await scalePrices(2);
      expect(await load()).toEqual({ open: 2, closed: 0 });
      // One gap closes: its part's open half is added up again, and the prices in force by its
      // closing day now decide every part's closed half (added up once, all of England), so from
      // now on a price change prices the closed half too.
      const [first] = closedGaps;
      await db.updateTable("gap").set({ status: first!.status, closed_on: first!.closed_on }).where("id", "=", first!.id).execute();
      expect(await load()).toEqual({ open: 1, closed: 2 });
      await scalePrices(3);
      expect(await load()).toEqual({ open: 2, closed: 2 });
    } finally {
      await putBack(prices);
      for (const g of closedGaps)
        await db.updateTable("gap").set({ status: g.status, closed_on: g.closed_on }).where("id", "=", g.id).execute();
    }
  });

  it("a price version from today prices the closed half again only once a gap has closed on or after today", async () => {
    const db = getDb();
    const today = todayIso();
    const query: GapQuery = { scope: ENGLAND, statuses: ALL };
    const load = () => halvesPriced(query, today);
    // Every gap closed before today (an earlier test may have closed one today: put back after).
    const lately = await db.selectFrom("gap").select(["id", "closed_on"]).where("closed_on", ">=", today).execute();
    await db
      .updateTable("gap")
      .set({ closed_on: addDays(today, -1) })
      .where("closed_on", ">=", today)
      .execute();
    const gap = await openGapWithNationalPrice();
    try {
      await load();
      expect(await load()).toEqual({ open: 0, closed: 0 });
      // A new national version from today (the price form adds versions, never edits one): every
      // open gap is priced again, and no closed gap, as none closed on a day it covers.
      await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
        select null, unit_kind, basis, unit_cost_pence * 10 + 100, ${today}::date, 'Test price from today', local_estimate, vat_rate_percent, finance, recurrence
        from price_list_entry where icb_code is null and unit_kind = ${gap.kind} order by effective_from desc limit 1`.execute(db);
      expect(await load()).toEqual({ open: 2, closed: 0 });
      // A gap closes today: the version now decides a closed gap's price, so the closed half is
      // priced again (all of England), and the gap's part's open half.
      await db.updateTable("gap").set({ status: "closed", closed_on: today }).where("id", "=", gap.id).execute();
      expect(await load()).toEqual({ open: 1, closed: 2 });
    } finally {
      await db.deleteFrom("price_list_entry").where("source", "=", "Test price from today").execute();
      await db.updateTable("gap").set({ status: "open", closed_on: null }).where("id", "=", gap.id).execute();
      for (const g of lately) await db.updateTable("gap").set({ closed_on: g.closed_on }).where("id", "=", g.id).execute();
    }
  });

  it("the register shows the new price in its totals, its page's gaps and its cost order, from the rows it kept", async () => {
    const db = getDb();
    const today = todayIso();
    const register = (qs: string) =>
      getGapRegister(db, { scope: ENGLAND, fundingScope: ENGLAND, parsed: parseGapFilters(new URLSearchParams(qs)), page: 1, today });
    const before = await register("");
    const byCostBefore = await register("sort=cost");
    const prices = await nationalPrices();
    try {
      await scalePrices(3);
      const after = await register("");
      const byCost = await register("sort=cost");
      // Totals priced again: the same as the one SQL statement's, and higher.
      // (The total row carries patients alone: its money is the sum of the rows.)
      const fresh = await aggregateGaps(db, { scope: ENGLAND }, "none", today);
      const freshPence = fresh.filter((r) => !r.isTotal).reduce((sum, r) => sum + r.estimatedPence, 0);
      expect(after.summary.total.estimatedPence).toBe(freshPence);
      expect(after.summary.total.estimatedPence).toBeGreaterThan(before.summary.total.estimatedPence);
      // The same gaps on the page, each priced at the new price.
      expect(after.page.rows.map((r) => r.id)).toEqual(before.page.rows.map((r) => r.id));
      const uncached = (() => {
        clearGapRegisterCache();
        return register("");
      })();
      expect(after.page.rows).toEqual((await uncached).page.rows);
      expect(after.page.rows.some((r, i) => r.estimatePence !== before.page.rows[i]!.estimatePence)).toBe(true);
      // The cost order is worked out again at the new price.
      clearGapRegisterCache();
      expect(byCost.page.rows).toEqual((await register("sort=cost")).page.rows);
      expect(byCost.page.rows.map((r) => r.estimatePence)).not.toEqual(byCostBefore.page.rows.map((r) => r.estimatePence));
      // Kept across the price change: the page's rows, the filter choices and the practices. A change
      // to national data no price decides (the OS lifecycle) prices every gap again as well, and
      // reads those again too: the choices' statement, the page's two (its rows, then the page as
      // shown) and the practices'.
      const statements = async (change: () => Promise<unknown>) => {
        // Nothing kept, in memory or in the database: this load prices the gaps and reads the practices.
        clearGapRegisterCache();
        await db.deleteFrom("kept_figure").where("kind", "=", "gap_cube").execute();
        await register("");
        await cubesStored();
        await change();
        const counter = { n: 0 };
        const counting: KyselyPlugin = {
          transformQuery: (args) => (counter.n++, args.node),
          transformResult: async (args) => args.result,
        };
        await getGapRegister(db.withPlugin(counting), {
          scope: ENGLAND,
          fundingScope: ENGLAND,
          parsed: parseGapFilters(new URLSearchParams("")),
          page: 1,
          today,
        });
        return counter.n;
      };
      const afterPrice = await statements(() => scalePrices(2));
      const afterOther = await statements(() =>
        db.updateTable("os_lifecycle").set({ notes: "checked" }).where("family", "=", "Windows 10").execute(),
      );
      expect(afterOther - afterPrice).toBe(4);
    } finally {
      await putBack(prices);
      await cubesStored();
    }
  });
});
