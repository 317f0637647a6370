import type { Kysely } from "kysely";

// Frozen: what a gap's deadline rests on (issue 13). Null: first seen + the category's days (no
// external date); otherwise the external date's label, e.g. "PSTN switch-off".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("gap").addColumn("deadline_basis", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("gap").dropColumn("deadline_basis").execute();
}
