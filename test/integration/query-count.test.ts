import { beforeAll, describe, expect, it } from "vitest";
import { loader as icbPage } from "~/routes/icbs.$code";
import { loader as pcnPage } from "~/routes/pcns.$code";
import { loader as practicePage } from "~/routes/practices.$ods._index";
import { loader as deviceList } from "~/routes/practices.$ods.devices._index";
import { loader as estateDevices } from "~/routes/estate.devices._index";
import { deviceCount, LARGE, SMALL, seedTwoSizes, statementsFor } from "./query-count.support";

// Guard rail for national scale: the SQL statements a page sends must not grow with the number
// of practices or devices it covers (no query per row). Each page is loaded for a scope ten
// times larger and must send exactly as many statements.
let cookie: string;

beforeAll(async () => {
  cookie = await seedTwoSizes();
  expect(await deviceCount(LARGE.first)).toBeGreaterThan(8 * (await deviceCount(SMALL.first)));
}, 120_000);

describe("statements per page load do not grow with scope", () => {
  it("ICB page: 10 practices and 100 practices", async () => {
    const small = await statementsFor(icbPage, `/icbs/${SMALL.icb}`, { code: SMALL.icb }, cookie);
    const large = await statementsFor(icbPage, `/icbs/${LARGE.icb}`, { code: LARGE.icb }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });

  it("PCN page: 10 member practices and 100", async () => {
    const small = await statementsFor(pcnPage, `/pcns/${SMALL.pcn}`, { code: SMALL.pcn }, cookie);
    const large = await statementsFor(pcnPage, `/pcns/${LARGE.pcn}`, { code: LARGE.pcn }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });

  it("practice overview: a practice with about 30 devices and one with about 300", async () => {
    const small = await statementsFor(practicePage, `/practices/${SMALL.first}`, { ods: SMALL.first }, cookie);
    const large = await statementsFor(practicePage, `/practices/${LARGE.first}`, { ods: LARGE.first }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(15);
  });

  it("practice device list, first and last page: about 30 devices and about 300", async () => {
    const small = await statementsFor(deviceList, `/practices/${SMALL.first}/devices`, { ods: SMALL.first }, cookie);
    const large = await statementsFor(deviceList, `/practices/${LARGE.first}/devices`, { ods: LARGE.first }, cookie);
    const deep = await statementsFor(
      deviceList,
      `/practices/${LARGE.first}/devices?sort=warranty_end&page=10`,
      { ods: LARGE.first },
      cookie,
    );
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(deep).toBe(small);
    expect(small).toBeLessThanOrEqual(12);
  });

  it("device list across a scope: 10 practices' devices and 100 practices', first and a deep page", async () => {
    const small = await statementsFor(estateDevices, `/estate/devices?icb=${SMALL.icb}&sort=warranty_end`, {}, cookie);
    const large = await statementsFor(estateDevices, `/estate/devices?icb=${LARGE.icb}&sort=warranty_end`, {}, cookie);
    const deep = await statementsFor(estateDevices, `/estate/devices?icb=${LARGE.icb}&sort=warranty_end&page=100`, {}, cookie);
    const all = await statementsFor(estateDevices, `/estate/devices?type=desktop&sort=purchase_date&dir=desc&page=3`, {}, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(deep).toBe(small);
    expect(all).toBe(small);
    expect(small).toBeLessThanOrEqual(8);
  });
});
