import { sql, type Selectable } from "kysely";
import type { Db } from "#db/connect";
import type { SiteTable } from "#db/types";
import type { ConnectivityInput, NewSiteInput, PremisesInput } from "./schema";

export type SiteRow = Selectable<SiteTable>;

/** Main site first, then branches, open before closed, by code. */
export async function listSites(db: Db, practiceCode: string, limit: number, offset: number) {
  const rows = await db
    .selectFrom("site")
    .selectAll()
    .select(sql<number>`count(*) over ()`.as("total"))
    .where("practice_code", "=", practiceCode)
    .orderBy("kind", "desc")
    .orderBy(sql`close_date is not null`)
    .orderBy("code")
    .limit(limit)
    .offset(offset)
    .execute();
  const total = rows[0]?.total ?? (offset > 0 ? await countSites(db, practiceCode) : 0);
  return { rows: rows.map(({ total: _t, ...r }) => r), total };
}

async function countSites(db: Db, practiceCode: string) {
  const r = await db
    .selectFrom("site")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("practice_code", "=", practiceCode)
    .executeTakeFirst();
  return r?.n ?? 0;
}

export function listAllSites(db: Db, practiceCode: string) {
  return db.selectFrom("site").selectAll().where("practice_code", "=", practiceCode).orderBy("kind", "desc").orderBy("code").execute();
}

export function findSite(db: Db, practiceCode: string, code: string) {
  return db.selectFrom("site").selectAll().where("code", "=", code).where("practice_code", "=", practiceCode).executeTakeFirst();
}

/** Writes the connectivity columns only, if the site is still at the version the editor opened. */
export function updateConnectivity(db: Db, practiceCode: string, code: string, input: ConnectivityInput) {
  return db
    .updateTable("site")
    .set((eb) => ({
      hscn_connected: input.hscn_connected,
      hscn_circuit_id: input.hscn_circuit_id,
      bandwidth_mbps: input.bandwidth_mbps,
      resilient_line: input.resilient_line,
      wifi_staff: input.wifi_staff,
      wifi_patient: input.wifi_patient,
      version: eb("version", "+", 1),
    }))
    .where("code", "=", code)
    .where("practice_code", "=", practiceCode)
    .where("version", "=", input.version)
    .returningAll()
    .executeTakeFirst();
}

/** Writes the premises columns only, if the site is still at the version the editor opened. */
export function updatePremises(db: Db, practiceCode: string, code: string, input: PremisesInput) {
  return db
    .updateTable("site")
    .set((eb) => ({
      comms_room_ok: input.comms_room_ok,
      ups_present: input.ups_present,
      records_storage_m2: input.records_storage_m2,
      ownership: input.ownership,
      planned_move_date: input.planned_move_date,
      planned_works: input.planned_works,
      analogue_lines: input.analogue_lines,
      version: eb("version", "+", 1),
    }))
    .where("code", "=", code)
    .where("practice_code", "=", practiceCode)
    .where("version", "=", input.version)
    .returningAll()
    .executeTakeFirst();
}

/**
 * The next free number for a manual site code (`F84003-M3`). Codes of deleted sites are not
 * reused (their audit events keep the code), so a new site never inherits another's history.
 */
export async function nextManualNumber(db: Db, practiceCode: string): Promise<number> {
  const pattern = `^${practiceCode}-M[0-9]{1,6}$`;
  const fromSites = await db
    .selectFrom("site")
    .select(sql<number>`coalesce(max(split_part(code, '-M', 2)::int), 0)`.as("n"))
    .where("practice_code", "=", practiceCode)
    .where("code", "~", pattern)
    .executeTakeFirst();
  const fromAudit = await db
    .selectFrom("audit_event")
    .select(sql<number>`coalesce(max(split_part(entity_id, '-M', 2)::int), 0)`.as("n"))
    .where("entity_type", "=", "site")
    .where("entity_id", "~", pattern)
    .executeTakeFirst();
  return Math.max(fromSites?.n ?? 0, fromAudit?.n ?? 0) + 1;
}

export function insertManualSite(db: Db, practiceCode: string, code: string, input: NewSiteInput) {
  return db
    .insertInto("site")
    .values({ code, practice_code: practiceCode, is_manual: true, phone: null, close_date: null, ...input })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a manual site at the confirmed version; ODS sites are never deleted here. */
export function deleteManualSite(db: Db, practiceCode: string, code: string, version: number) {
  return db
    .deleteFrom("site")
    .where("code", "=", code)
    .where("practice_code", "=", practiceCode)
    .where("is_manual", "=", true)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export async function countDevicesAtSite(db: Db, practiceCode: string, code: string) {
  const r = await db
    .selectFrom("device")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("practice_code", "=", practiceCode)
    .where("site_code", "=", code)
    .executeTakeFirst();
  return r?.n ?? 0;
}

export async function hasOpenMainSite(db: Db, practiceCode: string) {
  const r = await db
    .selectFrom("site")
    .select("code")
    .where("practice_code", "=", practiceCode)
    .where("kind", "=", "main")
    .where("close_date", "is", null)
    .executeTakeFirst();
  return r?.code ?? null;
}
