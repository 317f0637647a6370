import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13 items 9-11, the money model).
//
// Prices: stored ex VAT with their VAT rate, marked capital or revenue and one-off or annual.
// The national default rows (icb_code null, written by the app from its defaults and never by a
// person) are corrected in place to the same treatment the app's defaults now give; the two
// extrapolated national figures (telephony migration, Lloyd George digitisation) become local
// estimates. An ICB's own rows keep their figures and take standard-rate VAT, revenue, one-off
// until its lead sets a new version.
//
// Estate: remote desktop / VDI sessions on the digital service row (for DEV-12, INF-06, BCP-03),
// and the release date of the newest security update installed on a device (for DEV-09).
const CAPITAL = [
  "desktop_replacement",
  "laptop_replacement",
  "device_replacement",
  "laptop_purchase",
  "smartcard_reader",
  "network_device_replacement",
  "hscn_connection",
  "resilient_line",
  "wifi_access_point",
  "comms_room_works",
  "ups_installation",
];
const ANNUAL = ["warranty_extension", "esu_licence"];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("price_list_entry")
    .addColumn("vat_rate_percent", "integer", (c) =>
      c
        .notNull()
        .defaultTo(20)
        .check(sql`vat_rate_percent between 0 and 100`),
    )
    .addColumn("finance", "text", (c) =>
      c
        .notNull()
        .defaultTo("revenue")
        .check(sql`finance in ('capital', 'revenue')`),
    )
    .addColumn("recurrence", "text", (c) =>
      c
        .notNull()
        .defaultTo("one_off")
        .check(sql`recurrence in ('one_off', 'annual')`),
    )
    .execute();
  await sql`update price_list_entry set finance = 'capital' where icb_code is null and unit_kind in (${sql.join(CAPITAL)})`.execute(db);
  await sql`update price_list_entry set recurrence = 'annual' where icb_code is null and unit_kind in (${sql.join(ANNUAL)})`.execute(db);
  // HSCN and the resilient line were priced as installation plus the first year's rental; the
  // rental is now its own annual unit, so the national installation figures lose it.
  await sql`update price_list_entry set unit_cost_pence = 100000,
      source = 'Local estimate: installing an HSCN connection at a site; the rental is priced separately, a year at a time'
    where icb_code is null and created_by is null and unit_kind = 'hscn_connection'`.execute(db);
  await sql`update price_list_entry set unit_cost_pence = 50000,
      source = 'Local estimate: installing a second line at a site; the rental is priced separately, a year at a time'
    where icb_code is null and created_by is null and unit_kind = 'resilient_line'`.execute(db);
  await sql`update price_list_entry set local_estimate = true,
      source = 'Local estimate, extrapolated: ' || source
    where icb_code is null and created_by is null and unit_kind in ('telephony_migration', 'lloyd_george_digitisation') and not local_estimate`.execute(
    db,
  );

  await db.schema
    .alterTable("digital_service")
    .addColumn("seats", "integer", (c) => c.check(sql`seats between 0 and 100000`))
    .execute();
  await db.schema.alterTable("device").addColumn("patch_released", "date").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("device").dropColumn("patch_released").execute();
  await db.schema.alterTable("digital_service").dropColumn("seats").execute();
  await db.schema.alterTable("price_list_entry").dropColumn("vat_rate_percent").dropColumn("finance").dropColumn("recurrence").execute();
}
