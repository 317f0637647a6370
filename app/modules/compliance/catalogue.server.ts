import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "#db/connect";
import { FRAMEWORK, FRAMEWORK_VERSIONS, REQUIREMENTS, type Requirement } from "~/modules/catalogue";

const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");

const rowOf = (r: Requirement, index: number) => ({
  id: r.id,
  framework_id: FRAMEWORK.id,
  sort_order: index + 1,
  domain: r.domain,
  category: r.category,
  funder: r.funder,
  evidence: r.evidence,
  automatic: r.automatic,
  title: r.title,
  description: r.description,
  sources: r.sources,
  weight: r.weight,
  applies_from: r.appliesFrom ?? null,
  op_reading: r.opReading ?? false,
  introduced_in: r.introducedIn,
  versions: r.versions,
});

/** Hash of the whole typed catalogue: when the database holds the same, there is nothing to sync. */
export const CATALOGUE_HASH = hash({ FRAMEWORK, FRAMEWORK_VERSIONS, REQUIREMENTS });

/**
 * Makes the `framework` and `requirement` tables match the typed catalogue in the code. The
 * migration creates the tables; this writes the rows, so rewording a requirement needs no new
 * migration. Only changed requirements are written; requirements dropped from the code are
 * marked retired (their results stay as history). Safe to run at any time and concurrently.
 */
export async function syncCatalogue(db: Db): Promise<{ changed: boolean; written: number; retired: number }> {
  const current = await db.selectFrom("framework").select("content_hash").where("id", "=", FRAMEWORK.id).executeTakeFirst();
  if (current?.content_hash === CATALOGUE_HASH) return { changed: false, written: 0, retired: 0 };

  // The framework row first (requirements reference it) with a placeholder hash, set for real last,
  // so an interrupted sync is repeated next time.
  await db
    .insertInto("framework")
    .values({
      id: FRAMEWORK.id,
      version: FRAMEWORK.version,
      name: FRAMEWORK.name,
      description: FRAMEWORK.description,
      content_hash: "syncing",
    })
    .onConflict((oc) =>
      oc.column("id").doUpdateSet({ version: FRAMEWORK.version, name: FRAMEWORK.name, description: FRAMEWORK.description }),
    )
    .execute();

  // The versions are two rows: written whole each time the catalogue changes.
  await db
    .insertInto("framework_version")
    .values(
      FRAMEWORK_VERSIONS.map((v, i) => ({
        id: v.id,
        framework_id: FRAMEWORK.id,
        sort_order: i + 1,
        name: v.name,
        effective_from: v.effectiveFrom,
        effective_from_unconfirmed: v.effectiveFromUnconfirmed,
        effective_from_note: v.effectiveFromNote,
        sources: JSON.stringify(v.sources),
        note: v.note,
      })),
    )
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

  const stored = new Map((await db.selectFrom("requirement").select(["id", "content_hash", "retired_at"]).execute()).map((r) => [r.id, r]));
  const rows = REQUIREMENTS.map((r, i) => {
    const row = rowOf(r, i);
    return { ...row, content_hash: hash(row) };
  });
  const changed = rows.filter((r) => stored.get(r.id)?.content_hash !== r.content_hash || stored.get(r.id)?.retired_at);
  if (changed.length) {
    await db
      .insertInto("requirement")
      .values(changed.map((r) => ({ ...r, sources: JSON.stringify(r.sources), versions: JSON.stringify(r.versions), retired_at: null })))
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
  const ids = new Set(rows.map((r) => r.id));
  const gone = [...stored.values()].filter((r) => !ids.has(r.id) && !r.retired_at).map((r) => r.id);
  if (gone.length)
    await db.updateTable("requirement").set({ retired_at: new Date(), updated_at: new Date() }).where("id", "in", gone).execute();
  await db.updateTable("framework").set({ content_hash: CATALOGUE_HASH, synced_at: new Date() }).where("id", "=", FRAMEWORK.id).execute();
  return { changed: true, written: changed.length, retired: gone.length };
}

const synced = new WeakSet<object>();

/**
 * `syncCatalogue` at most once per database handle (one cheap check inside a transaction), so
 * the services can rely on the requirement rows whatever entry point started the process.
 */
export async function ensureCatalogue(db: Db) {
  if (synced.has(db)) return;
  await syncCatalogue(db);
  if (!db.isTransaction) synced.add(db);
}
