import { sql, type Kysely } from "kysely";

// Frozen: estate registers (issue 3). Never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // OS lifecycle reference data: one row per OS family/edition/version with its end of support.
  await db.schema
    .createTable("os_lifecycle")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("family", "text", (c) => c.notNull())
    .addColumn("edition", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("build", "text")
    .addColumn("release_date", "date")
    .addColumn("end_of_support", "date")
    .addColumn("extended_end", "date")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("notes", "text")
    .addColumn("version_no", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("os_lifecycle_key", ["family", "edition", "version"])
    .execute();

  await db.schema
    .createTable("device")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("site_code", "text")
    .addColumn("asset_tag", "text")
    .addColumn("serial_number", "text")
    .addColumn("device_type", "text", (c) => c.notNull())
    .addColumn("make", "text")
    .addColumn("model", "text")
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("in_use")
        .check(sql`status in ('in_use', 'spare', 'in_repair', 'disposed')`),
    )
    .addColumn("os_family", "text")
    .addColumn("os_edition", "text")
    .addColumn("os_version", "text")
    .addColumn("os_build", "text")
    .addColumn("purchase_date", "date")
    .addColumn("warranty_end", "date")
    .addColumn("funded_by", "text", (c) => c.check(sql`funded_by in ('icb', 'practice')`))
    .addColumn("managed", "boolean")
    .addColumn("encrypted", "boolean")
    .addColumn("antivirus_up_to_date", "boolean")
    .addColumn("last_patched", "date")
    .addColumn("tpm_version", "text", (c) => c.check(sql`tpm_version in ('none', '1.2', '2.0')`))
    .addColumn("cpu_model", "text")
    .addColumn("cpu_generation", "integer")
    .addColumn("ram_gb", "integer")
    .addColumn("esu_enrolled", "boolean")
    .addColumn("disposed_date", "date")
    .addColumn("notes", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("device_identified", sql`asset_tag is not null or serial_number is not null`)
    .execute();
  await sql`create unique index device_asset_tag_key on device (practice_code, lower(asset_tag)) where asset_tag is not null`.execute(db);
  await sql`create unique index device_serial_key on device (practice_code, lower(serial_number)) where serial_number is not null`.execute(
    db,
  );
  await db.schema.createIndex("device_practice_type_idx").on("device").columns(["practice_code", "device_type", "id"]).execute();
  await db.schema.createIndex("device_os_idx").on("device").columns(["os_family", "os_version"]).execute();

  await db.schema
    .createTable("telephony_system")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("is_current", "boolean", (c) => c.notNull().defaultTo(true))
    .addColumn("system_type", "text", (c) => c.notNull().check(sql`system_type in ('analogue', 'isdn', 'on_premises_digital', 'cloud')`))
    .addColumn("supplier", "text")
    .addColumn("product", "text")
    .addColumn("on_bpf", "boolean")
    .addColumn("contract_start", "date")
    .addColumn("contract_end", "date")
    .addColumn("lines", "integer")
    .addColumn("concurrent_calls", "integer")
    .addColumn("call_queuing", "boolean")
    .addColumn("queue_position_message", "boolean")
    .addColumn("call_back", "boolean")
    .addColumn("ivr_routing", "boolean")
    .addColumn("clinical_system_integration", "boolean")
    .addColumn("realtime_reporting", "boolean")
    .addColumn("historic_reporting", "boolean")
    .addColumn("remote_agents", "boolean")
    .addColumn("multi_site", "boolean")
    .addColumn("call_recording", "boolean")
    .addColumn("cbt_data_sharing", "boolean")
    .addColumn("main_number", "text")
    .addColumn("ended_on", "date")
    .addColumn("notes", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One current system per practice; past systems are kept with is_current = false.
  await sql`create unique index telephony_current_key on telephony_system (practice_code) where is_current`.execute(db);

  await db.schema
    .createTable("digital_service")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("practice_code", "text", (c) => c.notNull())
    .addColumn("service_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("unknown")
        .check(sql`status in ('in_use', 'not_in_use', 'unknown')`),
    )
    .addColumn("supplier", "text")
    .addColumn("since_date", "date")
    .addColumn("notes", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("digital_service_key", ["practice_code", "service_key"])
    .execute();

  // Connectivity (ICB-managed) and premises (practice-owned) facts per site.
  await db.schema
    .alterTable("site")
    .addColumn("hscn_connected", "boolean")
    .addColumn("hscn_circuit_id", "text")
    .addColumn("bandwidth_mbps", "double precision")
    .addColumn("resilient_line", "boolean")
    .addColumn("wifi_staff", "boolean")
    .addColumn("wifi_patient", "boolean")
    .addColumn("comms_room_ok", "boolean")
    .addColumn("ups_present", "boolean")
    .addColumn("records_storage_m2", "double precision")
    .addColumn("ownership", "text")
    .addColumn("planned_move_date", "date")
    .addColumn("planned_works", "text")
    .addColumn("analogue_lines", "integer")
    .addColumn("is_manual", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();

  // Column mappings an uploader chose for an import, remembered for their next upload.
  await db.schema
    .createTable("import_mapping")
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("mapping", "jsonb", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("import_mapping_pk", ["user_id", "kind"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["import_mapping", "digital_service", "telephony_system", "device", "os_lifecycle"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  for (const c of [
    "hscn_connected",
    "hscn_circuit_id",
    "bandwidth_mbps",
    "resilient_line",
    "wifi_staff",
    "wifi_patient",
    "comms_room_ok",
    "ups_present",
    "records_storage_m2",
    "ownership",
    "planned_move_date",
    "planned_works",
    "analogue_lines",
    "is_manual",
    "version",
  ]) {
    await db.schema.alterTable("site").dropColumn(c).execute();
  }
}
