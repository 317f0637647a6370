import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Each practice's estate change stamp: sum(weight):max(id) over its `practice_change` rows,
 * which statement-level triggers append whenever a row of the practice's estate (the practice
 * itself, sites, devices, telephony, digital services, Lloyd George and paper records, DSPT
 * statuses) is written, in the writer's own transaction (migration
 * 2026-12-04T10-00-00_practice_change). One index-only statement for any number of practices;
 * "0:0" for a practice never written since the migration. Figures that depend on one practice's
 * estate alone (the dashboard's forecast) are kept per practice on it, in every server process
 * alike since the stamp lives in the database.
 */
export async function practiceEstateStamps(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  // Cyber Essentials certificates and cloud telephony months joined the estate after the
  // trigger migration's slot (their tables are created by later migrations), so they are hashed
  // here instead: a few rows a practice, read through their practice_code indexes.
  const rows = await sql<{ code: string; s: string; m: string; h: string | null }>`
    with c as (select unnest(string_to_array(${codes.join(",")}, ',')) as code),
    st as (select c.code, coalesce(sum(pc.weight), 0)::text as s, coalesce(max(pc.id), 0)::text as m from c left join practice_change pc on pc.practice_code = c.code group by c.code),
    ce as (select x.practice_code, md5(string_agg(x::text, ',' order by x.id)) as h from cyber_essentials_certificate x where x.practice_code in (select code from c) group by x.practice_code),
    cm as (select x.practice_code, md5(string_agg(x::text, ',' order by x.month)) as h from cbt_month x where x.practice_code in (select code from c) group by x.practice_code)
    select st.code, st.s, st.m, concat_ws('|', ce.h, cm.h) as h
    from st left join ce on ce.practice_code = st.code left join cm on cm.practice_code = st.code`.execute(db);
  return new Map(rows.rows.map((r) => [r.code, `${r.s}:${r.m}:${r.h ?? ""}`]));
}

/**
 * A digest of the national and ICB reference data a practice's forecast also reads: the OS
 * lifecycle table, the price list (the ICB's own and the national defaults), the ICB's local
 * policy values and the months of cloud telephony data published per region. Small tables: one statement, a few hundred rows hashed in the database.
 */
export async function forecastReferenceDigest(db: Db, icbCode: string): Promise<string> {
  const row = await sql<{ k: string }>`
    select md5(concat_ws('|',
      (select string_agg(x::text, ',' order by x::text) from os_lifecycle x),
      (select string_agg(x::text, ',' order by x::text) from price_list_entry x where x.icb_code is null or x.icb_code = ${icbCode}),
      (select string_agg(x::text, ',' order by x::text) from icb_policy x where x.icb_code = ${icbCode}),
      (select string_agg(x::text, ',' order by x::text) from cbt_publication x))) as k`.execute(db);
  return row.rows[0].k;
}
