import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { isolatePerFile } from "../support/isolation";

// The opt-out: this file's tests share one database, as files that cannot run inside one
// connection's transaction do (see test/support/README.md).
isolatePerFile("proves the opt-out: the second test sees the first test's row");

describe("a file that opts out of per-test isolation", () => {
  it("a test writes a row", async () => {
    await getDb().insertInto("region").values({ code: "Y56", name: "London" }).execute();
  });

  it("the next test sees it (committed, as before per-test isolation)", async () => {
    expect(await getDb().selectFrom("region").select("code").execute()).toEqual([{ code: "Y56" }]);
  });
});
