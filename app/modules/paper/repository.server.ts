import { sql } from "kysely";
import type { Db, Trx } from "#db/connect";
import { FACTORS, LATER_FACTORS, SEED_EFFECTIVE_FROM, SEED_FACTORS, type FactorKey, type FactorVersion } from "./factors";
import type { LloydGeorgeInput, PaperActivityRow } from "./schema";

/** All SQL for Lloyd George records, paper activity and emission factors. `db` may be a transaction. */

const LG_COLUMNS = [
  "envelopes_on_site",
  "envelopes_elsewhere",
  "digitised",
  "destroyed",
  "new_envelopes_since_2021",
  "supplier",
  "supplier_approved",
  "contract_start",
  "contract_end",
  "destruction_approved_on",
  "notes",
] as const;

export function getLloydGeorge(db: Db, ods: string) {
  return db.selectFrom("lloyd_george_record").selectAll().where("practice_code", "=", ods).executeTakeFirst();
}
export type LloydGeorgeRow = NonNullable<Awaited<ReturnType<typeof getLloydGeorge>>>;

const lgValues = (i: Omit<LloydGeorgeInput, "version">) =>
  Object.fromEntries(LG_COLUMNS.map((c) => [c, i[c]])) as Omit<LloydGeorgeInput, "version">;

export function insertLloydGeorge(trx: Trx, ods: string, input: Omit<LloydGeorgeInput, "version">, userId: number | null) {
  return trx
    .insertInto("lloyd_george_record")
    .values({ practice_code: ods, ...lgValues(input), updated_by: userId })
    .onConflict((oc) => oc.column("practice_code").doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateLloydGeorge(trx: Trx, ods: string, version: number, input: Omit<LloydGeorgeInput, "version">, userId: number | null) {
  return trx
    .updateTable("lloyd_george_record")
    .set({ ...lgValues(input), version: sql`version + 1`, updated_at: new Date(), updated_by: userId })
    .where("practice_code", "=", ods)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

const ACTIVITY_SELECT = [
  "id",
  "practice_code",
  "site_code",
  "period_start",
  "period_end",
  "sheets_printed",
  "recycled_share_pct",
  "letters_posted",
  "sms_sent",
  "nhs_app_messages",
  "emails_sent",
  "notes",
  "version",
  "updated_at",
] as const;

/** Paper activity for some practices ending on or after `from`, oldest first (one query). */
export function listActivity(db: Db, codes: string[], from = "2000-01-01") {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("paper_activity")
    .select(ACTIVITY_SELECT)
    .where("practice_code", "in", codes)
    .where("period_end", ">=", from)
    .orderBy("practice_code")
    .orderBy("period_start")
    .orderBy("site_code")
    .execute();
}
export type ActivityRow = Awaited<ReturnType<typeof listActivity>>[number];

/** An ICB's open practices' paper activity ending on or after `from` (one query). */
export function listIcbActivity(db: Db, icbCode: string, from: string) {
  return db
    .selectFrom("paper_activity as a")
    .innerJoin("practice as p", "p.ods_code", "a.practice_code")
    .select([
      "a.practice_code",
      "a.site_code",
      "a.period_start",
      "a.period_end",
      "a.sheets_printed",
      "a.recycled_share_pct",
      "a.letters_posted",
      "a.sms_sent",
      "a.nhs_app_messages",
      "a.emails_sent",
    ])
    .where("p.icb_code", "=", icbCode)
    .where("p.status", "=", "A")
    .where("a.period_end", ">=", from)
    .orderBy("a.practice_code")
    .orderBy("a.period_start")
    .execute();
}

export function findActivity(db: Db, ods: string, site: string | null, periodStart: string) {
  return db
    .selectFrom("paper_activity")
    .select(ACTIVITY_SELECT)
    .where("practice_code", "=", ods)
    .where((eb) => (site === null ? eb("site_code", "is", null) : eb("site_code", "=", site)))
    .where("period_start", "=", periodStart)
    .executeTakeFirst();
}

/** Other records for the same practice and site whose months overlap this period. */
export function overlapping(db: Db, ods: string, site: string | null, start: string, end: string) {
  return db
    .selectFrom("paper_activity")
    .select(["period_start", "period_end"])
    .where("practice_code", "=", ods)
    .where((eb) => (site === null ? eb("site_code", "is", null) : eb("site_code", "=", site)))
    .where("period_start", "!=", start)
    .where("period_start", "<=", end)
    .where("period_end", ">=", start)
    .execute();
}

type ActivityValues = Omit<PaperActivityRow, never>;
const activityValues = (r: ActivityValues) => ({
  site_code: r.site_code,
  period_start: r.period_start,
  period_end: r.period_end!,
  sheets_printed: r.sheets_printed,
  recycled_share_pct: r.recycled_share_pct,
  letters_posted: r.letters_posted,
  sms_sent: r.sms_sent,
  nhs_app_messages: r.nhs_app_messages,
  emails_sent: r.emails_sent,
  notes: r.notes,
});

export function insertActivity(trx: Trx, ods: string, row: ActivityValues, userId: number | null) {
  return trx
    .insertInto("paper_activity")
    .values({ practice_code: ods, ...activityValues(row), updated_by: userId })
    .onConflict((oc) => oc.constraint("paper_activity_period_key").doNothing())
    .returning(ACTIVITY_SELECT)
    .executeTakeFirst();
}

export function updateActivity(trx: Trx, id: number, version: number, row: ActivityValues, userId: number | null) {
  return trx
    .updateTable("paper_activity")
    .set({ ...activityValues(row), version: sql`version + 1`, updated_at: new Date(), updated_by: userId })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(ACTIVITY_SELECT)
    .executeTakeFirst();
}

export function listSites(db: Db, ods: string) {
  return db
    .selectFrom("site")
    .select(["code", "name", "kind", "records_storage_m2", "open_date", "close_date"])
    .where("practice_code", "=", ods)
    .orderBy("kind", "desc")
    .orderBy("code")
    .execute();
}

// Emission factors.

export async function listFactorVersions(db: Db): Promise<FactorVersion[]> {
  return db
    .selectFrom("emission_factor")
    .select(["id", "key", "value", "unit", "source", "year", "is_assumption", "effective_from"])
    .orderBy("key")
    .orderBy("effective_from")
    .execute();
}

export function insertFactorVersion(trx: Trx, v: Omit<FactorVersion, "id">, userId: number | null) {
  return trx
    .insertInto("emission_factor")
    .values({ ...v, created_by: userId })
    .onConflict((oc) => oc.constraint("emission_factor_key_effective").doNothing())
    .returning(["id", "key", "value", "unit", "source", "year", "is_assumption", "effective_from"])
    .executeTakeFirst();
}

const seeded = new WeakSet<object>();

/**
 * Writes the first version of every factor that has none (from the research note, see
 * factors.ts). Existing versions are never touched. Cheap after the first call per handle.
 */
export async function ensureEmissionFactors(db: Db) {
  if (seeded.has(db)) return;
  const stored = await db.selectFrom("emission_factor").select(["key", "effective_from"]).execute();
  const have = new Set(stored.map((r) => r.key));
  const haveVersion = new Set(stored.map((r) => `${r.key}|${r.effective_from}`));
  const todo = [
    ...SEED_FACTORS.filter((f) => !have.has(f.key)).map((f) => ({ ...f, effective_from: SEED_EFFECTIVE_FROM })),
    // Later shipped versions: added once each, beside whatever versions an admin has added.
    ...LATER_FACTORS.filter((f) => !haveVersion.has(`${f.key}|${f.effective_from}`)),
  ];
  if (todo.length) {
    await db
      .insertInto("emission_factor")
      .values(todo.map((f) => ({ ...f, unit: FACTORS[f.key as FactorKey].unit, created_by: null })))
      .onConflict((oc) => oc.constraint("emission_factor_key_effective").doNothing())
      .execute();
  }
  if (!db.isTransaction) seeded.add(db);
}
