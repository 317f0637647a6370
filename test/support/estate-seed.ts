import type { Db } from "#db/connect";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { createUser, seedOrgs } from "./factories";

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

/**
 * What the Intune "All devices" fixture (fixtures/intune-all-devices.csv) needs beyond the shared
 * organisations: the OS lifecycle, and the one site of Stamford Hill Group Practice (F84013),
 * whose devices the file lists.
 */
export async function seedIntuneFixture(db: Db) {
  await syncLifecycleReference(db);
  await db
    .insertInto("site")
    .values({
      code: "F84013",
      practice_code: "F84013",
      kind: "main",
      name: "Stamford Hill Group Practice",
      address: null,
      postcode: null,
      phone: null,
      open_date: null,
      close_date: null,
    })
    .execute();
}

/**
 * The shared organisations (factories.ts) with their sites and the OS lifecycle, and one QMF
 * delivery partner to make estate changes as. Returns that user's id.
 */
export async function seedEstateWithPartner(db: Db, email: string): Promise<number> {
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  return createUser(db, { email, memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
}
