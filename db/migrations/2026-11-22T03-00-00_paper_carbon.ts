import { sql, type Kysely } from "kysely";

// Frozen: Lloyd George records, monthly paper and post activity, and versioned emission and
// cost factors (issue 6). Never import application code here. The factor rows themselves are
// written by the application (app/modules/paper/factors.ts, ensureEmissionFactors), not here.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per practice: its paper Lloyd George records. Blank (null) means "not known".
  // Records in all = envelopes on site + envelopes elsewhere + envelopes destroyed after scanning.
  await db.schema
    .createTable("lloyd_george_record")
    .addColumn("practice_code", "text", (c) => c.primaryKey().references("practice.ods_code").onDelete("cascade"))
    .addColumn("envelopes_on_site", "integer", (c) => c.check(sql`envelopes_on_site >= 0`))
    .addColumn("envelopes_elsewhere", "integer", (c) => c.check(sql`envelopes_elsewhere >= 0`))
    // Scanned to the national standard and uploaded to the National Document Repository.
    .addColumn("digitised", "integer", (c) => c.check(sql`digitised >= 0`))
    // Paper envelopes securely destroyed after scanning.
    .addColumn("destroyed", "integer", (c) => c.check(sql`destroyed >= 0`))
    .addColumn("new_envelopes_since_2021", "integer", (c) => c.check(sql`new_envelopes_since_2021 >= 0`))
    .addColumn("supplier", "text")
    .addColumn("supplier_approved", "boolean")
    .addColumn("contract_start", "date")
    .addColumn("contract_end", "date")
    .addColumn("destruction_approved_on", "date")
    .addColumn("notes", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "integer")
    .addCheckConstraint("lloyd_george_destroyed_le_digitised", sql`destroyed is null or digitised is null or destroyed <= digitised`)
    .execute();

  // Paper and post per practice (optionally per site) per period, normally a calendar month.
  await db.schema
    .createTable("paper_activity")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull().references("practice.ods_code").onDelete("cascade"))
    // Null: the whole practice (or the part not recorded by site).
    .addColumn("site_code", "text")
    .addColumn("period_start", "date", (c) => c.notNull())
    .addColumn("period_end", "date", (c) => c.notNull())
    .addColumn("sheets_printed", "integer", (c) => c.check(sql`sheets_printed >= 0`))
    .addColumn("recycled_share_pct", "double precision", (c) => c.check(sql`recycled_share_pct between 0 and 100`))
    .addColumn("letters_posted", "integer", (c) => c.check(sql`letters_posted >= 0`))
    .addColumn("sms_sent", "integer", (c) => c.check(sql`sms_sent >= 0`))
    .addColumn("nhs_app_messages", "integer", (c) => c.check(sql`nhs_app_messages >= 0`))
    .addColumn("emails_sent", "integer", (c) => c.check(sql`emails_sent >= 0`))
    .addColumn("notes", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_by", "integer")
    .addCheckConstraint("paper_activity_period_order", sql`period_end >= period_start`)
    .execute();
  await sql`alter table paper_activity add constraint paper_activity_period_key unique nulls not distinct (practice_code, site_code, period_start)`.execute(
    db,
  );
  await db.schema.createIndex("paper_activity_practice_idx").on("paper_activity").columns(["practice_code", "period_start"]).execute();

  // Emission and cost factors: never updated in place. A new version (row) applies from its
  // effective date; a period is costed with the versions in force on its first day.
  await db.schema
    .createTable("emission_factor")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "double precision", (c) => c.notNull().check(sql`value >= 0`))
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("year", "integer")
    .addColumn("is_assumption", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("effective_from", "date", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_by", "integer")
    .addUniqueConstraint("emission_factor_key_effective", ["key", "effective_from"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("emission_factor").ifExists().execute();
  await db.schema.dropTable("paper_activity").ifExists().execute();
  await db.schema.dropTable("lloyd_george_record").ifExists().execute();
}
