import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { recordAudit } from "~/modules/audit/repository.server";
import { getDb, getDbHandle } from "~/utils/db.server";
import { truncateAll } from "../support/db";

// The audit trail is append-only in the database itself (migration 2026-12-03T14-20-00): the
// same refusals on PGlite and on PostgreSQL (run with DATABASE_URL set).
const db = () => getDb();
const rows = () => db().selectFrom("audit_event").select(["id", "action", "after"]).orderBy("id").execute();

beforeEach(async () => {
  await truncateAll(getDbHandle());
  await recordAudit(db(), [
    { userId: null, action: "user.create", entityType: "user", entityId: "1", after: { name: "A" } },
    { userId: null, action: "user.create", entityType: "user", entityId: "2", after: { name: "B" } },
  ]);
});

describe("audit_event is append-only", () => {
  it("still takes new events", async () => {
    await recordAudit(db(), { userId: null, action: "user.activate", entityType: "user", entityId: "1" });
    expect((await rows()).map((r) => r.action)).toEqual(["user.create", "user.create", "user.activate"]);
  });

  it("refuses an UPDATE and leaves the events as they were", async () => {
    const before = await rows();
    await expect(db().updateTable("audit_event").set({ action: "nothing.happened" }).execute()).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql`update audit_event set after = null where id = ${before[0].id}`.execute(db())).rejects.toThrow(/append-only/);
    expect(await rows()).toEqual(before);
  });

  it("refuses a DELETE, even of no rows", async () => {
    const before = await rows();
    await expect(db().deleteFrom("audit_event").execute()).rejects.toThrow(/append-only: DELETE/);
    await expect(db().deleteFrom("audit_event").where("id", "=", -1).execute()).rejects.toThrow(/append-only: DELETE/);
    expect(await rows()).toEqual(before);
  });

  it("refuses inside a transaction too, rolling back the change it was part of", async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await recordAudit(trx, { userId: null, action: "user.deactivate", entityType: "user", entityId: "2" });
          await trx.deleteFrom("audit_event").where("entity_id", "=", "1").execute();
        }),
    ).rejects.toThrow(/append-only/);
    expect((await rows()).map((r) => r.action)).toEqual(["user.create", "user.create"]);
  });

  it("is a statement trigger in the schema, not a convention in the code", async () => {
    const t = await sql<{
      tgname: string;
    }>`select tgname from pg_trigger where tgrelid = 'audit_event'::regclass and not tgisinternal`.execute(db());
    expect(t.rows.map((r) => r.tgname)).toEqual(["audit_event_append_only"]);
  });
});
