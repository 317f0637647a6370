import { sql } from "kysely";
import { expect, it } from "vitest";
import { createPgliteDb } from "#db/connect";

// PGlite's runtime reset process.exitCode to 0 on close, so failed commands on the embedded
// database exited 0 (dspt:import with a bad file, for one). db/connect.ts keeps the code.
it("closing the embedded database keeps the process's exit code", async () => {
  const before = process.exitCode;
  const h = createPgliteDb();
  await sql`select 1`.execute(h.db);
  process.exitCode = 7;
  let after: typeof process.exitCode;
  try {
    await h.db.destroy();
  } finally {
    after = process.exitCode;
    process.exitCode = before;
  }
  expect(after).toBe(7);
});
