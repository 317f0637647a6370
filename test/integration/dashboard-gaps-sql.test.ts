import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { gapPart, gapPartFromCostedGaps } from "~/modules/dashboard/service.server";
import { loadCostedGaps, type GapQuery } from "~/modules/gaps/costed.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { seedEstate } from "~/modules/seed/estate.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { fortyPractices } from "../support/forty-practices";

// The ICB dashboard's gap figures are added up in SQL (issue 12). On a demo-like fixture (the
// demo generator's estate at 40 practices in two ICBs, so gaps of every domain, several financial
// years of deadline, one-off and annual costs), with an ICB's own prices beside the national
// ones, a local estimate and a per-patient price at practices with no list size (so gaps with no
// estimate, some with a priced part), the SQL path must give exactly what costing every gap in JavaScript gave.
const today = todayIso();
let codes: string[] = [];

beforeAll(async () => {
  const db = getDb();
  codes = await fortyPractices(db);
  // A few practices in the other ICB, one practice with no list size.
  await db
    .updateTable("practice")
    .set({ icb_code: "QHM", sub_icb_code: "16C", pcn_code: null })
    .where("ods_code", "in", codes.slice(0, 6))
    .execute();
  await db.updateTable("practice").set({ list_size: null }).where("ods_code", "=", codes[7]).execute();
  await seedEstate(db, codes, { seed: 11 });
  await ensureCatalogue(db);
  await ensureDefaultPrices(db);
  // QMF's own prices: one cheaper than the national default, one a local estimate; and one kind
  // of work with no price anywhere.
  const national = await db.selectFrom("price_list_entry").selectAll().where("icb_code", "is", null).orderBy("unit_kind").execute();
  const [first, second] = national.filter((p) => p.basis === "each");
  await db
    .insertInto("price_list_entry")
    .values([
      { ...pick(first), icb_code: "QMF", unit_cost_pence: Math.max(1, first.unit_cost_pence - 1234), local_estimate: false },
      { ...pick(second), icb_code: "QMF", unit_cost_pence: second.unit_cost_pence + 999, local_estimate: true },
    ])
    .execute();
  await evaluateScope(db, { practices: codes }, today, { threads: 0 });
  // A gap with two kinds of work at a QMF practice: price the second kind per 1,000 patients for
  // QMF and forget the practice's list size, so the gap has a priced part and no estimate.
  // (Deleting a national price would not last: the national defaults are put back on use.)
  const multi = await sql<{ kind: string; practice_code: string }>`
    select g.units -> 1 ->> 'kind' as kind, g.practice_code from gap g join practice p on p.ods_code = g.practice_code
    where p.icb_code = 'QMF' and jsonb_array_length(g.units) > 1
      and (g.units -> 0 ->> 'quantity')::numeric > 0 and (g.units -> 1 ->> 'quantity')::numeric > 0
      and g.units -> 0 ->> 'kind' <> g.units -> 1 ->> 'kind'
    order by g.id limit 1`.execute(db);
  expect(multi.rows).toHaveLength(1);
  const [{ kind, practice_code }] = multi.rows;
  const base = national.find((p) => p.unit_kind === kind)!;
  await db
    .insertInto("price_list_entry")
    .values({ ...pick(base), basis: "per_1000_patients", icb_code: "QMF", unit_cost_pence: 50_000, local_estimate: false })
    .execute();
  await db.updateTable("practice").set({ list_size: null }).where("ods_code", "=", practice_code).execute();
  // An ESU licence (sold for three years, the last bought in 2027/28) on one QMF gap: both paths
  // stop its annual cost after 2027/28 (pricing/annual-limits.ts).
  const esu = await sql<{ id: number }>`
    select g.id from gap g join practice p on p.ods_code = g.practice_code
    where p.icb_code = 'QMF' and g.status = 'open' and jsonb_array_length(g.units) = 1 and p.list_size is not null
    order by g.id limit 1`.execute(db);
  await db
    .updateTable("gap")
    .set({ units: JSON.stringify([{ kind: "esu_licence", quantity: 3 }]), deadline: "2026-12-20" })
    .where("id", "=", esu.rows[0].id)
    .execute();
}, 180_000);

function pick(p: {
  unit_kind: string;
  basis: "each" | "per_1000_patients";
  effective_from: string;
  vat_rate_percent: number;
  recurrence: "one_off" | "annual";
}) {
  return {
    unit_kind: p.unit_kind,
    basis: p.basis,
    effective_from: p.effective_from,
    vat_rate_percent: p.vat_rate_percent,
    recurrence: p.recurrence,
    source: "Test: the ICB's own price",
  };
}

async function both(query: GapQuery) {
  const db = getDb();
  const js = gapPartFromCostedGaps(await loadCostedGaps(db, query, today), today);
  const inSql = await gapPart(db, query, today);
  return { js, inSql };
}

describe("the dashboard's gap figures in SQL", () => {
  it("the fixture has what the figures distinguish", async () => {
    const { js } = await both({ scope: { all: true } });
    expect(js.gaps.total.gaps).toBeGreaterThan(100);
    expect(js.gaps.total.noEstimate).toBeGreaterThan(0);
    expect(js.gaps.total.partialPence).toBeGreaterThan(0);
    expect(js.gaps.total.highPriority).toBeGreaterThan(0);
    expect(js.gaps.total.vatPence).toBeGreaterThan(0);
    expect(js.localEstimateGaps).toBeGreaterThan(0);
    expect(js.gaps.byDomain.length).toBeGreaterThan(3);
    expect(js.gaps.byYear.length).toBeGreaterThan(1);
    expect(js.gaps.byYear.some((y) => y.recurringPence > 0)).toBe(true);
    expect(js.topGaps).toHaveLength(20);
    // …and a gap with an ESU line, whose annual cost stops after 2027/28.
    const qmf = await loadCostedGaps(getDb(), { scope: { all: true }, icb: "QMF" }, today);
    expect(qmf.some((g) => g.estimate.split.annualEnds?.[2027])).toBe(true);
  });

  for (const [label, query] of [
    ["one ICB (the dashboard's query)", { scope: { all: true }, icb: "QMF" }],
    ["the other ICB", { scope: { all: false, icbCodes: ["QHM"], practiceCodes: [] }, icb: "QHM" }],
    ["all of England", { scope: { all: true } }],
    ["one practice's scope", { scope: { all: false, icbCodes: [], practiceCodes: ["F84003"] } }],
    ["a scope that sees nothing", { scope: { all: false, icbCodes: [], practiceCodes: [] } }],
  ] as [string, GapQuery][]) {
    it(`${label}: totals, domains, years (inc VAT, annual costs recurring), top gaps and local estimates are identical`, async () => {
      const { js, inSql } = await both(query);
      expect(inSql).toEqual(js);
    });
  }

  it("stays identical after gaps move on (a status change, a closed gap)", async () => {
    const db = getDb();
    await sql`update gap set status = 'funding_requested' where id in (select id from gap where status = 'open' order by id limit 5)`.execute(
      db,
    );
    await sql`update gap set status = 'closed', closed_on = ${today} where id in (select id from gap where status = 'open' order by id desc limit 5)`.execute(
      db,
    );
    const { js, inSql } = await both({ scope: { all: true }, icb: "QMF" });
    expect(inSql).toEqual(js);
  });
});
