import { beforeAll, describe, expect, it } from "vitest";
import { loader as icbCompliance } from "~/routes/icbs.$code_.compliance._index";
import { loader as practiceCompliance } from "~/routes/practices.$ods.compliance._index";
import { clearIcbSummaryCache } from "~/modules/compliance/icb-view.server";
import { LARGE, SMALL, seedTwoSizes, statementsFor } from "./query-count.support";

// The compliance pages stand in for the ICB dashboard until it exists: their statement count
// must be the same for an ICB of 10 practices and one of 100, and for a practice with ten
// times the devices.
let cookie: string;

beforeAll(async () => {
  cookie = await seedTwoSizes();
}, 120_000);

describe("statements per compliance page load do not grow with scope", () => {
  it("ICB compliance page: 10 practices and 100, first page and a later page", async () => {
    // Cold loads: the ICB's summary worked out afresh.
    const small = await statementsFor(icbCompliance, `/icbs/${SMALL.icb}/compliance`, { code: SMALL.icb }, cookie, clearIcbSummaryCache);
    const large = await statementsFor(icbCompliance, `/icbs/${LARGE.icb}/compliance`, { code: LARGE.icb }, cookie, clearIcbSummaryCache);
    const later = await statementsFor(
      icbCompliance,
      `/icbs/${LARGE.icb}/compliance?page=3&sort=score`,
      { code: LARGE.icb },
      cookie,
      clearIcbSummaryCache,
    );
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(later).toBe(small);
    expect(small).toBeLessThanOrEqual(15);
    // A warm load reuses the summary: the statuses read and PCN names are not sent again.
    const warm = await statementsFor(icbCompliance, `/icbs/${LARGE.icb}/compliance?page=2`, { code: LARGE.icb }, cookie);
    expect(warm).toBeLessThanOrEqual(small - 2);
  });

  it("practice compliance page: about 30 devices and about 300", async () => {
    const small = await statementsFor(practiceCompliance, `/practices/${SMALL.first}/compliance`, { ods: SMALL.first }, cookie);
    const large = await statementsFor(practiceCompliance, `/practices/${LARGE.first}/compliance`, { ods: LARGE.first }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(25);
  });
});
