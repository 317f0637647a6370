import { sql, type Kysely } from "kysely";

// Frozen: compliance framework, local policy and evaluation results (issue 4). Never import
// application code here. The requirement rows themselves are typed data in the app
// (app/modules/compliance/catalogue.ts), upserted by `syncCatalogue` whenever the code's
// catalogue differs from the database's, so a wording change needs no new migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("framework")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    // Hash of the whole typed catalogue last written; equal hash means nothing to sync.
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("synced_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("requirement")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("framework_id", "text", (c) => c.notNull().references("framework.id"))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("funder", "text", (c) => c.notNull())
    .addColumn("evidence", "text", (c) => c.notNull().check(sql`evidence in ('automatic', 'attestation', 'both')`))
    .addColumn("automatic", "boolean", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("sources", "jsonb", (c) => c.notNull())
    .addColumn("weight", "integer", (c) => c.notNull())
    .addColumn("applies_from", "date")
    .addColumn("op_reading", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("content_hash", "text", (c) => c.notNull())
    // Set when a later catalogue drops the requirement; its stored results stay as history.
    .addColumn("retired_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("requirement_domain_idx").on("requirement").columns(["domain", "sort_order"]).execute();

  // ICB overrides of the national policy defaults; a missing row means "use the default".
  await db.schema
    .createTable("icb_policy")
    .addColumn("icb_code", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("value", "jsonb", (c) => c.notNull())
    .addColumn("set_by", "integer")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint("icb_policy_pk", ["icb_code", "key"])
    .execute();

  await db.schema
    .createTable("evaluation_run")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("as_of", "date", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .addColumn("started_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addColumn("counts", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  // Change points: a row per (practice, requirement, as-of date) only where the outcome differs
  // from the one in force before that date, so the outcome on any day is the latest row on or
  // before it, and re-running with unchanged data writes nothing.
  await db.schema
    .createTable("evaluation_result")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("requirement_id", "text", (c) => c.notNull().references("requirement.id"))
    .addColumn("as_of", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('met', 'partial', 'not_met', 'unknown', 'not_applicable')`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("evidence", "jsonb", (c) => c.notNull())
    .addColumn("units", "jsonb", (c) => c.notNull())
    .addColumn("upcoming", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("outcome_hash", "text", (c) => c.notNull())
    .addColumn("run_id", "integer", (c) => c.notNull().references("evaluation_run.id"))
    .addColumn("evaluated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("evaluation_result_key", ["practice_code", "requirement_id", "as_of"])
    .execute();
  await db.schema.createIndex("evaluation_result_run_idx").on("evaluation_result").column("run_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["evaluation_result", "evaluation_run", "icb_policy", "requirement", "framework"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
