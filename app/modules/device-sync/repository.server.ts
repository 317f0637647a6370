import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { Rule } from "./map";

/** All SQL for the Intune device sync. Every function takes `db`, which may be a transaction. */

const chunks = <T>(list: T[], size: number) =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const connectionColumns = [
  "graph_connection.id",
  "graph_connection.icb_code",
  "graph_connection.name",
  "graph_connection.tenant_id",
  "graph_connection.client_id",
  "graph_connection.client_secret_enc",
  "graph_connection.authority_url",
  "graph_connection.graph_url",
  "graph_connection.ods_field",
  "graph_connection.sync_every_hours",
  "graph_connection.missing_after_days",
  "graph_connection.next_sync_at",
  "graph_connection.created_at",
  "graph_connection.updated_at",
  "graph_connection.version",
] as const;

export function getConnection(db: Db, id: number) {
  return db
    .selectFrom("graph_connection")
    .innerJoin("icb", "icb.code", "graph_connection.icb_code")
    .select([...connectionColumns, "icb.name as icb_name"])
    .where("graph_connection.id", "=", id)
    .executeTakeFirst();
}
export type ConnectionRow = NonNullable<Awaited<ReturnType<typeof getConnection>>>;

/** Connections of some ICBs (null: all), each with its latest run. */
export function listConnections(db: Db, icbCodes: string[] | null) {
  let q = db
    .selectFrom("graph_connection")
    .innerJoin("icb", "icb.code", "graph_connection.icb_code")
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom("graph_sync_run")
          .select(["graph_sync_run.status", "graph_sync_run.finished_at", "graph_sync_run.counts"])
          .whereRef("graph_sync_run.connection_id", "=", "graph_connection.id")
          .orderBy("graph_sync_run.id", "desc")
          .limit(1)
          .as("last"),
      (join) => join.onTrue(),
    )
    .select([
      "graph_connection.id",
      "graph_connection.name",
      "graph_connection.icb_code",
      "icb.name as icb_name",
      "graph_connection.sync_every_hours",
      "last.status as last_status",
      "last.finished_at as last_finished_at",
      "last.counts as last_counts",
    ])
    .orderBy("icb.name")
    .orderBy("graph_connection.name")
    .limit(500);
  if (icbCodes) {
    if (icbCodes.length === 0) return Promise.resolve([]);
    q = q.where("graph_connection.icb_code", "in", icbCodes);
  }
  return q.execute();
}

export interface ConnectionValues {
  icb_code: string;
  name: string;
  tenant_id: string;
  client_id: string;
  authority_url: string;
  graph_url: string;
  ods_field: string | null;
  sync_every_hours: number | null;
  missing_after_days: number;
}

export async function insertConnection(db: Db, v: ConnectionValues & { client_secret_enc: string | null; created_by: number }) {
  const row = await db
    .insertInto("graph_connection")
    .values({ ...v, next_sync_at: v.sync_every_hours ? new Date() : null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Null when the version no longer matches (someone else saved first). */
export async function updateConnection(
  db: Db,
  id: number,
  version: number,
  v: Omit<ConnectionValues, "icb_code"> & { client_secret_enc?: string | null; next_sync_at: Date | null },
) {
  const row = await db
    .updateTable("graph_connection")
    .set({ ...v, updated_at: new Date(), version: sql`version + 1` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export function listRules(db: Db, connectionId: number) {
  return db
    .selectFrom("graph_rule")
    .innerJoin("practice", "practice.ods_code", "graph_rule.practice_code")
    .select(["graph_rule.kind", "graph_rule.value", "graph_rule.practice_code", "practice.name as practice_name"])
    .where("graph_rule.connection_id", "=", connectionId)
    .orderBy("graph_rule.kind", "desc")
    .orderBy("graph_rule.value")
    .execute();
}

export async function replaceRules(db: Db, connectionId: number, rules: Rule[]) {
  await db.deleteFrom("graph_rule").where("connection_id", "=", connectionId).execute();
  for (const part of chunks(rules, 1000)) {
    await db
      .insertInto("graph_rule")
      .values(part.map((r) => ({ connection_id: connectionId, kind: r.kind, value: r.value, practice_code: r.practice_code })))
      .execute();
  }
}

export async function loadPractices(db: Db, codes: string[]) {
  if (!codes.length) return [];
  const out: { ods_code: string; icb_code: string | null; name: string }[] = [];
  for (const part of chunks(codes, 5000))
    out.push(...(await db.selectFrom("practice").select(["ods_code", "icb_code", "name"]).where("ods_code", "in", part).execute()));
  return out;
}

export function icbsByCodes(db: Db, codes: string[] | null) {
  let q = db.selectFrom("icb").select(["code", "name"]).orderBy("name");
  if (codes) {
    if (!codes.length) return Promise.resolve([]);
    q = q.where("code", "in", codes);
  }
  return q.execute();
}

export interface SyncRunInsert {
  connection_id: number;
  job_id: number | null;
  trigger: "manual" | "schedule";
  user_id: number | null;
  status: "done" | "failed";
  import_run_id: number | null;
  counts: unknown;
  changes: unknown[];
  unmapped: unknown[];
  issues: unknown[];
  error: string | null;
  started_at: Date;
}

export async function insertSyncRun(db: Db, r: SyncRunInsert) {
  const row = await db
    .insertInto("graph_sync_run")
    .values({
      ...r,
      counts: JSON.stringify(r.counts),
      changes: JSON.stringify(r.changes),
      unmapped: JSON.stringify(r.unmapped),
      issues: JSON.stringify(r.issues),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findRunOfJob(db: Db, jobId: number) {
  return db.selectFrom("graph_sync_run").select(["id", "counts"]).where("job_id", "=", jobId).executeTakeFirst();
}

export function listRuns(db: Db, connectionId: number, limit: number, offset: number) {
  return db
    .selectFrom("graph_sync_run")
    .leftJoin("app_user", "app_user.id", "graph_sync_run.user_id")
    .select([
      "graph_sync_run.id",
      "graph_sync_run.trigger",
      "graph_sync_run.status",
      "graph_sync_run.counts",
      "graph_sync_run.error",
      "graph_sync_run.started_at",
      "graph_sync_run.finished_at",
      "app_user.name as user_name",
    ])
    .where("graph_sync_run.connection_id", "=", connectionId)
    .orderBy("graph_sync_run.id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countRuns(db: Db, connectionId: number) {
  const r = await db
    .selectFrom("graph_sync_run")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("connection_id", "=", connectionId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function getRun(db: Db, id: number) {
  return db
    .selectFrom("graph_sync_run")
    .leftJoin("app_user", "app_user.id", "graph_sync_run.user_id")
    .selectAll("graph_sync_run")
    .select("app_user.name as user_name")
    .where("graph_sync_run.id", "=", id)
    .executeTakeFirst();
}

export interface SeenRow {
  graph_id: string;
  device_name: string | null;
  serial_number: string | null;
  practice_code: string | null;
  fingerprint: string;
}

/** The fingerprints the last run stored, by Graph id. */
export async function loadFingerprints(db: Db, connectionId: number) {
  const rows = await db
    .selectFrom("graph_device_seen")
    .select(["graph_id", "fingerprint"])
    .where("connection_id", "=", connectionId)
    .execute();
  return new Map(rows.map((r) => [r.graph_id, r.fingerprint]));
}

/** Records every device in this pull as present now (set-based, 1,000 a statement). */
export async function upsertSeen(db: Db, connectionId: number, rows: SeenRow[], now: Date) {
  for (const part of chunks(rows, 1000)) {
    await db
      .insertInto("graph_device_seen")
      .values(part.map((r) => ({ ...r, connection_id: connectionId, last_present_at: now, missing_since: null })))
      .onConflict((oc) =>
        oc.columns(["connection_id", "graph_id"]).doUpdateSet((eb) => ({
          device_name: eb.ref("excluded.device_name"),
          serial_number: eb.ref("excluded.serial_number"),
          practice_code: eb.ref("excluded.practice_code"),
          fingerprint: eb.ref("excluded.fingerprint"),
          last_present_at: eb.ref("excluded.last_present_at"),
          missing_since: null,
        })),
      )
      .execute();
  }
}

/** Devices the connection saw before but not in this pull: missing since now, unless already missing. */
export async function markMissing(db: Db, connectionId: number, now: Date) {
  const rows = await db
    .updateTable("graph_device_seen")
    .set({ missing_since: now })
    .where("connection_id", "=", connectionId)
    .where("last_present_at", "<", now)
    .where("missing_since", "is", null)
    .returning("graph_id")
    .execute();
  return rows.length;
}

/** Devices missing from the source since on or before `cutoff`: the flagged ones. */
export function listMissing(db: Db, connectionId: number, cutoff: Date, limit = 500) {
  return db
    .selectFrom("graph_device_seen")
    .leftJoin("practice", "practice.ods_code", "graph_device_seen.practice_code")
    .select([
      "graph_device_seen.graph_id",
      "graph_device_seen.device_name",
      "graph_device_seen.serial_number",
      "graph_device_seen.practice_code",
      "practice.name as practice_name",
      "graph_device_seen.missing_since",
      "graph_device_seen.last_present_at",
    ])
    .where("graph_device_seen.connection_id", "=", connectionId)
    .where("graph_device_seen.missing_since", "<=", cutoff)
    .orderBy("graph_device_seen.missing_since")
    .orderBy("graph_device_seen.device_name")
    .limit(limit)
    .execute();
}

/**
 * The practice's devices flagged missing from Intune: missing from a connection's pulls for at
 * least that connection's number of days. Matched to the register by practice and serial number.
 */
export function missingAtPractice(db: Db, practiceCode: string) {
  return db
    .selectFrom("graph_device_seen")
    .innerJoin("graph_connection", "graph_connection.id", "graph_device_seen.connection_id")
    .select(["graph_device_seen.serial_number", "graph_device_seen.device_name", "graph_device_seen.missing_since"])
    .where("graph_device_seen.practice_code", "=", practiceCode)
    .where("graph_device_seen.missing_since", "is not", null)
    .where(sql<boolean>`graph_device_seen.missing_since <= now() - make_interval(days => graph_connection.missing_after_days)`)
    .orderBy("graph_device_seen.missing_since")
    .limit(1000)
    .execute();
}

/** Scheduled connections due a run (with a stored secret), oldest due first. */
export function dueConnections(db: Db, now: Date) {
  return db
    .selectFrom("graph_connection")
    .select(["id", "name", "icb_code", "sync_every_hours"])
    .where("sync_every_hours", "is not", null)
    .where("client_secret_enc", "is not", null)
    .where((eb) => eb.or([eb("next_sync_at", "is", null), eb("next_sync_at", "<=", now)]))
    .orderBy("next_sync_at")
    .limit(100)
    .execute();
}

export async function setNextSync(db: Db, id: number, at: Date | null) {
  await db.updateTable("graph_connection").set({ next_sync_at: at }).where("id", "=", id).execute();
}
