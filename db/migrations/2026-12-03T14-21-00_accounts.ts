import { sql, type Kysely } from "kysely";

// Frozen. Sign-in throttling that an attacker cannot turn against a real user, and admin-issued
// password reset links (issue 11).
export async function up(db: Kysely<any>): Promise<void> {
  // A sign-in attempt that carried a valid "known-good device" cookie for the account records the
  // device id, so that device is throttled only by its own failures. An attempt refused because
  // its bucket was waiting is recorded as throttled: it tested no password, so it never counts
  // as a failure (otherwise hammering would keep the real user waiting for ever).
  await db.schema.alterTable("login_attempt").addColumn("device_id", "text").execute();
  await db.schema
    .alterTable("login_attempt")
    .addColumn("throttled", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createIndex("login_attempt_device_idx")
    .on("login_attempt")
    .columns(["device_id", "attempted_at"])
    .where(sql.ref("device_id"), "is not", null)
    .execute();

  // Only a SHA-256 of the token is stored: a copy of the table cannot be used to reset anyone.
  await db.schema
    .createTable("password_reset")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("password_reset_user_idx").on("password_reset").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("password_reset").ifExists().execute();
  await db.schema.dropIndex("login_attempt_device_idx").ifExists().execute();
  await db.schema.alterTable("login_attempt").dropColumn("throttled").execute();
  await db.schema.alterTable("login_attempt").dropColumn("device_id").execute();
}
