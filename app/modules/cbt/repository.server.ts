import { sql } from "kysely";
import type { Db } from "#db/connect";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import type { CbtMonthRow } from "./aggregate.server";

export const KIND = "cbt";

export async function knownPractices(db: Db, codes: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  // In slices: a national file names about 6,000 practices.
  for (let i = 0; i < codes.length; i += 5_000) {
    const slice = codes.slice(i, i + 5_000);
    for (const r of await db.selectFrom("practice").select("ods_code").where("ods_code", "in", slice).execute()) known.add(r.ods_code);
  }
  return known;
}

/**
 * Adds or updates each practice-month. A measure the file does not carry (null) keeps the value
 * an earlier file gave (the By Durations file adds answered-by-duration to the By Day and Time
 * file's counts); an identical row is left alone. Returns the practices written and whether new.
 */
export async function upsertMonths(trx: Db, rows: CbtMonthRow[], fileName: string) {
  const out: { practice_code: string; inserted: boolean }[] = [];
  for (let i = 0; i < rows.length; i += 5_000) {
    const data = rows.slice(i, i + 5_000).map((r) => ({
      practice_code: r.practiceCode,
      month: r.month,
      inbound: r.inbound,
      ivr_ended: r.ivrEnded,
      answered: r.answered,
      missed: r.missed,
      callback_requested: r.callbackRequested,
      callback_made: r.callbackMade,
    }));
    const r = await sql<{ practice_code: string; inserted: boolean }>`
      insert into cbt_month as c (practice_code, month, inbound, ivr_ended, answered, missed, callback_requested, callback_made, source_file)
      select x.practice_code, x.month, x.inbound, x.ivr_ended, x.answered, x.missed, x.callback_requested, x.callback_made, ${fileName}
      from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
        as x(practice_code text, month date, inbound integer, ivr_ended integer, answered integer, missed integer, callback_requested integer, callback_made integer)
      on conflict (practice_code, month) do update set
        inbound = coalesce(excluded.inbound, c.inbound), ivr_ended = coalesce(excluded.ivr_ended, c.ivr_ended),
        answered = coalesce(excluded.answered, c.answered), missed = coalesce(excluded.missed, c.missed),
        callback_requested = coalesce(excluded.callback_requested, c.callback_requested), callback_made = coalesce(excluded.callback_made, c.callback_made),
        source_file = excluded.source_file, imported_at = now()
      where (c.inbound, c.ivr_ended, c.answered, c.missed, c.callback_requested, c.callback_made) is distinct from (
        coalesce(excluded.inbound, c.inbound), coalesce(excluded.ivr_ended, c.ivr_ended), coalesce(excluded.answered, c.answered),
        coalesce(excluded.missed, c.missed), coalesce(excluded.callback_requested, c.callback_requested), coalesce(excluded.callback_made, c.callback_made))
      returning c.practice_code, (xmax = 0) as inserted`.execute(trx);
    out.push(...r.rows);
  }
  return out;
}

/**
 * Records, for each month the file touched, the NHS regions the data now covers (a region is
 * covered when any of its practices is in the month's data, from this file or an earlier one)
 * and how many practices each has. Returns the month-regions that were not covered before.
 */
export async function recordPublications(trx: Db, months: string[], fileName: string): Promise<{ month: string; region_code: string }[]> {
  if (months.length === 0) return [];
  const r = await sql<{ month: string; region_code: string; inserted: boolean }>`
    insert into cbt_publication as p (month, region_code, source_file, practices)
    select c.month, pr.region_code, ${fileName}, count(*)
    from cbt_month c join practice pr on pr.ods_code = c.practice_code
    where c.month = any(${months}::date[]) and pr.region_code is not null
    group by c.month, pr.region_code
    on conflict (month, region_code) do update set practices = excluded.practices, source_file = excluded.source_file, imported_at = now()
    returning to_char(p.month, 'YYYY-MM-DD') as month, p.region_code, (xmax = 0) as inserted`.execute(trx);
  return r.rows.filter((x) => x.inserted).map(({ month, region_code }) => ({ month, region_code }));
}

/** Practices on cloud telephony in the given regions: TEL-10 may change for all of them when a month first covers their region. */
export async function cloudPractices(trx: Db, regionCodes: string[]): Promise<string[]> {
  if (regionCodes.length === 0) return [];
  const rows = await trx
    .selectFrom("telephony_system")
    .innerJoin("practice", "practice.ods_code", "telephony_system.practice_code")
    .select("telephony_system.practice_code")
    .where("telephony_system.is_current", "=", true)
    .where("telephony_system.system_type", "=", "cloud")
    .where("practice.region_code", "in", regionCodes)
    .execute();
  return rows.map((r) => r.practice_code);
}

/** A practice's months, newest first. */
export function practiceMonths(db: Db, practiceCode: string, limit = 13) {
  return db
    .selectFrom("cbt_month")
    .select(["month", "inbound", "ivr_ended", "answered", "missed", "callback_requested", "callback_made"])
    .where("practice_code", "=", practiceCode)
    .orderBy("month", "desc")
    .limit(limit)
    .execute();
}

/** A PCN's months summed over its practices (only practices with data), newest first. */
export function pcnMonths(db: Db, pcnCode: string, limit = 13) {
  return db
    .selectFrom("cbt_month")
    .innerJoin("practice", "practice.ods_code", "cbt_month.practice_code")
    .where("practice.pcn_code", "=", pcnCode)
    .groupBy("cbt_month.month")
    .select((eb) => [
      "cbt_month.month",
      eb.fn.count<number>("cbt_month.practice_code").as("practices"),
      eb.fn.sum<number>("cbt_month.inbound").as("inbound"),
      eb.fn.sum<number>("cbt_month.answered").as("answered"),
      eb.fn.sum<number>("cbt_month.missed").as("missed"),
      eb.fn.sum<number>("cbt_month.callback_requested").as("callback_requested"),
      eb.fn.sum<number>("cbt_month.callback_made").as("callback_made"),
    ])
    .orderBy("cbt_month.month", "desc")
    .limit(limit)
    .execute();
}

/** The latest month imported, with the regions it covers and the practices in its data. */
export async function latestPublication(db: Db) {
  const rows = await db
    .selectFrom("cbt_publication")
    .select(["month", "region_code", "practices"])
    .where("month", "=", (eb) => eb.selectFrom("cbt_publication").select((e) => e.fn.max("month").as("m")))
    .orderBy("region_code")
    .execute();
  if (rows.length === 0) return null;
  return { month: rows[0].month, regions: rows.map((r) => r.region_code), practices: rows.reduce((t, r) => t + Number(r.practices), 0) };
}

/** Practices on cloud telephony, in a region the month's data covers, that the month does not include; a page at a time. */
export async function missingFromMonth(db: Db, month: string, page: number) {
  const base = db
    .selectFrom("telephony_system")
    .innerJoin("practice", "practice.ods_code", "telephony_system.practice_code")
    .where("telephony_system.is_current", "=", true)
    .where("telephony_system.system_type", "=", "cloud")
    .where("practice.status", "=", "A")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("cbt_publication")
          .select("cbt_publication.month")
          .whereRef("cbt_publication.region_code", "=", "practice.region_code")
          .where("cbt_publication.month", "=", month),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("cbt_month")
            .select("cbt_month.practice_code")
            .whereRef("cbt_month.practice_code", "=", "practice.ods_code")
            .where("cbt_month.month", "=", month),
        ),
      ),
    );
  const [rows, total] = await Promise.all([
    base
      .select(["practice.ods_code", "practice.name", "practice.icb_code", "telephony_system.supplier"])
      .orderBy("practice.ods_code")
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return toPage(rows, Number(total.n), page);
}
