import { sql, type Kysely } from "kysely";

// Frozen: self-assessment cycles, practices' attested answers, ICB verification and disputes
// of automatic results (issue 4). Never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // An ICB asks a chosen set of its practices to assess themselves by a due date.
  await db.schema
    .createTable("assessment_cycle")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("icb_code", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("due_date", "date", (c) => c.notNull())
    .addColumn("opened_by", "integer")
    .addColumn("opened_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("closed_at", "timestamptz")
    .addColumn("closed_by", "integer")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("assessment_cycle_name_key", ["icb_code", "name"])
    .execute();
  await db.schema.createIndex("assessment_cycle_icb_idx").on("assessment_cycle").columns(["icb_code", "opened_at"]).execute();

  // One practice's assessment within a cycle.
  await db.schema
    .createTable("assessment")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("cycle_id", "integer", (c) => c.notNull().references("assessment_cycle.id").onDelete("cascade"))
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("not_started")
        .check(sql`status in ('not_started', 'in_progress', 'submitted', 'returned', 'verified')`),
    )
    .addColumn("submitted_at", "timestamptz")
    .addColumn("submitted_by", "integer")
    .addColumn("verified_at", "timestamptz")
    .addColumn("verified_by", "integer")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("assessment_cycle_practice_key", ["cycle_id", "practice_code"])
    .execute();
  await db.schema.createIndex("assessment_practice_idx").on("assessment").columns(["practice_code", "cycle_id"]).execute();
  await db.schema.createIndex("assessment_status_idx").on("assessment").columns(["status", "submitted_at"]).execute();

  // The practice's answer to one attestation requirement, and the ICB's review of it.
  await db.schema
    .createTable("assessment_answer")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("assessment_id", "integer", (c) => c.notNull().references("assessment.id").onDelete("cascade"))
    .addColumn("requirement_id", "text", (c) => c.notNull().references("requirement.id"))
    // Null while saved without an answer yet (save and return later).
    .addColumn("answer", "text", (c) => c.check(sql`answer in ('met', 'partial', 'not_met', 'not_applicable')`))
    .addColumn("evidence_note", "text")
    .addColumn("evidence_link", "text", (c) => c.check(sql`evidence_link like 'https://%'`))
    .addColumn("answered_by", "integer")
    .addColumn("answered_at", "timestamptz")
    .addColumn("review_status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`review_status in ('pending', 'verified', 'returned')`),
    )
    .addColumn("review_comment", "text")
    .addColumn("reviewed_by", "integer")
    .addColumn("reviewed_at", "timestamptz")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint("assessment_answer_key", ["assessment_id", "requirement_id"])
    .execute();

  // A practice disagreeing with an automatic result, raised from its assessment; the ICB responds.
  await db.schema
    .createTable("result_dispute")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("assessment_id", "integer", (c) => c.notNull().references("assessment.id").onDelete("cascade"))
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("requirement_id", "text", (c) => c.notNull().references("requirement.id"))
    // The as-of date and status of the result disputed, as the practice saw it.
    .addColumn("as_of", "date", (c) => c.notNull())
    .addColumn("result_status", "text", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .addColumn("raised_by", "integer")
    .addColumn("raised_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'accepted', 'rejected')`),
    )
    .addColumn("resolution_comment", "text")
    .addColumn("resolved_by", "integer")
    .addColumn("resolved_at", "timestamptz")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("result_dispute_assessment_idx").on("result_dispute").columns(["assessment_id", "status"]).execute();
  await db.schema.createIndex("result_dispute_practice_idx").on("result_dispute").columns(["practice_code", "requirement_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["result_dispute", "assessment_answer", "assessment", "assessment_cycle"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
