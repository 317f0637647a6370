import { sql, type Kysely } from "kysely";

// Frozen: this migration must never import application code or change once released.
export async function up(db: Kysely<any>): Promise<void> {
  // --- Organisations (ODS codes are the natural keys). No foreign keys between organisation
  // tables: the NHS files arrive in any order and each names only part of the hierarchy.
  await db.schema
    .createTable("region")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text")
    .execute();
  await db.schema
    .createTable("icb")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text")
    .addColumn("region_code", "text")
    .execute();
  await db.schema
    .createTable("sub_icb")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text")
    .addColumn("icb_code", "text")
    .execute();
  await db.schema.createIndex("sub_icb_icb_idx").on("sub_icb").column("icb_code").execute();
  await db.schema
    .createTable("pcn")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("sub_icb_code", "text")
    .addColumn("open_date", "date")
    .addColumn("close_date", "date")
    .addColumn("address", "text")
    .addColumn("postcode", "text")
    .execute();
  await db.schema.createIndex("pcn_sub_icb_idx").on("pcn").column("sub_icb_code").execute();

  await db.schema
    .createTable("practice")
    .addColumn("ods_code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("postcode", "text")
    .addColumn("phone", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("A"))
    .addColumn("open_date", "date")
    .addColumn("close_date", "date")
    .addColumn("prescribing_setting", "integer")
    .addColumn("country", "text", (c) => c.notNull().defaultTo("England"))
    .addColumn("region_code", "text")
    .addColumn("icb_code", "text")
    .addColumn("sub_icb_code", "text")
    .addColumn("pcn_code", "text")
    .addColumn("clinical_system", "text")
    .addColumn("clinical_system_detail", "text")
    .addColumn("clinical_system_source", "text")
    .addColumn("list_size", "integer")
    .addColumn("list_size_date", "date")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("practice_icb_idx").on("practice").columns(["icb_code", "name"]).execute();
  await db.schema.createIndex("practice_sub_icb_idx").on("practice").column("sub_icb_code").execute();
  await db.schema.createIndex("practice_pcn_idx").on("practice").column("pcn_code").execute();
  await db.schema
    .createIndex("practice_name_idx")
    .on("practice")
    .expression(sql`lower(name)`)
    .execute();
  await db.schema
    .createIndex("practice_postcode_idx")
    .on("practice")
    .expression(sql`replace(upper(postcode), ' ', '')`)
    .execute();

  await db.schema
    .createTable("practice_pcn_membership")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("pcn_code", "text", (c) => c.notNull())
    .addColumn("start_date", "date", (c) => c.notNull())
    .addColumn("end_date", "date")
    .addUniqueConstraint("practice_pcn_membership_key", ["practice_code", "pcn_code", "start_date"])
    .execute();
  await db.schema.createIndex("membership_pcn_idx").on("practice_pcn_membership").column("pcn_code").execute();

  await db.schema
    .createTable("practice_list_size")
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("extract_date", "date", (c) => c.notNull())
    .addColumn("patients", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("practice_list_size_pk", ["practice_code", "extract_date"])
    .execute();

  await db.schema
    .createTable("site")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('main', 'branch')`))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("postcode", "text")
    .addColumn("phone", "text")
    .addColumn("open_date", "date")
    .addColumn("close_date", "date")
    .execute();
  await db.schema.createIndex("site_practice_idx").on("site").column("practice_code").execute();

  // --- People
  await db.schema
    .createTable("app_user")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("is_active", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("app_user_email_key")
    .on("app_user")
    .expression(sql`lower(email)`)
    .unique()
    .execute();

  await db.schema
    .createTable("membership")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'icb_lead', 'delivery_partner', 'practice_manager')`))
    .addColumn("icb_code", "text")
    .addColumn("practice_code", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "membership_scope_shape",
      sql`(role = 'admin' and icb_code is null and practice_code is null)
        or (role = 'icb_lead' and icb_code is not null and practice_code is null)
        or (role = 'practice_manager' and practice_code is not null and icb_code is null)
        or (role = 'delivery_partner' and num_nonnulls(icb_code, practice_code) = 1)`,
    )
    .execute();
  await db.schema.createIndex("membership_user_idx").on("membership").column("user_id").execute();
  await sql`create unique index membership_unique on membership (user_id, role, coalesce(icb_code, ''), coalesce(practice_code, ''))`.execute(
    db,
  );

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("session_user_idx").on("session").column("user_id").execute();

  await db.schema
    .createTable("login_attempt")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("succeeded", "boolean", (c) => c.notNull())
    .addColumn("attempted_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("login_attempt_email_idx").on("login_attempt").columns(["email", "attempted_at"]).execute();
  await db.schema.createIndex("login_attempt_ip_idx").on("login_attempt").columns(["ip", "attempted_at"]).execute();

  // --- Audit: append-only record of every change.
  await db.schema
    .createTable("audit_event")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("user_id", "integer")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .execute();
  await db.schema.createIndex("audit_entity_idx").on("audit_event").columns(["entity_type", "entity_id"]).execute();

  await db.schema
    .createTable("import_run")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("counts", "jsonb", (c) => c.notNull())
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .addColumn("finished_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "import_run",
    "audit_event",
    "login_attempt",
    "session",
    "membership",
    "app_user",
    "site",
    "practice_list_size",
    "practice_pcn_membership",
    "practice",
    "pcn",
    "sub_icb",
    "icb",
    "region",
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
