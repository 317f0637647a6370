import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13 items 4 and 5).
//
// What a device management service (Microsoft Intune) knows about a device and a register did
// not hold (issues #15 and #17): its name on the network, when it last checked in (kept as the
// day in UK time), who owns it (corporate or personal) and its compliance state. All optional:
// devices recorded by hand keep them blank.
//
// An upload may be the practice's whole inventory ("replace" mode): devices missing from it are
// retired when it is imported.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("import_upload")
    .addColumn("replace_inventory", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .alterTable("device")
    .addColumn("device_name", "text")
    .addColumn("last_seen", "date")
    .addColumn("ownership", "text", (c) => c.check(sql`ownership in ('corporate', 'personal')`))
    .addColumn("compliance", "text", (c) =>
      c.check(sql`compliance in ('compliant', 'noncompliant', 'in_grace_period', 'conflict', 'error', 'config_manager', 'unknown')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_upload").dropColumn("replace_inventory").execute();
  await db.schema
    .alterTable("device")
    .dropColumn("device_name")
    .dropColumn("last_seen")
    .dropColumn("ownership")
    .dropColumn("compliance")
    .execute();
}
