import type { Db } from "#db/connect";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import type { TelephonyType } from "#db/types";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { conflict, notFound } from "~/utils/errors";
import * as repo from "./repository.server";
import { TELEPHONY_COLUMNS, TELEPHONY_TYPES, type TelephonyEditInput, type TelephonyInput, type TelephonyReplaceInput } from "./schema";

/**
 * Telephony is one register per practice: its events are filed under the practice code, so the
 * page's history also covers systems that were later deleted.
 */
export const TELEPHONY_ENTITY = "telephony";

const CHANGED_MESSAGE =
  "Someone else changed this practice's telephony since you opened this page, so nothing was saved. Reload the page to see their changes, then make yours again.";

const isCurrentKeyViolation = (e: unknown) =>
  (e as { code?: string })?.code === "23505" &&
  String((e as { constraint?: string; message?: string }).constraint ?? (e as Error).message).includes("telephony_current_key");

/** A row as the audit trail keeps it: the facts, without bookkeeping timestamps. */
function auditable(row: repo.TelephonyRow) {
  const { created_at: _c, updated_at: _u, practice_code: _p, ...rest } = row;
  return rest;
}

/** History rows with the type shown as people read it ("Cloud-based", not "cloud"). */
function readable(value: unknown) {
  if (!value || typeof value !== "object") return value;
  const v = value as Record<string, unknown>;
  return typeof v.system_type === "string" ? { ...v, system_type: TELEPHONY_TYPES[v.system_type as TelephonyType] ?? v.system_type } : v;
}

export async function getTelephonyPage(db: Db, practiceCode: string) {
  const [current, past, sites, history] = await Promise.all([
    repo.findCurrent(db, practiceCode),
    repo.listPast(db, practiceCode),
    repo.listSiteAnalogueLines(db, practiceCode),
    listAuditForEntity(db, TELEPHONY_ENTITY, practiceCode),
  ]);
  return {
    current: current ?? null,
    past,
    sites,
    history: history.map((e) => ({ ...e, before: readable(e.before), after: readable(e.after) })),
  };
}

export async function getCurrentSystem(db: Db, practiceCode: string) {
  const current = await repo.findCurrent(db, practiceCode);
  if (!current) throw notFound("current telephony system");
  return current;
}

export async function getPastSystem(db: Db, practiceCode: string, id: number) {
  const row = await repo.findById(db, practiceCode, id);
  if (!row || row.is_current) throw notFound("past telephony system");
  return row;
}

/** Records the practice's first (current) system. */
export async function createFirstSystem(db: Db, actorId: number, practiceCode: string, input: TelephonyInput) {
  try {
    return await db.transaction().execute(async (trx) => {
      if (await repo.findCurrent(trx, practiceCode)) {
        throw conflict("This practice already has a current telephony system. Edit it, or replace it with a new one.");
      }
      const created = await repo.insertCurrent(trx, practiceCode, input);
      await recordAudit(trx, {
        userId: actorId,
        action: "telephony.create",
        entityType: TELEPHONY_ENTITY,
        entityId: practiceCode,
        after: auditable(created),
      });
      await reevaluateAfterChange(trx, practiceCode, actorId);
      return created;
    });
  } catch (e) {
    // Two people adding at once: the partial unique index lets only one current system in.
    if (isCurrentKeyViolation(e))
      throw conflict("Someone else has just recorded this practice's telephony system. Reload the page to see it.");
    throw e;
  }
}

export async function updateCurrentSystem(db: Db, actorId: number, practiceCode: string, input: TelephonyEditInput) {
  const { version, ...facts } = input;
  return db.transaction().execute(async (trx) => {
    const before = await repo.findCurrent(trx, practiceCode);
    if (!before) throw conflict(CHANGED_MESSAGE);
    const after = await repo.updateCurrent(trx, practiceCode, before.id, version, facts);
    if (!after) throw conflict(CHANGED_MESSAGE);
    await recordAudit(trx, {
      userId: actorId,
      action: "telephony.update",
      entityType: TELEPHONY_ENTITY,
      entityId: practiceCode,
      before: auditable(before),
      after: auditable(after),
    });
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return after;
  });
}

/**
 * Ends the current system on the given date and records the new one as current, in one
 * transaction: the old system stays in the history as a past record.
 */
export async function replaceSystem(db: Db, actorId: number, practiceCode: string, input: TelephonyReplaceInput) {
  const { version, ended_on, ...facts } = input;
  try {
    return await db.transaction().execute(async (trx) => {
      const old = await repo.findCurrent(trx, practiceCode);
      if (!old) throw conflict(CHANGED_MESSAGE);
      const ended = await repo.endCurrent(trx, practiceCode, old.id, version, ended_on!);
      if (!ended) throw conflict(CHANGED_MESSAGE);
      const created = await repo.insertCurrent(trx, practiceCode, facts);
      await recordAudit(trx, [
        {
          userId: actorId,
          action: "telephony.end",
          entityType: TELEPHONY_ENTITY,
          entityId: practiceCode,
          before: auditable(old),
          after: auditable(ended),
        },
        { userId: actorId, action: "telephony.create", entityType: TELEPHONY_ENTITY, entityId: practiceCode, after: auditable(created) },
      ]);
      await reevaluateAfterChange(trx, practiceCode, actorId);
      return { ended, created };
    });
  } catch (e) {
    if (isCurrentKeyViolation(e)) throw conflict(CHANGED_MESSAGE);
    throw e;
  }
}

export async function deletePastSystem(db: Db, actorId: number, practiceCode: string, id: number, version: number) {
  await db.transaction().execute(async (trx) => {
    const removed = await repo.deletePast(trx, practiceCode, id, version);
    if (!removed) {
      const still = await repo.findById(trx, practiceCode, id);
      if (!still || still.is_current) throw notFound("past telephony system");
      throw conflict("Someone else changed this record since you opened it, so it was not deleted. Go back and try again.");
    }
    await recordAudit(trx, {
      userId: actorId,
      action: "telephony.delete",
      entityType: TELEPHONY_ENTITY,
      entityId: practiceCode,
      before: auditable(removed),
    });
    await reevaluateAfterChange(trx, practiceCode, actorId);
  });
}

/** Rows for the CSV/XLSX export, one per system, with the form's field names as columns. */
export async function exportTelephony(db: Db, practiceCode: string) {
  const rows = await repo.listAll(db, practiceCode);
  return {
    columns: [...TELEPHONY_COLUMNS],
    rows: rows.map((r) => TELEPHONY_COLUMNS.map((c) => (c === "practice_ods_code" ? r.practice_code : r[c]))),
  };
}
