import { sql, type Kysely } from "kysely";

// Frozen. API tokens for scripts and tools (issue 14). Only a SHA-256 of each token is kept,
// so a copy of the table cannot call the API. The rate-limit window lives on the token row:
// every server process counts in the same row, under its row lock, so a limit holds across
// the cluster's processes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_token")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // The first characters after the prefix, shown in lists so people can tell tokens apart.
    .addColumn("hint", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .addColumn("revoked_by", "integer", (c) => c.references("app_user.id").onDelete("set null"))
    .addColumn("rate_limit_per_minute", "integer", (c) =>
      c
        .notNull()
        .defaultTo(120)
        .check(sql`rate_limit_per_minute > 0`),
    )
    .addColumn("rate_window_start", "timestamptz")
    .addColumn("rate_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("api_token_user_idx").on("api_token").column("user_id").execute();

  // Service accounts: users that exist only to hold API tokens (no password sign-in).
  await db.schema
    .alterTable("app_user")
    .addColumn("is_service_account", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();

  // Every change made through the API names the token that made it.
  await sql`alter table audit_event add column api_token_id integer`.execute(db);
  await db.schema
    .createIndex("audit_api_token_idx")
    .on("audit_event")
    .column("api_token_id")
    .where(sql.ref("api_token_id"), "is not", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_api_token_idx").ifExists().execute();
  await sql`alter table audit_event drop column if exists api_token_id`.execute(db);
  await db.schema.alterTable("app_user").dropColumn("is_service_account").execute();
  await db.schema.dropTable("api_token").ifExists().execute();
}
