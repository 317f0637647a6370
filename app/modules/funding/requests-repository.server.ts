import { sql, type Insertable, type Updateable } from "kysely";
import type { Db, Trx } from "#db/connect";
import type { FundingRequestTable, GapEventTable, GapStatus } from "#db/types";
import { requestVisible } from "./repository.server";
import type { Scope } from "~/utils/permissions";

/**
 * A funding request and its gap links (service.server.ts), the gap statuses a request moves, and
 * the drafts it may join. The functions taking Trx lock rows or write alongside an audit
 * event, so they run inside the service's transaction.
 */

/** A request row locked for a change (its version is checked by the update). */
export function lockRequest(trx: Trx, id: number) {
  return trx.selectFrom("funding_request").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export function insertRequest(trx: Trx, values: Insertable<FundingRequestTable>) {
  return trx.insertInto("funding_request").values(values).returningAll().executeTakeFirstOrThrow();
}

/** Changes a request if it is still at `version` (else undefined: someone changed it first), and bumps the version. */
export function updateRequestAtVersion(trx: Trx, id: number, version: number, values: Updateable<FundingRequestTable>) {
  return trx
    .updateTable("funding_request")
    .set((eb) => ({ ...values, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export async function linkRequestGaps(trx: Trx, requestId: number, gaps: readonly { gapId: number; estimatePence: number | null }[]) {
  if (gaps.length === 0) return;
  await trx
    .insertInto("funding_request_gap")
    .values(gaps.map((g) => ({ request_id: requestId, gap_id: g.gapId, estimate_pence: g.estimatePence })))
    .execute();
}

export async function unlinkRequestGaps(trx: Trx, requestId: number, gapIds: readonly number[]) {
  if (gapIds.length === 0) return;
  await trx.deleteFrom("funding_request_gap").where("request_id", "=", requestId).where("gap_id", "in", gapIds).execute();
}

/** The gaps' current statuses, locked until the caller's transaction ends. */
export function lockGapStatuses(trx: Trx, gapIds: readonly number[]) {
  return trx.selectFrom("gap").select(["id", "status"]).where("id", "in", gapIds).forUpdate().execute();
}

/** Moves each gap to its new status (one statement for all), with its gap events. */
export async function moveGapStatuses(
  trx: Trx,
  moves: readonly { id: number; to: GapStatus }[],
  events: readonly Insertable<GapEventTable>[],
) {
  if (moves.length === 0) return;
  await sql`
    update gap set status = x.to_status, updated_at = now(), version = gap.version + 1
    from jsonb_to_recordset(${JSON.stringify(moves.map((m) => ({ id: m.id, to_status: m.to })))}::jsonb) as x(id int, to_status text)
    where gap.id = x.id`.execute(trx);
  if (events.length) await trx.insertInto("gap_event").values(events).execute();
}

/** Drafts in an ICB visible in `scope`, newest first (50 at most); only `createdBy`'s when given. */
export function editableDrafts(db: Db, scope: Scope, icbCode: string, createdBy: number | null) {
  let q = db
    .selectFrom("funding_request as fr")
    .select(["fr.id", "fr.title"])
    .where("fr.icb_code", "=", icbCode)
    .where("fr.status", "=", "draft")
    .where((eb) => requestVisible(eb, scope));
  if (createdBy !== null) q = q.where("fr.created_by", "=", createdBy);
  return q.orderBy("fr.id", "desc").limit(50).execute();
}
