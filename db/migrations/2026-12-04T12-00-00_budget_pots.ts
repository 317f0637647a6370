import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13, "Budgets split capital and revenue").
//
// Budgets: a capital and a revenue amount per ICB per financial year, each of which may be not
// set (null). `amount_pence` stays as the sum of the two, so anything that reads the year's total
// keeps working. Migration rule (docs/money.md, "Budgets"): a budget set before the split was one
// figure for GP IT spend, and the NHS counts spend as revenue unless it is shown to be capital;
// so the single amount becomes the revenue amount and capital is "not set" until the lead sets it.
//
// Funding requests: the capital part of the amount (the revenue part is the rest) and the VAT on
// it, worked out when the request is made or changed from its gaps' priced lines
// (app/modules/funding/split.ts). Requests made before the split have no priced lines recorded
// with them: by the same rule they count wholly as revenue (capital 0), so an ICB's position
// against its budget is unchanged by the migration. VAT null: not worked out (shown as such).
// `self_approval_reason`: why the person who raised a request approved it (ICB policy allowing).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("icb_budget")
    .addColumn("capital_pence", "bigint", (c) => c.check(sql`capital_pence >= 0`))
    .addColumn("revenue_pence", "bigint", (c) => c.check(sql`revenue_pence >= 0`))
    .execute();
  await sql`update icb_budget set revenue_pence = amount_pence`.execute(db);
  await db.schema
    .alterTable("funding_request")
    .addColumn("capital_pence", "bigint", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`capital_pence >= 0`),
    )
    .addColumn("vat_pence", "bigint", (c) => c.check(sql`vat_pence >= 0`))
    .addColumn("self_approval_reason", "text")
    .execute();
  await sql`alter table funding_request add constraint funding_request_capital_within check (capital_pence <= amount_pence)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table funding_request drop constraint funding_request_capital_within`.execute(db);
  await db.schema
    .alterTable("funding_request")
    .dropColumn("capital_pence")
    .dropColumn("vat_pence")
    .dropColumn("self_approval_reason")
    .execute();
  await db.schema.alterTable("icb_budget").dropColumn("capital_pence").dropColumn("revenue_pence").execute();
}
