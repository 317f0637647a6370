import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13 items 4 and 5).
//
// OS lifecycle rows gain the Windows Server mainstream end, the end of each paid ESU year and
// which reference-data version wrote them (null = an admin's row, which the reference sync in
// app/modules/os-lifecycle never overwrites). The rows themselves come from the typed reference
// file through that sync, not from this migration.
//
// Devices: the yes/no `esu_enrolled` flag becomes `esu_years`, the number of consecutive ESU
// years bought (0 = none). An existing `true` becomes 1: when the flag was set only year 1 was
// on sale (it ended 13 Oct 2026) and year 2 is a separate purchase, so a device is not assumed
// covered past October 2026 until someone records that year 2 was bought.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("os_lifecycle")
    .addColumn("mainstream_end", "date")
    .addColumn("esu_year_ends", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("reference_version", "text")
    .execute();
  // Seeded rows nobody has edited (no audit event, still at version 1) stay owned by the reference data.
  await sql`
    update os_lifecycle l set reference_version = 'seed-2026-11-21'
    where l.version_no = 1
      and not exists (select 1 from audit_event a where a.entity_type = 'os_lifecycle' and a.entity_id = l.id::text)`.execute(db);
  await sql`update os_lifecycle set esu_year_ends = jsonb_build_array('2026-10-13', '2027-10-12', '2028-10-10')
    where reference_version is not null and family = 'Windows 10' and version = '22H2' and extended_end is not null`.execute(db);

  await db.schema
    .createTable("reference_data")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("synced_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .alterTable("device")
    .addColumn("esu_years", "integer", (c) => c.check(sql`esu_years between 0 and 10`))
    .execute();
  await sql`update device set esu_years = case when esu_enrolled then 1 else 0 end where esu_enrolled is not null`.execute(db);
  await db.schema.alterTable("device").dropColumn("esu_enrolled").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("device").addColumn("esu_enrolled", "boolean").execute();
  await sql`update device set esu_enrolled = esu_years > 0 where esu_years is not null`.execute(db);
  await db.schema.alterTable("device").dropColumn("esu_years").execute();
  await db.schema.dropTable("reference_data").execute();
  await db.schema
    .alterTable("os_lifecycle")
    .dropColumn("mainstream_end")
    .dropColumn("esu_year_ends")
    .dropColumn("reference_version")
    .execute();
}
