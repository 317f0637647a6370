import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { analyseEmbedded } from "#db/statistics";
import { getDb, getDbHandle } from "~/utils/db.server";
import { seedOrgs } from "../support/factories";

// PGlite has no autovacuum: without `analyseEmbedded` its planner never has statistics (the demo's
// 65 s gap register in session 19 came from that). On PostgreSQL autovacuum does it, and the
// function leaves the database alone.
const statsOf = async (table: string) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from pg_stats where schemaname = 'public' and tablename = ${table}`.execute(getDb()))
      .rows[0].n,
  );

beforeAll(async () => {
  await seedOrgs(getDb());
});

describe("statistics for the embedded database's planner", () => {
  it("are gathered on PGlite, and PostgreSQL is left to autovacuum", async () => {
    const handle = getDbHandle();
    const before = await statsOf("practice");
    const ran = await analyseEmbedded(handle);
    expect(ran).toBe(handle.kind === "pglite");
    if (handle.kind === "pglite") {
      expect(before).toBe(0);
      expect(await statsOf("practice")).toBeGreaterThan(0);
    } else expect(await statsOf("practice")).toBe(before);
  });
});
