import { beforeAll, describe, expect, it } from "vitest";
import { clearDashboardCache, forgetDashboardFigures } from "~/modules/dashboard/service.server";
import { loader as dashboard } from "~/routes/icbs.$code_.dashboard";
import { loader as dashboardExport } from "~/routes/icbs.$code_.dashboard.export";
import { loader as report } from "~/routes/icbs.$code_.report";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb, getDbHandle, setDbHandle } from "~/utils/db.server";
import { call, get } from "../support/requests";
import { countingDb, LARGE, SMALL, seedTwoSizes, statementsFor } from "./query-count.support";

// Guard rail for national scale (issue 7): the ICB dashboard sends as many SQL statements for
// an ICB of 100 practices as for one of 10, whether its figures are reused or worked out again.
let cookie: string;

beforeAll(async () => {
  cookie = await seedTwoSizes();
  // The national default prices are written on first use; write them now so that first use
  // (which changes the price list, and so the dashboard's fingerprints) is not inside a count.
  await ensureDefaultPrices(getDb());
}, 180_000);

/**
 * Statements for one load with the caches emptied first: `nothing` kept anywhere (the cold path:
 * gaps costed, estate loaded in sets, figures stored for other processes), or this process's
 * memory only (a new server process, reading the figures another one kept in the database).
 */
async function coldStatements(code: string, kept: "nothing" | "in the database" = "nothing") {
  const original = getDbHandle();
  const { db, counter } = countingDb(original.db);
  if (kept === "nothing") await forgetDashboardFigures(original.db);
  else clearDashboardCache();
  setDbHandle({ ...original, db });
  try {
    const r = await call(dashboard, get(`/icbs/${code}/dashboard`, cookie), { code });
    expect(r.status).toBe(200);
    expect(r.data.forecast.cached).toBe(kept !== "nothing");
  } finally {
    setDbHandle(original);
  }
  if (process.env.QUERY_COUNT_DEBUG) console.log(`cold /icbs/${code}/dashboard`, counter.n);
  return counter.n;
}

describe("statements per dashboard load do not grow with the ICB", () => {
  it("dashboard, figures reused: 10 practices and 100", async () => {
    const small = await statementsFor(dashboard, `/icbs/${SMALL.icb}/dashboard`, { code: SMALL.icb }, cookie);
    const large = await statementsFor(dashboard, `/icbs/${LARGE.icb}/dashboard`, { code: LARGE.icb }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    // Nothing changed since the last load: sign-in, the ICB and the change stamp.
    expect(small).toBeLessThanOrEqual(6);
  });

  it("dashboard, figures worked out again: 10 practices and 100", async () => {
    const small = await coldStatements(SMALL.icb);
    const large = await coldStatements(LARGE.icb);
    expect(large).toBe(small);
    expect(small).toBeGreaterThan(10);
    // Besides the figures' own statements: the forecast shares and the ICB's figures looked for in
    // the database and stored there (4), and the gap totals, the top 20's ids and their rows in SQL.
    expect(small).toBeLessThanOrEqual(35);
  });

  it("dashboard in a new server process, figures kept in the database: 10 practices and 100", async () => {
    // Each worked out from nothing by one "process" (which forgets every kept figure first), then loaded by the next.
    await coldStatements(SMALL.icb);
    const small = await coldStatements(SMALL.icb, "in the database");
    await coldStatements(LARGE.icb);
    const large = await coldStatements(LARGE.icb, "in the database");
    expect(large).toBe(small);
    // Sign-in, the ICB, its stamp and the kept figures: no gap, estate or trend read.
    expect(small).toBeLessThanOrEqual(8);
  });

  it("report pack and XLSX export: 10 practices and 100", async () => {
    const small = await statementsFor(report, `/icbs/${SMALL.icb}/report`, { code: SMALL.icb }, cookie);
    const large = await statementsFor(report, `/icbs/${LARGE.icb}/report`, { code: LARGE.icb }, cookie);
    expect(large).toBe(small);
    const xSmall = await statementsFor(dashboardExport, `/icbs/${SMALL.icb}/dashboard/export?format=xlsx`, { code: SMALL.icb }, cookie);
    const xLarge = await statementsFor(dashboardExport, `/icbs/${LARGE.icb}/dashboard/export?format=xlsx`, { code: LARGE.icb }, cookie);
    expect(xLarge).toBe(xSmall);
  });
});
