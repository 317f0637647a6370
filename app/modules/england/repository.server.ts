import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { ComplianceStatus } from "#db/types";

/**
 * All of England for the national view, each a single statement grouped in the database for a
 * set of ICBs (those whose figures are not already kept): the rows that leave PostgreSQL are a
 * few per ICB, never one per practice, result or device.
 */

/**
 * Results in force on `asOf` at every open practice, counted by ICB, domain and status with
 * their weight, plus (status null) the practices with any result per ICB. The same lateral
 * walk of the (practice, requirement, as_of desc) index as the ICB summary (statusesAt), so the
 * figures agree with each ICB's compliance page.
 */
export async function statusTotals(db: Db, asOf: string, icbCodes: readonly string[]) {
  if (icbCodes.length === 0) return [];
  const rows = await sql<{ icb_code: string; domain: string | null; status: ComplianceStatus | null; n: number; weight: number | null }>`
    with inforce as (
      select p.icb_code, p.ods_code, l.status, q.domain, q.weight
        from practice p
        cross join lateral (
          select distinct on (r.requirement_id) r.requirement_id, r.status
            from evaluation_result r
           where r.practice_code = p.ods_code and r.as_of <= ${asOf}
           order by r.requirement_id, r.as_of desc
        ) l
        join requirement q on q.id = l.requirement_id
       where p.icb_code = any(${sql.val([...icbCodes])}::text[]) and p.status = 'A' and q.retired_at is null
    )
    select icb_code, domain, status, count(*)::int as n, sum(weight)::float8 as weight from inforce group by icb_code, domain, status
    union all
    select icb_code, null, null, count(distinct ods_code)::int, null from inforce group by icb_code`.execute(db);
  return rows.rows.map((r) => ({ ...r, n: Number(r.n), weight: r.weight === null ? null : Number(r.weight) }));
}

/**
 * Every ICB with open practices (the ODS files also list ICBs with none, such as Welsh health
 * boards), with its region, registered patients and current analogue or ISDN telephony.
 */
export async function icbFacts(db: Db) {
  const rows = await sql<{
    code: string;
    name: string | null;
    region_name: string | null;
    practices: number;
    patients: number;
    analogue_telephony: number;
  }>`
    select i.code, i.name, r.name as region_name,
           count(p.ods_code)::int as practices,
           coalesce(sum(p.list_size), 0)::bigint as patients,
           count(t.id)::int as analogue_telephony
      from icb i
      left join region r on r.code = i.region_code
      left join practice p on p.icb_code = i.code and p.status = 'A'
      left join telephony_system t on t.practice_code = p.ods_code and t.is_current and t.system_type in ('analogue', 'isdn')
     group by i.code, i.name, r.name
    having count(p.ods_code) > 0
     order by i.name, i.code`.execute(db);
  return rows.rows.map((r) => ({
    ...r,
    practices: Number(r.practices),
    patients: Number(r.patients),
    analogue_telephony: Number(r.analogue_telephony),
  }));
}

/** Gaps not yet closed at open practices, counted per ICB. */
export async function openGapCounts(db: Db, statuses: readonly string[], icbCodes: readonly string[]) {
  if (icbCodes.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom("gap as g")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .select(["p.icb_code", (eb) => eb.fn.countAll<number>().as("n")])
    .where("g.status", "in", [...statuses] as never)
    .where("p.status", "=", "A")
    .where("p.icb_code", "in", [...icbCodes])
    .groupBy("p.icb_code")
    .execute();
  return new Map(rows.map((r) => [r.icb_code ?? "", Number(r.n)]));
}

/** In-use devices at open practices, by ICB and operating system (a few hundred groups for England). */
export async function deviceOsGroupsByIcb(db: Db, icbCodes: readonly string[]) {
  if (icbCodes.length === 0) return [];
  const rows = await db
    .selectFrom("device as d")
    .innerJoin("practice as p", "p.ods_code", "d.practice_code")
    .select(["p.icb_code", "d.os_family", "d.os_edition", "d.os_version", "d.esu_years", (eb) => eb.fn.countAll<number>().as("n")])
    .where("p.status", "=", "A")
    .where("p.icb_code", "in", [...icbCodes])
    .where("d.status", "=", "in_use")
    .groupBy(["p.icb_code", "d.os_family", "d.os_edition", "d.os_version", "d.esu_years"])
    .execute();
  return rows.map((r) => ({ ...r, icb_code: r.icb_code!, n: Number(r.n) }));
}
