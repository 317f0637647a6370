import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Each practice's estate change stamp: sum(weight):max(id) over its `practice_change` rows,
 * which statement-level triggers append whenever a row of the practice's estate (the practice
 * itself, sites, devices, telephony, digital services, Lloyd George and paper records, DSPT
 * statuses) is written, in the writer's own transaction (migration
 * 2026-12-04T10-00-00_practice_change). "0:0" for a practice never written since the
 * migration. Cyber Essentials certificates and cloud telephony months joined the estate after
 * that migration's slot (their tables come from later migrations), so they are hashed here
 * instead: a few rows a practice, read through their practice_code indexes. Figures that depend
 * on one practice's estate alone (the dashboard's forecast) are kept per practice on it, in
 * every server process alike since the stamp lives in the database.
 *
 * With `icbCode`, the same statement also returns a digest of the national and ICB reference
 * data a practice's forecast reads: the OS lifecycle table, the price list (the ICB's own and
 * the national defaults), the ICB's local policy values and the months of cloud telephony data
 * published per region (small tables, hashed in the database).
 */
export async function practiceEstateStamps(
  db: Db,
  codes: readonly string[],
  icbCode?: string,
): Promise<{ stamps: Map<string, string>; digest: string | null }> {
  const digest =
    icbCode === undefined
      ? sql`null::text`
      : sql`(select md5(concat_ws('|',
        (select string_agg(x::text, ',' order by x::text) from os_lifecycle x),
        (select string_agg(x::text, ',' order by x::text) from price_list_entry x where x.icb_code is null or x.icb_code = ${icbCode}),
        (select string_agg(x::text, ',' order by x::text) from icb_policy x where x.icb_code = ${icbCode}),
        (select string_agg(x::text, ',' order by x::text) from cbt_publication x))))`;
  const rows = await sql<{ code: string | null; s: string; m: string; h: string | null; digest: string | null }>`
    with c as (select unnest(string_to_array(${codes.join(",")}, ',')) as code),
    st as (select c.code, coalesce(sum(pc.weight), 0)::text as s, coalesce(max(pc.id), 0)::text as m from c left join practice_change pc on pc.practice_code = c.code group by c.code),
    ce as (select x.practice_code, md5(string_agg(x::text, ',' order by x.id)) as h from cyber_essentials_certificate x where x.practice_code in (select code from c) group by x.practice_code),
    cm as (select x.practice_code, md5(string_agg(x::text, ',' order by x.month)) as h from cbt_month x where x.practice_code in (select code from c) group by x.practice_code)
    select st.code, st.s, st.m, concat_ws('|', ce.h, cm.h) as h, null::text as digest
    from st left join ce on ce.practice_code = st.code left join cm on cm.practice_code = st.code
    union all
    select null, '', '', null, ${digest}`.execute(db);
  const stamps = new Map<string, string>();
  let d: string | null = null;
  for (const r of rows.rows) {
    if (r.code === null) d = r.digest;
    else stamps.set(r.code, `${r.s}:${r.m}:${r.h ?? ""}`);
  }
  return { stamps, digest: d };
}
