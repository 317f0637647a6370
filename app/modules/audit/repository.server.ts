import { sql } from "kysely";
import type { Db } from "#db/connect";
import { currentApiTokenId } from "./context.server";

export interface AuditInput {
  userId: number | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  /** Who acted when no signed-in user did (the command line records "command line (user@host)"). */
  actor?: string | null;
}

/**
 * Appends audit events. Always call with the transaction that makes the change, so the record of
 * a change can never exist without the change, nor the change without its record.
 */
export async function recordAudit(trx: Db, events: AuditInput | AuditInput[]) {
  const list = Array.isArray(events) ? events : [events];
  // A change made through the API names the token it was made with (set by app/modules/api/handler.server.ts).
  const apiTokenId = currentApiTokenId();
  // One statement per 5,000 events, the rows travelling as a single JSON parameter: a large
  // import writes its trail without building statements of thousands of bind parameters.
  for (let i = 0; i < list.length; i += 5000) {
    const rows = list.slice(i, i + 5000).map((e) => ({
      user_id: e.userId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before: e.before ?? null,
      after: e.after ?? null,
      actor: e.actor ?? null,
      api_token_id: apiTokenId,
    }));
    await sql`
      insert into audit_event (user_id, action, entity_type, entity_id, before, after, actor, api_token_id)
      select x.user_id, x.action, x.entity_type, x.entity_id, x.before, x.after, x.actor, x.api_token_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as x(user_id integer, action text, entity_type text, entity_id text, before jsonb, after jsonb, actor text, api_token_id integer)`.execute(
      trx,
    );
  }
}

export async function listAuditForEntity(db: Db, entityType: string, entityId: string, limit = 50) {
  return db
    .selectFrom("audit_event")
    .leftJoin("app_user", "app_user.id", "audit_event.user_id")
    .select([
      "audit_event.id",
      "audit_event.occurred_at",
      "audit_event.action",
      "audit_event.before",
      "audit_event.after",
      "audit_event.actor",
      "app_user.name as user_name",
    ])
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .orderBy("audit_event.id", "desc")
    .limit(limit)
    .execute();
}
