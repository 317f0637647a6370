import { beforeAll, describe, expect, it } from "vitest";
import { up } from "#db/migrations/2026-12-06T01-00-00_funding_request_vat";
import { splitRequestAmount, STANDARD_VAT_RATE } from "~/modules/funding/split";
import { vatOf } from "~/modules/pricing/money";
import * as requestList from "~/routes/funding-requests._index";
import { getDb } from "~/utils/db.server";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { seedFundingFixture } from "../support/funding-fixture";
import { call, cookieFor, get } from "../support/requests";

// Issue #13: requests made before VAT was worked out showed no inc-VAT figure until saved again.
// The migration fills their VAT in by the split's rule for a request with nothing priced
// recorded with it (the rule that already counted them wholly as revenue).
const rows = () => getDb().selectFrom("funding_request").select(["id", "amount_pence", "vat_pence"]).orderBy("id").execute();

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  const users = await createRoleUsers(db);
  // Requests 801-803 as made before the split: VAT not worked out. 802's amount has a VAT of
  // 0.4p and 803's of 0.6p, so rounding half up to the penny is seen both ways.
  await seedFundingFixture(db, users.icbLead);
  await db.updateTable("funding_request").set({ amount_pence: 123_457 }).where("id", "=", 802).execute();
  await db.updateTable("funding_request").set({ amount_pence: 123_458 }).where("id", "=", 803).execute();
  // One worked out on saving (a 0% line, say): the migration leaves it alone.
  await db
    .insertInto("funding_request")
    .values({
      id: 804,
      icb_code: "QMF",
      title: "Worked out on saving",
      financial_year: 2026,
      amount_pence: 50_000,
      amount_reason: null,
      justification: "Zero-rated",
      status: "submitted",
      created_by: null,
      vat_pence: 0,
    })
    .execute();
}, 120_000);

describe("funding requests made before VAT was worked out", () => {
  it("the list shows them as not worked out before the migration", async () => {
    expect((await rows()).filter((r) => r.vat_pence === null).map((r) => r.id)).toEqual([801, 802, 803]);
  });

  it("the migration gives each its VAT at the standard rate, as splitRequestAmount does with nothing priced, and leaves the others", async () => {
    await up(getDb());
    const after = await rows();
    for (const r of after.filter((x) => x.id !== 804)) {
      const amount = Number(r.amount_pence);
      expect(Number(r.vat_pence)).toBe(vatOf(amount, STANDARD_VAT_RATE));
      expect(Number(r.vat_pence)).toBe(splitRequestAmount(amount, []).vatPence);
    }
    expect(after.map((r) => [r.id, Number(r.vat_pence)])).toEqual([
      [801, 19_000],
      [802, 24_691],
      [803, 24_692],
      [804, 0],
    ]);
    // Run again: nothing changes.
    await up(getDb());
    expect(await rows()).toEqual(after);
  });

  it("the request list then shows every request's inc-VAT figure: none is left 'not worked out'", async () => {
    // Each test starts from the requests as beforeAll made them: the migration first, as above.
    await up(getDb());
    const cookie = await cookieFor("lead@test.nhs.test");
    const res = await call(requestList.loader, get("/funding-requests?status=all", cookie));
    expect(res.status).toBe(200);
    const data = res.data as {
      totals: { noVat: number; pence: number; vatPence: number }[];
      page: { rows: { id: number; vat_pence: number | null }[] };
    };
    expect(data.page.rows.map((r) => r.id).sort()).toEqual([801, 803, 804]);
    expect(data.page.rows.every((r) => r.vat_pence !== null)).toBe(true);
    expect(data.totals.reduce((n, t) => n + t.noVat, 0)).toBe(0);
    expect(data.totals.reduce((n, t) => n + t.vatPence, 0)).toBeGreaterThan(0);
  });
});
