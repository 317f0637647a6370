import { CompiledQuery, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { aggregateGaps } from "~/modules/gaps/repository.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import type { Scope } from "~/utils/permissions";
import { todayIso } from "~/utils/today";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";

// The register's totals are priced in SQL (repository.server.ts, gapSumsByLines) and must equal the
// JavaScript costing gap by gap. The demo fixture prices everything at the national defaults of
// one date, so these are the cases it cannot tell apart: an ICB's own price for a unit of a gap
// with several units, a closed gap priced on the day it closed although the price has risen
// since (for one unit and for several), a gap with a line no price list has (no estimate), and
// gaps whose lines are all of quantity 0: 0 when costed under another gap, else no estimate.
const ALL = ["open", "funding_requested", "funded", "in_delivery", "closed"] as const;
const CLOSED_ON = "2025-06-01";
type Units = { kind: string; quantity: number }[];
const picked: { icbPriced: number; closedOne: number; closedSeveral: number; kind: string } = {
  icbPriced: 0,
  closedOne: 0,
  closedSeveral: 0,
  kind: "",
};

/** A copy of the national price of `kind` for `icb` (null: national) from `from`, at `factor` times the cost and 5% VAT. */
async function addPrice(icb: string | null, kind: string, from: string, factor: number) {
  await sql`insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence)
    select ${icb}, unit_kind, basis, round(unit_cost_pence * ${factor}), ${from}::date, 'Test price', local_estimate, 5, finance, recurrence
    from price_list_entry where icb_code is null and unit_kind = ${kind} order by effective_from desc limit 1`.execute(getDb());
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  await seedGaps(db);
  await ensureDefaultPrices(db);
  const gaps = await db
    .selectFrom("gap as g")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .select(["g.id", "g.units", "p.icb_code"])
    .where("g.status", "=", "open")
    .orderBy("g.id")
    .execute();
  const national = new Set(
    (await db.selectFrom("price_list_entry").select("unit_kind").where("icb_code", "is", null).execute()).map((p) => p.unit_kind),
  );
  const positive = (g: (typeof gaps)[number]) => (g.units as Units).filter((u) => u.quantity > 0);
  const several = gaps.filter((g) => positive(g).length > 1);
  const icbPriced = several.find((g) => g.icb_code === "QMF")!;
  const closedOne = gaps.find((g) => g.id !== icbPriced.id && (g.units as Units).length === 1 && positive(g).length === 1)!;
  // The fixture has one gap with several units: give another two, to close it.
  const closedSeveral = gaps.find((g) => g.id !== icbPriced.id && g.id !== closedOne.id)!;
  const severalUnits: Units = [
    { kind: "desktop_replacement", quantity: 2 },
    { kind: "laptop_replacement", quantity: 1 },
  ];
  await db
    .updateTable("gap")
    .set({ units: JSON.stringify(severalUnits) })
    .where("id", "=", closedSeveral.id)
    .execute();
  closedSeveral.units = severalUnits;
  const others = gaps.filter((g) => ![icbPriced.id, closedOne.id, closedSeveral.id].includes(g.id)).slice(-3);
  const zero = severalUnits.map((u) => ({ ...u, quantity: 0 }));
  for (const [i, units] of [
    // A line no price list has: no estimate.
    [severalUnits[0], { kind: "no_such_kind", quantity: 1 }],
    // Every line of quantity 0 and costed under another gap: 0, priced or not.
    zero.concat({ kind: "no_such_kind", quantity: 0 }).map((u) => ({ ...u, costedUnder: "SEC-01" })),
    // Every line of quantity 0 and costed nowhere: no priced remedy, so no estimate.
    zero,
  ].entries())
    await db
      .updateTable("gap")
      .set({ units: JSON.stringify(units) })
      .where("id", "=", others[i]!.id)
      .execute();
  Object.assign(picked, {
    icbPriced: icbPriced.id,
    closedOne: closedOne.id,
    closedSeveral: closedSeveral.id,
    kind: positive(icbPriced).find((u) => national.has(u.kind))!.kind,
  });
  // QMF's own price for one unit of a gap with several units: twice the national one.
  await addPrice("QMF", picked.kind, "2025-05-01", 2);
  // Two gaps closed before every price of their units rose threefold.
  await db.updateTable("gap").set({ status: "closed", closed_on: CLOSED_ON }).where("id", "in", [closedOne.id, closedSeveral.id]).execute();
  const kinds = new Set([...positive(closedOne), ...positive(closedSeveral)].map((u) => u.kind));
  for (const kind of kinds) await addPrice(null, kind, "2025-09-01", 3);
  const added = await db.selectFrom("price_list_entry").select(["id", "icb_code"]).where("source", "=", "Test price").execute();
  icbPrices = new Set(added.filter((p) => p.icb_code === "QMF").map((p) => p.id));
  risenPrices = new Set(added.filter((p) => p.icb_code === null).map((p) => p.id));
  expect(icbPrices.size).toBe(1);
  expect(risenPrices.size).toBe(kinds.size);
}, 120_000);

/** The ids of the prices this file added for QMF, and of the national rises after the gaps closed. */
let icbPrices = new Set<number>();
let risenPrices = new Set<number>();

/** Per practice: the JavaScript costing's totals of the gaps in `scope`. */
async function expectedByPractice(scope: Scope) {
  const gaps = await loadCostedGaps(getDb(), { scope, statuses: ALL }, todayIso());
  const by = new Map<string, { gaps: number; estimatedPence: number; vatPence: number; noEstimate: number }>();
  for (const g of gaps) {
    const t = by.get(g.practiceCode) ?? { gaps: 0, estimatedPence: 0, vatPence: 0, noEstimate: 0 };
    t.gaps++;
    if (g.estimate.pence === null) t.noEstimate++;
    else {
      t.estimatedPence += g.estimate.pence;
      t.vatPence += g.estimate.vatPence ?? 0;
    }
    by.set(g.practiceCode, t);
  }
  return { gaps, by };
}

describe("the register's SQL pricing against the JavaScript costing", () => {
  for (const [name, scope] of [
    ["all of England", { all: true }],
    ["one ICB (QMF)", { all: false, icbCodes: ["QMF"], practiceCodes: [] }],
  ] as [string, Scope][]) {
    it(`${name}: every practice's gaps, cost, VAT and gaps with no estimate are the same, with an ICB's own price and closed gaps`, async () => {
      const { gaps, by } = await expectedByPractice(scope);
      // The cases are really there: the ICB's price and the closed-day prices change the estimates.
      const icbPriced = gaps.find((g) => g.id === picked.icbPriced);
      if (!scope.all) expect(icbPriced).toBeDefined();
      if (icbPriced) expect(icbPriced.estimate.lines.some((l) => icbPrices.has(l.priceId))).toBe(true);
      const rows = await aggregateGaps(getDb(), { scope, statuses: ALL }, "practice", todayIso());
      const groups = rows.filter((r) => !r.isTotal);
      expect(groups.length).toBe(by.size);
      for (const r of groups) {
        const want = by.get(r.code!);
        expect({
          practice: r.code,
          gaps: r.gaps,
          estimatedPence: r.estimatedPence,
          vatPence: r.vatPence,
          noEstimate: r.noEstimate,
        }).toEqual({
          practice: r.code,
          ...want,
        });
      }
    });
  }

  it("a closed gap is priced on the day it closed, not at today's price, in SQL as in JavaScript", async () => {
    const ids = [picked.closedOne, picked.closedSeveral];
    const gaps = await loadCostedGaps(getDb(), { scope: { all: true }, ids, statuses: ALL }, todayIso());
    expect(gaps.map((g) => g.status)).toEqual(["closed", "closed"]);
    // The JavaScript costing (the documented rule) prices them before the rise.
    for (const g of gaps) {
      expect(g.estimate.lines.length).toBeGreaterThan(0);
      expect(g.estimate.lines.some((l) => risenPrices.has(l.priceId))).toBe(false);
    }
    for (const code of new Set(gaps.map((g) => g.practiceCode))) {
      const scope: Scope = { all: false, icbCodes: [], practiceCodes: [code] };
      const rows = await aggregateGaps(getDb(), { scope, statuses: ["closed"] }, "none", todayIso());
      const closedHere = (await loadCostedGaps(getDb(), { scope, statuses: ["closed"] }, todayIso())).filter(
        (g) => g.estimate.pence !== null,
      );
      const total = rows.filter((r) => !r.isTotal).reduce((n, r) => n + r.estimatedPence, 0);
      expect(total).toBeGreaterThan(0);
      expect(total).toBe(closedHere.reduce((n, g) => n + g.estimate.pence!, 0));
    }
  });

  it("a closed gap takes the price in force on its closing day: one from that day, not from the day after; an ICB's own only from its first day", async () => {
    const db = getDb();
    /** Closes the gap on `day`; returns whether its JavaScript estimate used one of `prices`, after checking SQL's totals of its practice's closed gaps against JavaScript's. */
    const closeOn = async (id: number, day: string, prices: Set<number>) => {
      await db.updateTable("gap").set({ status: "closed", closed_on: day }).where("id", "=", id).execute();
      const [gap] = await loadCostedGaps(db, { scope: { all: true }, ids: [id], statuses: ALL }, todayIso());
      const scope: Scope = { all: false, icbCodes: [], practiceCodes: [gap!.practiceCode] };
      const closed = (await loadCostedGaps(db, { scope, statuses: ["closed"] }, todayIso())).filter((g) => g.estimate.pence !== null);
      const rows = (await aggregateGaps(db, { scope, statuses: ["closed"] }, "none", todayIso())).filter((r) => !r.isTotal);
      expect({
        estimated: rows.reduce((n, r) => n + r.estimatedPence, 0),
        vat: rows.reduce((n, r) => n + r.vatPence, 0),
      }).toEqual({
        estimated: closed.reduce((n, g) => n + g.estimate.pence!, 0),
        vat: closed.reduce((n, g) => n + (g.estimate.vatPence ?? 0), 0),
      });
      return gap!.estimate.lines.some((l) => prices.has(l.priceId));
    };
    try {
      // The national rise took effect on 1 September 2025.
      expect(await closeOn(picked.closedOne, "2025-09-01", risenPrices)).toBe(true);
      expect(await closeOn(picked.closedOne, "2025-08-31", risenPrices)).toBe(false);
      // QMF's own price took effect on 1 May 2025; before it, the national one.
      expect(await closeOn(picked.icbPriced, "2025-05-01", icbPrices)).toBe(true);
      expect(await closeOn(picked.icbPriced, "2025-04-30", icbPrices)).toBe(false);
    } finally {
      await db.updateTable("gap").set({ closed_on: CLOSED_ON }).where("id", "=", picked.closedOne).execute();
      await db.updateTable("gap").set({ status: "open", closed_on: null }).where("id", "=", picked.icbPriced).execute();
    }
  });

  it("the pricing statement never adds up the gaps again for each gap, even on tables with no statistics (PGlite, a table just loaded)", async () => {
    // Session 19: the lines of gaps with several units were once added up in a subquery joined back
    // by the gap's id. Without statistics (every PGlite database) the planner put that subquery on
    // the inner side of a nested loop, so it read and added up every gap once per gap: 62 s for the
    // demo's 5,822 gaps. No aggregate or window over the gap table may sit on a loop's inner side.
    const db = getDb();
    const executor = db.getExecutor();
    const execute = executor.executeQuery.bind(executor);
    let captured: CompiledQuery | null = null;
    executor.executeQuery = (async (q: CompiledQuery) => {
      if (q.sql.includes("per_practice")) captured = q;
      return execute(q);
    }) as typeof executor.executeQuery;
    try {
      // As an ICB's lead sees it (the demo's case): one ICB's practices, then their gaps.
      await aggregateGaps(db, { scope: { all: false, icbCodes: ["QMF"], practiceCodes: [] }, statuses: ALL }, "practice", todayIso());
    } finally {
      executor.executeQuery = execute;
    }
    expect(captured).not.toBeNull();
    const q = captured! as CompiledQuery;
    const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]));
    const raw = Object.values(rows[0])[0];
    type PlanNode = { "Node Type": string; "Relation Name"?: string; "Parent Relationship"?: string; Plans?: PlanNode[] };
    const root = (typeof raw === "string" ? JSON.parse(raw) : raw)[0].Plan as PlanNode;
    const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
    const offending: string[] = [];
    for (const loop of nodes(root).filter((n) => n["Node Type"] === "Nested Loop")) {
      const inner = (loop.Plans ?? []).find((c) => c["Parent Relationship"] === "Inner");
      if (!inner) continue;
      const under = nodes(inner);
      const readsGaps = under.some((n) => n["Relation Name"] === "gap");
      const addsUp = under.some((n) => ["Aggregate", "WindowAgg"].includes(n["Node Type"]));
      if (readsGaps && addsUp) offending.push(inner["Node Type"]);
    }
    expect(offending).toEqual([]);
  });
});
