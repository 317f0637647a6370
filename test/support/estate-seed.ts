import type { Db } from "#db/connect";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";

/**
 * The OS lifecycle rows from the reference file (app/modules/os-lifecycle/reference.ts). A
 * PostgreSQL test database is truncated after migrating; the sync puts Microsoft's dates back.
 */
export async function ensureLifecycleSeed(db: Db) {
  await syncLifecycleReference(db);
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
