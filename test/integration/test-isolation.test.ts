import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";

// Each test runs in a transaction of its own, rolled back after it (test/support/isolation.ts):
// these tests run in order and each checks that it sees the beforeAll rows and nothing an
// earlier test wrote.

const regions = async () => (await getDb().selectFrom("region").select("code").orderBy("code").execute()).map((r) => r.code);

let kept: ReturnType<typeof getDb>;

beforeAll(async () => {
  kept = getDb();
  await kept.insertInto("region").values({ code: "Y56", name: "London" }).execute();
});

describe("each test sees what beforeAll wrote, and nothing an earlier test wrote", () => {
  it("a test writes a row and sees it", async () => {
    await getDb().insertInto("region").values({ code: "Y63", name: "North East and Yorkshire" }).execute();
    await getDb().updateTable("region").set({ name: "Changed" }).where("code", "=", "Y56").execute();
    expect(await regions()).toEqual(["Y56", "Y63"]);
  });

  it("the next test sees the beforeAll row as it was, and not the earlier test's row", async () => {
    expect(await regions()).toEqual(["Y56"]);
    const row = await getDb().selectFrom("region").select("name").where("code", "=", "Y56").executeTakeFirstOrThrow();
    expect(row.name).toBe("London");
  });

  it("a committed app transaction is kept for the rest of the test only", async () => {
    await getDb()
      .transaction()
      .execute((trx) => trx.insertInto("region").values({ code: "Y58", name: "South West" }).execute());
    expect(await regions()).toEqual(["Y56", "Y58"]);
  });

  it("...and is gone in the next test", async () => {
    expect(await regions()).toEqual(["Y56"]);
  });
});

describe("the app's own transactions inside a test", () => {
  it("a rolled-back app transaction undoes only its own work", async () => {
    await getDb().insertInto("region").values({ code: "Y59", name: "South East" }).execute();
    const failed = getDb()
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("region").values({ code: "Y60", name: "Midlands" }).execute();
        throw new Error("changed my mind");
      });
    await expect(failed).rejects.toThrow("changed my mind");
    expect(await regions()).toEqual(["Y56", "Y59"]);
  });

  it("a failed statement undoes only itself: the test's transaction stays usable", async () => {
    await getDb().insertInto("region").values({ code: "Y61", name: "East of England" }).execute();
    await expect(getDb().insertInto("region").values({ code: "Y56", name: "Again" }).execute()).rejects.toThrow(/duplicate key/);
    const inTransaction = getDb()
      .transaction()
      .execute((trx) => trx.insertInto("region").values({ code: "Y61", name: "Again" }).execute());
    await expect(inTransaction).rejects.toThrow(/duplicate key/);
    expect(await regions()).toEqual(["Y56", "Y61"]);
  });

  it("transactions started at once take turns on the test's one connection, each keeping its own work", async () => {
    const add = (code: string) =>
      getDb()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto("region").values({ code, name: code }).execute();
          await sql`select pg_sleep(0.01)`.execute(trx);
          if (code === "Y99") throw new Error("one fails");
        });
    const results = await Promise.allSettled(["Y97", "Y98", "Y99"].map(add));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(await regions()).toEqual(["Y56", "Y97", "Y98"]);
  });
});

describe("a handle kept from outside the test", () => {
  it("is refused, so nothing a test writes can escape its transaction", async () => {
    await expect(kept.selectFrom("region").selectAll().execute()).rejects.toThrow(/call getDb\(\) inside the test/);
    expect(await regions()).toEqual(["Y56"]);
  });
});
