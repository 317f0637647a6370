import type { Db } from "#db/connect";

export interface AuditInput {
  userId: number | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * Appends audit events. Always call with the transaction that makes the change, so the record of
 * a change can never exist without the change, nor the change without its record.
 */
export async function recordAudit(trx: Db, events: AuditInput | AuditInput[]) {
  const list = Array.isArray(events) ? events : [events];
  // Chunked so a large import stays under PostgreSQL's bind-parameter limit.
  for (let i = 0; i < list.length; i += 1000) {
    await trx
      .insertInto("audit_event")
      .values(
        list.slice(i, i + 1000).map((e) => ({
          user_id: e.userId,
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          before: toJson(e.before),
          after: toJson(e.after),
        })),
      )
      .execute();
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
      "app_user.name as user_name",
    ])
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", entityId)
    .orderBy("audit_event.id", "desc")
    .limit(limit)
    .execute();
}
