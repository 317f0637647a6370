import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13, "Inc VAT on every funding request").
//
// Requests made before VAT was worked out (migration 2026-12-04T12-00-00_budget_pots) have
// vat_pence null, so the request list and page showed "Not worked out" until each was saved
// again. Those requests have no priced lines recorded with them, and that migration already
// counted them wholly as revenue by the split's rule for "nothing priced"
// (app/modules/funding/split.ts); by the same rule their VAT is the standard rate (20%) on the
// amount, rounded half up to the penny as money.ts `vatOf` does: (amount × 20 + 50) div 100 for
// a non-negative amount. Saving a request again still works its split out from its gaps' lines.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update funding_request set vat_pence = (amount_pence * 20 + 50) / 100 where vat_pence is null`.execute(db);
}

// The rows filled in cannot be told from those worked out on saving, so going down leaves them.
export async function down(_db: Kysely<any>): Promise<void> {}
