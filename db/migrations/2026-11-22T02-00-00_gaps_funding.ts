import { sql, type Kysely } from "kysely";

// Frozen: gap register, ICB price list, budgets and funding requests (issue 5). Never import
// application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Unit costs. A row is never edited: a new price is a new row with its own effective date, so
  // the list's history is the table itself. icb_code null is the national default every ICB
  // inherits until it sets its own price for that unit.
  await db.schema
    .createTable("price_list_entry")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("icb_code", "text")
    .addColumn("unit_kind", "text", (c) => c.notNull())
    .addColumn("basis", "text", (c) => c.notNull().check(sql`basis in ('each', 'per_1000_patients')`))
    .addColumn("unit_cost_pence", "integer", (c) => c.notNull().check(sql`unit_cost_pence >= 0`))
    .addColumn("effective_from", "date", (c) => c.notNull())
    // Where the figure comes from, or why it is a local assumption.
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("local_estimate", "boolean", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index price_list_entry_key on price_list_entry (coalesce(icb_code, ''), unit_kind, effective_from)`.execute(db);

  // A requirement a practice does not (fully) meet. Opened and closed by evaluation; its funding
  // status follows the requests it belongs to. At most one open gap per practice and requirement;
  // a requirement that fails again after being met opens a new gap, so each gap's dates are true.
  await db.schema
    .createTable("gap")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("requirement_id", "text", (c) => c.notNull().references("requirement.id"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("open")
        .check(sql`status in ('open', 'funding_requested', 'funded', 'in_delivery', 'closed')`),
    )
    .addColumn("result_status", "text", (c) => c.notNull().check(sql`result_status in ('not_met', 'partial')`))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("units", "jsonb", (c) => c.notNull())
    .addColumn("first_seen", "date", (c) => c.notNull())
    .addColumn("deadline", "date", (c) => c.notNull())
    .addColumn("closed_on", "date")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await sql`create unique index gap_open_key on gap (practice_code, requirement_id) where closed_on is null`.execute(db);
  await db.schema.createIndex("gap_practice_idx").on("gap").columns(["practice_code", "status"]).execute();

  // What happened to a gap and when: opened, reason or units changed, status moved, closed.
  await db.schema
    .createTable("gap_event")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("gap_id", "integer", (c) => c.notNull().references("gap.id").onDelete("cascade"))
    .addColumn("on_date", "date", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('opened', 'changed', 'status', 'closed')`))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text")
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("user_id", "integer")
    .execute();
  await db.schema.createIndex("gap_event_gap_idx").on("gap_event").columns(["gap_id", "id"]).execute();

  // The ICB's GP IT budget for a financial year (April to March; 2026 means 2026/27).
  await db.schema
    .createTable("icb_budget")
    .addColumn("icb_code", "text", (c) => c.notNull())
    .addColumn("financial_year", "integer", (c) => c.notNull())
    .addColumn("amount_pence", "bigint", (c) => c.notNull().check(sql`amount_pence >= 0`))
    .addColumn("set_by", "integer")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint("icb_budget_pk", ["icb_code", "financial_year"])
    .execute();

  await db.schema
    .createTable("funding_request")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("icb_code", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("financial_year", "integer", (c) => c.notNull())
    .addColumn("amount_pence", "bigint", (c) => c.notNull().check(sql`amount_pence >= 0`))
    // Why the amount differs from the estimate; required when it does.
    .addColumn("amount_reason", "text")
    .addColumn("justification", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("draft")
        .check(sql`status in ('draft', 'submitted', 'approved', 'rejected', 'funded', 'delivered')`),
    )
    .addColumn("created_by", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("submitted_at", "timestamptz")
    .addColumn("decided_by", "integer")
    .addColumn("decided_at", "timestamptz")
    .addColumn("decision_reason", "text")
    // Set when an approval took the year's approved total over the budget.
    .addColumn("budget_override_reason", "text")
    .addColumn("funded_at", "timestamptz")
    .addColumn("delivered_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("funding_request_icb_idx").on("funding_request").columns(["icb_code", "financial_year", "status"]).execute();

  await db.schema
    .createTable("funding_request_gap")
    .addColumn("request_id", "integer", (c) => c.notNull().references("funding_request.id").onDelete("cascade"))
    .addColumn("gap_id", "integer", (c) => c.notNull().references("gap.id"))
    // The gap's estimate when it was added (null: no estimate could be made).
    .addColumn("estimate_pence", "bigint")
    .addPrimaryKeyConstraint("funding_request_gap_pk", ["request_id", "gap_id"])
    .execute();
  await db.schema.createIndex("funding_request_gap_gap_idx").on("funding_request_gap").column("gap_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["funding_request_gap", "funding_request", "icb_budget", "gap_event", "gap", "price_list_entry"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
