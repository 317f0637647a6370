import { createHash } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { extendedEnd, lifecycleKey, OS_LIFECYCLE_ROWS, OS_LIFECYCLE_VERSION, RETIRED_KEYS, type LifecycleReferenceRow } from "./reference";
import * as repo from "./repository.server";

/** The file's version plus a hash of its rows: a row changed without a version bump still syncs. */
export const LIFECYCLE_REFERENCE_STAMP = `${OS_LIFECYCLE_VERSION}#${createHash("sha256")
  .update(JSON.stringify([OS_LIFECYCLE_ROWS, RETIRED_KEYS]))
  .digest("hex")
  .slice(0, 12)}`;

export interface LifecycleSyncResult {
  inserted: number;
  updated: number;
  retired: number;
  /** Rows an admin has edited or created that differ from the file: left as the admin set them. */
  keptAdminRows: string[];
}

const valuesOf = (r: LifecycleReferenceRow): repo.ReferenceValues => ({
  family: r.family,
  edition: r.edition,
  version: r.version,
  build: r.build,
  mainstream_end: r.mainstream_end,
  end_of_support: r.end_of_support,
  extended_end: extendedEnd(r),
  esu_year_ends: [...r.esu_year_ends],
  source: r.source,
  notes: r.notes,
});
const COMPARED = ["build", "mainstream_end", "end_of_support", "extended_end", "esu_year_ends", "source", "notes"] as const;
const same = (a: Record<string, unknown>, b: repo.ReferenceValues) =>
  COMPARED.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));

/**
 * Brings `os_lifecycle` up to the typed reference file in one transaction, with an audit event
 * per row written (no user: the system). Rows the reference data owns are inserted, updated or
 * (for retired keys) deleted; a row an admin created or edited (reference_version null) is never
 * touched, and is listed in `keptAdminRows` when it differs from the file. Safe to repeat.
 */
export async function syncLifecycleReference(
  db: Db,
  rows: readonly LifecycleReferenceRow[] = OS_LIFECYCLE_ROWS,
  stamp = LIFECYCLE_REFERENCE_STAMP,
): Promise<LifecycleSyncResult> {
  // Inside a caller's transaction (an estate change re-checking compliance) the sync joins it.
  const inTransaction = <T>(fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  return inTransaction(async (trx) => {
    const stored = new Map((await repo.listLifecycleForSync(trx)).map((r) => [lifecycleKey(r), r]));
    const out: LifecycleSyncResult = { inserted: 0, updated: 0, retired: 0, keptAdminRows: [] };
    const audit: Parameters<typeof recordAudit>[1] & unknown[] = [];
    for (const r of rows) {
      const values = valuesOf(r);
      const cur = stored.get(lifecycleKey(r));
      if (!cur) {
        const after = await repo.insertReferenceRow(trx, values, stamp);
        if (after) {
          out.inserted++;
          audit.push({
            userId: null,
            action: "os_lifecycle.reference_insert",
            entityType: "os_lifecycle",
            entityId: String(after.id),
            after,
          });
        }
      } else if (same(cur, values)) {
        continue;
      } else if (cur.reference_version === null) {
        out.keptAdminRows.push(`${r.family} ${r.edition} ${r.version}`);
      } else {
        const after = await repo.updateReferenceRow(trx, cur.id, values, stamp);
        if (after) {
          out.updated++;
          audit.push({
            userId: null,
            action: "os_lifecycle.reference_update",
            entityType: "os_lifecycle",
            entityId: String(cur.id),
            before: cur,
            after,
          });
        }
      }
    }
    for (const k of RETIRED_KEYS) {
      const cur = stored.get(lifecycleKey(k));
      if (!cur) continue;
      if (cur.reference_version === null) {
        out.keptAdminRows.push(`${k.family} ${k.edition} ${k.version}`);
        continue;
      }
      const before = await repo.deleteReferenceRow(trx, cur.id);
      if (before) {
        out.retired++;
        audit.push({ userId: null, action: "os_lifecycle.reference_retire", entityType: "os_lifecycle", entityId: String(cur.id), before });
      }
    }
    await recordAudit(trx, audit);
    await repo.setReferenceVersion(trx, "os_lifecycle", stamp);
    return out;
  });
}

/** Syncs once per file version: a cheap read when the database is already up to date. */
export async function ensureLifecycleReference(db: Db): Promise<void> {
  if ((await repo.referenceVersionOf(db, "os_lifecycle")) === LIFECYCLE_REFERENCE_STAMP) return;
  await syncLifecycleReference(db);
}
