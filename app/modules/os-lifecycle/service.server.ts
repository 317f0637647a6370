import type { Db } from "#db/connect";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { conflict, notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import * as repo from "./repository.server";
import type { OsLifecycleInput } from "./schema";
import { indexLifecycle } from "./support";

import { ensureLifecycleReference } from "./reference-sync.server";

/** The whole table, brought up to the reference file first (a cheap read when it already is). */
export async function listLifecycle(db: Db) {
  await ensureLifecycleReference(db);
  return repo.listLifecycle(db);
}

/** Load the lifecycle table once and index it for per-device look-ups. */
export async function loadLifecycleIndex(db: Db) {
  return indexLifecycle(await listLifecycle(db));
}

const duplicate = (i: OsLifecycleInput): FormFailure => ({
  ok: false,
  fieldErrors: { version: `There is already a row for ${i.family} ${i.edition} ${i.version}` },
});

const isKeyViolation = (e: unknown) =>
  (e as { code?: string; constraint?: string })?.code === "23505" && (e as { constraint?: string }).constraint === "os_lifecycle_key";

export async function getLifecyclePage(db: Db, id: number) {
  const row = await repo.findLifecycle(db, id);
  if (!row) throw notFound("operating system version");
  const history = await listAuditForEntity(db, "os_lifecycle", String(id));
  return { row, history };
}

export async function createLifecycle(db: Db, actorId: number, input: OsLifecycleInput): Promise<{ ok: true; id: number } | FormFailure> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (await repo.findLifecycleByKey(trx, input)) return duplicate(input);
      const row = await repo.insertLifecycle(trx, input);
      await recordAudit(trx, {
        userId: actorId,
        action: "os_lifecycle.create",
        entityType: "os_lifecycle",
        entityId: String(row.id),
        after: row,
      });
      return { ok: true as const, id: row.id };
    });
  } catch (e) {
    if (isKeyViolation(e)) return duplicate(input);
    throw e;
  }
}

export async function updateLifecycle(
  db: Db,
  actorId: number,
  id: number,
  versionNo: number,
  input: OsLifecycleInput,
): Promise<{ ok: true } | FormFailure> {
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await repo.findLifecycle(trx, id);
      if (!before) throw notFound("operating system version");
      const stale = conflict(
        "Someone else changed these support dates since you opened the page. Reload it to see their changes, then make yours again.",
      );
      if (before.version_no !== versionNo) throw stale;
      if (await repo.findLifecycleByKey(trx, input, id)) return duplicate(input);
      const after = await repo.updateLifecycle(trx, id, versionNo, input);
      if (!after) throw stale;
      await recordAudit(trx, {
        userId: actorId,
        action: "os_lifecycle.update",
        entityType: "os_lifecycle",
        entityId: String(id),
        before,
        after,
      });
      return { ok: true as const };
    });
  } catch (e) {
    if (isKeyViolation(e)) return duplicate(input);
    throw e;
  }
}
