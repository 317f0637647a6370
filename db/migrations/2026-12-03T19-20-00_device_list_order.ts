import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13 items 4 and 5).
//
// The device list across a scope (/estate/devices, issue 12) pages in the database: for all of
// England (363,000 devices on the national dataset) its default order, by asset tag, sorted every
// device in a parallel scan for each page (about 0.7 s of a 1.2-1.8 s page on a busy machine).
// These indexes give the list's two common orders (asset tag, and warranty end, the order people
// plan replacements by) with the id as the tie-break the list uses, so a page is an index walk
// of 25 rows plus the offset. Ascending with nulls last, as the list sorts blanks.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists device_asset_tag_order_idx on device (asset_tag, id)`.execute(db);
  await sql`create index if not exists device_warranty_end_order_idx on device (warranty_end, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists device_warranty_end_order_idx`.execute(db);
  await sql`drop index if exists device_asset_tag_order_idx`.execute(db);
}
