import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cubesStored } from "~/modules/gaps/register-cache.server";
import { loader as gapRegister } from "~/routes/gaps._index";
import { loader as practiceGaps } from "~/routes/practices.$ods.gaps";
import { getDb } from "~/utils/db.server";
import { LARGE, SMALL, seedTwoSizes, statementsFor } from "./query-count.support";

// The gap register and a practice's gaps read a fixed number of statements (filter choices,
// gaps, prices) whether the ICB has 10 practices or 100: never one per practice or per gap.
let cookie: string;

beforeAll(async () => {
  cookie = await seedTwoSizes();
}, 180_000);

// The register keeps its cube in the database after answering: wait for it before the test's database goes.
afterEach(cubesStored);

const gapCount = async (icb: string) =>
  Number(
    (
      await getDb()
        .selectFrom("gap")
        .innerJoin("practice", "practice.ods_code", "gap.practice_code")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("practice.icb_code", "=", icb)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("statements per gap page load do not grow with scope", () => {
  it("gap register: an ICB of 10 practices and one of 100, grouped, sorted and on a later page", async () => {
    expect(await gapCount(LARGE.icb)).toBeGreaterThan(5 * (await gapCount(SMALL.icb)));
    const small = await statementsFor(gapRegister, `/gaps?icb=${SMALL.icb}`, {}, cookie);
    const large = await statementsFor(gapRegister, `/gaps?icb=${LARGE.icb}`, {}, cookie);
    const grouped = await statementsFor(gapRegister, `/gaps?icb=${LARGE.icb}&group=practice&sort=cost&page=3`, {}, cookie);
    const byPcn = await statementsFor(gapRegister, `/gaps?pcn=${LARGE.pcn}&group=domain&status=all`, {}, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(grouped).toBe(small);
    expect(byPcn).toBe(small);
    expect(small).toBeLessThanOrEqual(10);
  });

  it("a practice's gaps: a small practice and a large one", async () => {
    const small = await statementsFor(practiceGaps, `/practices/${SMALL.first}/gaps`, { ods: SMALL.first }, cookie);
    const large = await statementsFor(practiceGaps, `/practices/${LARGE.first}/gaps`, { ods: LARGE.first }, cookie);
    expect(small).toBeGreaterThan(1);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(8);
  });
});
