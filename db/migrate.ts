import { Migrator } from "kysely";
import type { Kysely } from "kysely";
import { migrationProvider } from "./migrations";

/** Runs every pending migration; throws (after logging) if one fails. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and typed Kysely<any>, not today's DB
export async function migrateToLatest(db: Kysely<any>, log: (line: string) => void = () => {}) {
  // Unordered: migrations written in parallel can land in either order, and a database that
  // already ran a later-named one must still accept an earlier-named newcomer.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    log(`${r.status === "Success" ? "migrated" : r.status.toLowerCase()}: ${r.migrationName}`);
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
