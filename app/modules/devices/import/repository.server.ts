import { sql } from "kysely";
import type { Db, Trx } from "#db/connect";
import { currentApiTokenId } from "~/modules/audit/context.server";
import type { DeviceInput } from "~/modules/devices/schema";
import type { LifecycleRow } from "~/modules/os-lifecycle/support";
import type { SavedMapping, Mapping } from "./map";
import { DEVICE_FIELDS, type ExistingDevice } from "./validate";

/** All SQL for device imports. Every function takes `db`, which may be a transaction. */

const chunks = <T>(list: T[], size: number) =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export async function loadPractices(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  const out: { ods_code: string; icb_code: string | null }[] = [];
  for (const part of chunks(codes, 5000)) {
    out.push(
      ...(await db.selectFrom("practice").select(["ods_code", "icb_code"]).where("ods_code", "in", part).orderBy("ods_code").execute()),
    );
  }
  return out;
}

export async function getPractice(db: Db, code: string) {
  return db.selectFrom("practice").select(["ods_code", "name", "icb_code"]).where("ods_code", "=", code).executeTakeFirst();
}

export async function loadSites(db: Db, practiceCodes: string[]) {
  if (practiceCodes.length === 0) return [];
  const out: { practice_code: string; code: string; name: string }[] = [];
  for (const part of chunks(practiceCodes, 5000)) {
    out.push(
      ...(await db
        .selectFrom("site")
        .select(["practice_code", "code", "name"])
        .where("practice_code", "in", part)
        .orderBy("practice_code")
        .orderBy("code")
        .execute()),
    );
  }
  return out;
}

/** Every device at these practices, in one query per 5,000 practices. */
export async function loadDevices(db: Db, practiceCodes: string[]): Promise<ExistingDevice[]> {
  if (practiceCodes.length === 0) return [];
  const out: ExistingDevice[] = [];
  for (const part of chunks(practiceCodes, 5000)) {
    const rows = await db
      .selectFrom("device")
      .select(["id", "version", "practice_code", ...DEVICE_FIELDS])
      .where("practice_code", "in", part)
      .orderBy("id")
      .execute();
    out.push(...(rows as ExistingDevice[]));
  }
  return out;
}

const DIGEST_COLUMNS = sql.raw(DEVICE_FIELDS.join(", "));

/**
 * A digest of every device at these practices, each as `loadDevices` reads it (id, version,
 * practice and fields), worked out by the database: the check cache compares it rather than
 * reading every row again at import (check-cache.server.ts). Each row's text is hashed to 64 bits
 * and the hashes summed, with the count: an md5 of each row cost about four times the database
 * CPU (0.12 s against 0.03 s for the benchmark's 29,795 devices). It only decides whether a kept
 * check is reused; every write still checks each device's version and the unique indexes.
 */
export async function devicesDigest(db: Db, practiceCodes: string[]): Promise<string> {
  if (practiceCodes.length === 0) return "";
  const parts: string[] = [];
  for (const part of chunks(practiceCodes, 5000)) {
    const r = await sql<{ digest: string | null; n: number }>`
      select sum(hashtextextended(t::text, 0))::text as digest, count(*)::integer as n
      from (select id, version, practice_code, ${DIGEST_COLUMNS} from device where practice_code in (${sql.join(part)})) t`.execute(db);
    parts.push(`${r.rows[0].n}:${r.rows[0].digest ?? ""}`);
  }
  return parts.join(",");
}

/** The ICBs' own "edition assumed when the file gives none" (policy key default_os_edition), where set. */
export async function loadEditionDefaults(db: Db, icbCodes: string[]) {
  if (icbCodes.length === 0) return [];
  return db
    .selectFrom("icb_policy")
    .select(["icb_code", "value"])
    .where("key", "=", "default_os_edition")
    .where("icb_code", "in", icbCodes)
    .orderBy("icb_code")
    .execute();
}

export async function loadLifecycle(db: Db): Promise<LifecycleRow[]> {
  return db.selectFrom("os_lifecycle").select(["family", "edition", "version", "end_of_support", "extended_end"]).orderBy("id").execute();
}

export type NewDevice = DeviceInput & { practice_code: string };

/** A row for the JSON parameter: the given keys, then the device's own fields (a plain loop: this runs for every row of a large import). */
function rowOf(d: DeviceInput, head: Record<string, unknown>) {
  for (const f of DEVICE_FIELDS) head[f] = d[f];
  return head;
}

// Column types for jsonb_to_recordset: the device table's own types, so values cast exactly.
const COLUMN_TYPES: Record<string, string> = {
  purchase_date: "date",
  warranty_end: "date",
  last_patched: "date",
  patch_released: "date",
  disposed_date: "date",
  managed: "boolean",
  encrypted: "boolean",
  antivirus_up_to_date: "boolean",
  esu_years: "integer",
  cpu_generation: "integer",
  ram_gb: "integer",
  last_seen: "date",
};
const RECORD_DEF = sql.raw(
  ["id integer", "version integer", "practice_code text", ...DEVICE_FIELDS.map((f) => `${f} ${COLUMN_TYPES[f] ?? "text"}`)].join(", "),
);
const INSERT_DEF = sql.raw(["practice_code text", ...DEVICE_FIELDS.map((f) => `${f} ${COLUMN_TYPES[f] ?? "text"}`)].join(", "));
const INSERT_COLUMNS = sql.raw(["practice_code", ...DEVICE_FIELDS].join(", "));
const SET_LIST = sql.raw([...DEVICE_FIELDS.map((f) => `${f} = v.${f}`), "version = d.version + 1", "updated_at = now()"].join(", "));

/**
 * Inserts many devices and their "device.create" audit events in one statement. The rows travel
 * as one JSON parameter (newDevicesPayload) typed by the table's column types; each row takes its id from the
 * device sequence first, so its audit event (the row's values without empty fields) is written
 * from the same parameter without a round trip for the new ids. Returns how many were inserted.
 */
export function newDevicesPayload(rows: { practice_code: string; data: DeviceInput }[]): string {
  return JSON.stringify(rows.map((r) => presentOf(r.data, { practice_code: r.practice_code })));
}

/**
 * A new device's given keys and the fields it has: an empty field is left out, as
 * jsonb_to_record reads a missing key as null. Most of an import's fields are empty, so the JSON
 * is about a third shorter to build, send and parse than with every field.
 */
function presentOf(d: DeviceInput, head: Record<string, unknown>) {
  for (const f of DEVICE_FIELDS) {
    const v = d[f];
    if (v !== null && v !== undefined) head[f] = v;
  }
  return head;
}

export async function insertDevicesAudited(trx: Trx, payload: string, userId: number | null, actor: string | null = null): Promise<number> {
  const result = await sql<{ inserted: number }>`
    with v as materialized (
      select nextval(pg_get_serial_sequence('device', 'id')) as id, e from jsonb_array_elements(${payload}::jsonb) as e
    ),
    ins as (
      insert into device (id, ${INSERT_COLUMNS})
      select v.id, r.* from v cross join lateral jsonb_to_record(v.e) as r(${INSERT_DEF})
      returning 1
    ),
    audit as (
      insert into audit_event (user_id, action, entity_type, entity_id, after, actor, api_token_id)
      select ${userId}::integer, 'device.create', 'device', v.id::text, jsonb_strip_nulls(v.e), ${actor}::text, ${currentApiTokenId()}::integer from v
      returning 1
    )
    select (select count(*) from ins)::integer as inserted, (select count(*) from audit)::integer as audited`.execute(trx);
  return result.rows[0].inserted;
}

/**
 * Updates many devices in one statement: the rows travel as one JSON parameter and are joined by
 * id, practice and the version the preview read. Returns the ids updated; one missing means
 * someone else changed that device meanwhile.
 */
export async function updateDevices(trx: Db, rows: (NewDevice & { id: number; version: number })[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const payload = JSON.stringify(rows.map((r) => rowOf(r, { id: r.id, version: r.version, practice_code: r.practice_code })));
  const result = await sql<{ id: number }>`
    update device as d set ${SET_LIST}
    from jsonb_to_recordset(${payload}::jsonb) as v(${RECORD_DEF})
    where d.id = v.id and d.practice_code = v.practice_code and d.version = v.version
    returning d.id`.execute(trx);
  return result.rows.map((r) => r.id);
}

/**
 * Retires devices a "replace this practice's inventory" import did not find in the file: status
 * disposed on `date`, only those still at the version the check read. Returns the ids retired.
 */
export async function retireDevices(
  trx: Trx,
  rows: { id: number; version: number; practice_code: string }[],
  date: string,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const payload = JSON.stringify(rows.map((r) => ({ id: r.id, version: r.version, practice_code: r.practice_code })));
  const result = await sql<{ id: number }>`
    update device as d set status = 'disposed', disposed_date = ${date}::date, version = d.version + 1, updated_at = now()
    from jsonb_to_recordset(${payload}::jsonb) as v(id integer, version integer, practice_code text)
    where d.id = v.id and d.practice_code = v.practice_code and d.version = v.version and d.status <> 'disposed'
    returning d.id`.execute(trx);
  return result.rows.map((r) => r.id);
}

export async function setUploadReplace(db: Db, id: string, userId: number, replace: boolean) {
  await db.updateTable("import_upload").set({ replace_inventory: replace }).where("id", "=", id).where("user_id", "=", userId).execute();
}

/** Records a finished import; `jobId` names the background job that ran it (at most one run per job). */
export async function insertImportRun(
  trx: Trx,
  run: {
    kind: string;
    fileName: string;
    userId: number | null;
    actor?: string | null;
    counts: unknown;
    startedAt: Date;
    jobId?: number | null;
  },
) {
  const row = await trx
    .insertInto("import_run")
    .values({
      kind: run.kind,
      file_name: run.fileName,
      user_id: run.userId,
      actor: run.actor ?? null,
      counts: JSON.stringify(run.counts),
      started_at: run.startedAt,
      job_id: run.jobId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The import run a background job wrote, if it got that far (its transaction committed). */
export async function findImportRunOfJob(db: Db, jobId: number) {
  return db.selectFrom("import_run").select(["id", "kind", "counts"]).where("job_id", "=", jobId).executeTakeFirst();
}

export async function getImportRun(db: Db, id: number) {
  return db
    .selectFrom("import_run")
    .leftJoin("app_user", "app_user.id", "import_run.user_id")
    .select([
      "import_run.id",
      "import_run.kind",
      "import_run.file_name",
      "import_run.user_id",
      "import_run.counts",
      "import_run.started_at",
      "import_run.finished_at",
      "import_run.actor",
      "app_user.name as user_name",
    ])
    .where("import_run.id", "=", id)
    .executeTakeFirst();
}

// Uploaded files, kept between preview and commit.

export async function createUpload(
  db: Db,
  u: {
    id: string;
    userId: number;
    kind: string;
    fileName: string;
    content: Uint8Array;
    practiceCode: string | null;
    mapping: Mapping;
    prefixRules?: { value: string; practice_code: string }[] | null;
  },
) {
  await db
    .insertInto("import_upload")
    .values({
      id: u.id,
      user_id: u.userId,
      kind: u.kind,
      file_name: u.fileName,
      content: u.content,
      practice_code: u.practiceCode,
      mapping: JSON.stringify(u.mapping),
      prefix_rules: u.prefixRules ? JSON.stringify(u.prefixRules) : null,
    })
    .execute();
}

/** An upload, only for the user who made it. */
export async function getUpload(db: Db, id: string, userId: number, kind: string) {
  const row = await db
    .selectFrom("import_upload")
    .select(["id", "file_name", "content", "practice_code", "mapping", "replace_inventory", "prefix_rules", "created_at"])
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return row ? { ...row, content: new Uint8Array(row.content), mapping: row.mapping as Mapping | null } : undefined;
}

/** An upload's name and practice without its content, only for the user who made it. */
export function findUploadSummary(db: Db, id: string, userId: number, kind: string) {
  return db
    .selectFrom("import_upload")
    .select(["id", "file_name", "practice_code"])
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirst();
}

export async function uploadExists(db: Db, id: string, userId: number, kind: string) {
  const row = await db
    .selectFrom("import_upload")
    .select("id")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return !!row;
}

/**
 * Claims an upload for the transaction committing it: its row stays locked until the commit
 * ends (and is deleted by it). A second commit of the same upload at the same time, or after,
 * finds no row it can lock and is told so: a file is only ever imported once.
 */
export async function claimUpload(trx: Trx, id: string, userId: number, kind: string): Promise<boolean> {
  const row = await trx
    .selectFrom("import_upload")
    .select("id")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return !!row;
}

export async function setUploadMapping(db: Db, id: string, userId: number, mapping: Mapping) {
  await db
    .updateTable("import_upload")
    .set({ mapping: JSON.stringify(mapping) })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .execute();
}

export async function deleteUpload(db: Db, id: string, userId: number) {
  await db.deleteFrom("import_upload").where("id", "=", id).where("user_id", "=", userId).execute();
}

/** Which of these uploads are still stored (any user's, any kind): one indexed lookup. */
export async function storedUploadIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom("import_upload").select("id").where("id", "in", ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Uploads nobody went on to import are dropped after a day. */
export async function deleteStaleUploads(db: Db, userId: number) {
  await db
    .deleteFrom("import_upload")
    .where("user_id", "=", userId)
    .where("created_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
}

// Remembered column mappings, one per user and kind of import.

export async function getSavedMapping(db: Db, userId: number, kind: string): Promise<SavedMapping> {
  const row = await db
    .selectFrom("import_mapping")
    .select("mapping")
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return (row?.mapping as SavedMapping | undefined) ?? {};
}

export async function saveMapping(db: Db, userId: number, kind: string, mapping: SavedMapping) {
  await db
    .insertInto("import_mapping")
    .values({ user_id: userId, kind, mapping: JSON.stringify(mapping) })
    .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: sql<Date>`now()` }))
    .execute();
}

// Value choices an importer saved (value-map.ts), one row per user, column, practice (sites only) and file value.

export interface ValueMappingRow {
  id: number;
  column_name: string;
  practice_code: string;
  source_value: string;
  source_label: string;
  target_value: string;
  updated_at: Date;
}

const VALUE_MAPPING_COLUMNS = ["id", "column_name", "practice_code", "source_value", "source_label", "target_value", "updated_at"] as const;

/** A user's saved value choices (at most a few hundred: the check page saves at most 200 at a time). */
export async function listValueMappings(db: Db, userId: number): Promise<ValueMappingRow[]> {
  return db
    .selectFrom("import_value_mapping")
    .select(VALUE_MAPPING_COLUMNS)
    .where("user_id", "=", userId)
    .orderBy("column_name")
    .orderBy("practice_code")
    .orderBy("source_value")
    .limit(5000)
    .execute();
}

export async function getValueMappings(db: Db, userId: number, keys: { column: string; practice: string; key: string }[]) {
  if (keys.length === 0) return [];
  return db
    .selectFrom("import_value_mapping")
    .select(VALUE_MAPPING_COLUMNS)
    .where("user_id", "=", userId)
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb("column_name", "=", k.column), eb("practice_code", "=", k.practice), eb("source_value", "=", k.key)])),
      ),
    )
    .execute();
}

export async function upsertValueMappings(
  db: Db,
  userId: number,
  rows: { column: string; practice: string; key: string; label: string; target: string }[],
) {
  if (rows.length === 0) return;
  await db
    .insertInto("import_value_mapping")
    .values(
      rows.map((r) => ({
        user_id: userId,
        column_name: r.column,
        practice_code: r.practice,
        source_value: r.key,
        source_label: r.label,
        target_value: r.target,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["user_id", "column_name", "practice_code", "source_value"]).doUpdateSet((eb) => ({
        target_value: eb.ref("excluded.target_value"),
        source_label: eb.ref("excluded.source_label"),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function deleteValueMappings(db: Db, userId: number, keys: { column: string; practice: string; key: string }[]) {
  if (keys.length === 0) return [];
  return db
    .deleteFrom("import_value_mapping")
    .where("user_id", "=", userId)
    .where((eb) =>
      eb.or(
        keys.map((k) => eb.and([eb("column_name", "=", k.column), eb("practice_code", "=", k.practice), eb("source_value", "=", k.key)])),
      ),
    )
    .returning(VALUE_MAPPING_COLUMNS)
    .execute();
}

/** Deletes one of the user's own saved choices; undefined when it is not theirs (or gone). */
export async function deleteValueMappingById(db: Db, userId: number, id: number) {
  return db
    .deleteFrom("import_value_mapping")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .returning(VALUE_MAPPING_COLUMNS)
    .executeTakeFirst();
}
