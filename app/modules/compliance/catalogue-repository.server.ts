import { sql, type Insertable } from "kysely";
import type { Db } from "#db/connect";
import type { FrameworkVersionTable, RequirementTable } from "#db/types";

/** Queries that keep the framework tables in step with the typed catalogue (catalogue.server.ts). */

export async function frameworkHash(db: Db, frameworkId: string) {
  return (await db.selectFrom("framework").select("content_hash").where("id", "=", frameworkId).executeTakeFirst())?.content_hash;
}

/** Writes the framework row with a placeholder hash (stampFramework sets the real one last). */
export async function upsertFramework(db: Db, f: { id: string; version: string; name: string; description: string }) {
  await db
    .insertInto("framework")
    .values({ ...f, content_hash: "syncing" })
    .onConflict((oc) => oc.column("id").doUpdateSet({ version: f.version, name: f.name, description: f.description }))
    .execute();
}

export async function upsertFrameworkVersions(db: Db, rows: Insertable<FrameworkVersionTable>[]) {
  await db
    .insertInto("framework_version")
    .values(rows)
    .onConflict((oc) =>
      oc.column("id").doUpdateSet((eb) => ({
        framework_id: eb.ref("excluded.framework_id"),
        sort_order: eb.ref("excluded.sort_order"),
        name: eb.ref("excluded.name"),
        effective_from: eb.ref("excluded.effective_from"),
        effective_from_unconfirmed: eb.ref("excluded.effective_from_unconfirmed"),
        effective_from_note: eb.ref("excluded.effective_from_note"),
        sources: eb.ref("excluded.sources"),
        note: eb.ref("excluded.note"),
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

export async function storedRequirements(db: Db) {
  return db.selectFrom("requirement").select(["id", "content_hash", "retired_at"]).execute();
}

/** Writes the requirements whole, bringing back any that were retired. */
export async function upsertRequirements(db: Db, rows: Insertable<RequirementTable>[]) {
  await db
    .insertInto("requirement")
    .values(rows)
    .onConflict((oc) =>
      oc.column("id").doUpdateSet((eb) => ({
        framework_id: eb.ref("excluded.framework_id"),
        sort_order: eb.ref("excluded.sort_order"),
        domain: eb.ref("excluded.domain"),
        category: eb.ref("excluded.category"),
        funder: eb.ref("excluded.funder"),
        evidence: eb.ref("excluded.evidence"),
        automatic: eb.ref("excluded.automatic"),
        title: eb.ref("excluded.title"),
        description: eb.ref("excluded.description"),
        sources: eb.ref("excluded.sources"),
        weight: eb.ref("excluded.weight"),
        applies_from: eb.ref("excluded.applies_from"),
        op_reading: eb.ref("excluded.op_reading"),
        introduced_in: eb.ref("excluded.introduced_in"),
        versions: eb.ref("excluded.versions"),
        content_hash: eb.ref("excluded.content_hash"),
        retired_at: null,
        updated_at: sql`now()`,
      })),
    )
    .execute();
}

export async function retireRequirements(db: Db, ids: string[]) {
  await db.updateTable("requirement").set({ retired_at: new Date(), updated_at: new Date() }).where("id", "in", ids).execute();
}

/** Records the catalogue as synced: the hash that tells the next sync there is nothing to do. */
export async function stampFramework(db: Db, frameworkId: string, contentHash: string) {
  await db.updateTable("framework").set({ content_hash: contentHash, synced_at: new Date() }).where("id", "=", frameworkId).execute();
}
