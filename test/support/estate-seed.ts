import type { Db } from "#db/connect";
import { up as seedLifecycle } from "#db/migrations/2026-11-21T23-10-00_os_lifecycle_seed";

/**
 * The OS lifecycle rows the migration seeds. A PostgreSQL test database is truncated after
 * migrating, so tests that need Microsoft's dates put them back with the migration itself.
 */
export async function ensureLifecycleSeed(db: Db) {
  const { n } = await db.selectFrom("os_lifecycle").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  if (Number(n) === 0) await seedLifecycle(db);
}

/** A main site and a branch for each test practice (seedOrgs adds none). */
export async function seedSites(db: Db) {
  const base = { address: null, postcode: null, phone: null, open_date: null, close_date: null };
  await db
    .insertInto("site")
    .values([
      { ...base, code: "F84003", practice_code: "F84003", kind: "main", name: "Lower Clapton Health Centre" },
      { ...base, code: "FA1001", practice_code: "F84003", kind: "branch", name: "Clapton Branch" },
      { ...base, code: "F84013", practice_code: "F84013", kind: "main", name: "Stamford Hill Surgery" },
      { ...base, code: "A81001", practice_code: "A81001", kind: "main", name: "Lawson Street Health Centre" },
    ])
    .execute();
}
