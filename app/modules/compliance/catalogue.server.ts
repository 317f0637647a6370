import { createHash } from "node:crypto";
import type { Db } from "#db/connect";
import { FRAMEWORK, FRAMEWORK_VERSIONS, REQUIREMENTS, type Requirement } from "~/modules/catalogue";
import * as repo from "./catalogue-repository.server";

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
  if ((await repo.frameworkHash(db, FRAMEWORK.id)) === CATALOGUE_HASH) return { changed: false, written: 0, retired: 0 };

  // The framework row first (requirements reference it) with a placeholder hash, set for real last,
  // so an interrupted sync is repeated next time.
  await repo.upsertFramework(db, {
    id: FRAMEWORK.id,
    version: FRAMEWORK.version,
    name: FRAMEWORK.name,
    description: FRAMEWORK.description,
  });

  // The versions are two rows: written whole each time the catalogue changes.
  await repo.upsertFrameworkVersions(
    db,
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
  );

  const stored = new Map((await repo.storedRequirements(db)).map((r) => [r.id, r]));
  const rows = REQUIREMENTS.map((r, i) => {
    const row = rowOf(r, i);
    return { ...row, content_hash: hash(row) };
  });
  const changed = rows.filter((r) => stored.get(r.id)?.content_hash !== r.content_hash || stored.get(r.id)?.retired_at);
  if (changed.length) {
    await repo.upsertRequirements(
      db,
      changed.map((r) => ({ ...r, sources: JSON.stringify(r.sources), versions: JSON.stringify(r.versions), retired_at: null })),
    );
  }
  const ids = new Set(rows.map((r) => r.id));
  const gone = [...stored.values()].filter((r) => !ids.has(r.id) && !r.retired_at).map((r) => r.id);
  if (gone.length) await repo.retireRequirements(db, gone);
  await repo.stampFramework(db, FRAMEWORK.id, CATALOGUE_HASH);
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
