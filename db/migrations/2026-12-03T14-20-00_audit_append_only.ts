import { sql, type Kysely } from "kysely";

// Frozen. The audit trail is append-only in the database itself, not only by convention in the
// code: any UPDATE or DELETE statement on audit_event is refused, whoever sends it (a bug, a
// console session, a compromised process using the app's role).
//
// TRUNCATE is left allowed on purpose: it needs the table owner's privilege (a production app
// role should not hold it — see docs/security.md), and the test suite empties every table with
// TRUNCATE between files (test/support/db.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function audit_event_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege', hint = 'Record a new audit event instead.';
    end
    $$`.execute(db);
  // Statement level, so even an UPDATE or DELETE that matches no rows is refused.
  await sql`
    create trigger audit_event_append_only
    before update or delete on audit_event
    for each statement execute function audit_event_refuse_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_event_append_only on audit_event`.execute(db);
  await sql`drop function if exists audit_event_refuse_change()`.execute(db);
}
