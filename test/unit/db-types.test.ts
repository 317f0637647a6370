import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";

// The same assertions run on PGlite (npm test) and PostgreSQL (DATABASE_URL set): the type
// parsers must make both drivers return identical JS types.
describe("type parsers", () => {
  it("returns counts as numbers, dates as ISO strings and instants as Date", async () => {
    const r = await sql<{ n: number; d: string; t: Date }>`
      select count(*) as n, date '2024-03-31' as d, timestamptz '2024-03-31T00:30:00Z' as t
      from (values (1), (2)) v(x)`.execute(getDb());
    const row = r.rows[0];
    expect(row.n).toBe(2);
    expect(row.d).toBe("2024-03-31");
    expect(row.t).toBeInstanceOf(Date);
    expect(row.t.toISOString()).toBe("2024-03-31T00:30:00.000Z");
  });
});
