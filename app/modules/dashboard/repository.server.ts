import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { ComplianceStatus, TelephonyType } from "#db/types";
import type { DeviceOsGroup, PracticeFacts } from "./estate-risk";
import type { RequestTotal } from "./pipeline";
import type { TrendCount } from "./trend";

/**
 * The dashboard's SQL: each function is one statement for the whole ICB, whatever the number
 * of practices or devices (test/integration/query-count-dashboard.test.ts holds it to that).
 */

/**
 * The results in force on each of `dates` across the ICB's open practices, as counts by date,
 * status and weight, and (status null) the practices with any result on that date. One pass
 * over the ICB's change points: each row holds from its as-of date until the next change point
 * of the same practice and requirement. Rows sharing a status, weight and span are counted
 * together before meeting the dates (spans are few: one per pair of evaluation dates), so the
 * join stays small however many practices the ICB has. A practice has results from its first
 * change point on (results are never removed back to nothing).
 */
export async function trendCounts(db: Db, icbCode: string, dates: readonly string[]) {
  if (dates.length === 0) return { counts: [] as TrendCount[], practices: new Map<string, number>() };
  const last = [...dates].sort().at(-1)!;
  const rows = await sql<{ date: string; status: ComplianceStatus | null; weight: number | null; n: number }>`
    with dates as (select cast(d as date) as d from unnest(string_to_array(${dates.join(",")}, ',')) as d),
    results as (
      select r.practice_code, r.requirement_id, r.status, r.as_of, q.weight
      from evaluation_result r
      join practice p on p.ods_code = r.practice_code
      join requirement q on q.id = r.requirement_id and q.retired_at is null
      where p.icb_code = ${icbCode} and p.status = 'A' and r.as_of <= ${last}
    ),
    spans as (
      select status, weight, as_of, until, count(*) as n
      from (
        select status, weight, as_of, lead(as_of) over (partition by practice_code, requirement_id order by as_of) as until
        from results
      ) s
      group by status, weight, as_of, until
    ),
    firsts as (select practice_code, min(as_of) as first from results group by practice_code)
    select dates.d as date, spans.status, spans.weight, sum(spans.n)::int as n
    from dates join spans on spans.as_of <= dates.d and (spans.until is null or spans.until > dates.d)
    group by dates.d, spans.status, spans.weight
    union all
    select dates.d, null, null, count(firsts.practice_code)::int
    from dates left join firsts on firsts.first <= dates.d
    group by dates.d`.execute(db);
  const counts: TrendCount[] = [];
  const practices = new Map<string, number>();
  for (const r of rows.rows) {
    if (r.status === null) practices.set(r.date, Number(r.n));
    else counts.push({ date: r.date, status: r.status, weight: Number(r.weight), n: Number(r.n) });
  }
  return { counts, practices };
}

/** The ICB's open practices with their PCN, list size, current telephony and analogue lines at open sites. */
export async function practiceFacts(
  db: Db,
  icbCode: string,
  today: string,
): Promise<(PracticeFacts & { name: string; list_size: number | null })[]> {
  const rows = await sql<{
    ods_code: string;
    name: string;
    list_size: number | null;
    pcn_code: string | null;
    pcn_name: string | null;
    system_type: TelephonyType | null;
    analogue_sites: number;
    analogue_lines: number;
  }>`
    select p.ods_code, p.name, p.list_size, p.pcn_code, pcn.name as pcn_name, t.system_type,
           coalesce(s.analogue_sites, 0)::int as analogue_sites, coalesce(s.analogue_lines, 0)::int as analogue_lines
    from practice p
    left join pcn on pcn.code = p.pcn_code
    left join telephony_system t on t.practice_code = p.ods_code and t.is_current
    left join (
      select practice_code, count(*) filter (where analogue_lines > 0) as analogue_sites, sum(coalesce(analogue_lines, 0)) as analogue_lines
      from site where close_date is null or close_date > ${today}
      group by practice_code
    ) s on s.practice_code = p.ods_code
    where p.icb_code = ${icbCode} and p.status = 'A'
    order by p.ods_code`.execute(db);
  return rows.rows.map((r) => ({ ...r, analogue_sites: Number(r.analogue_sites), analogue_lines: Number(r.analogue_lines) }));
}

/** In-use devices of the ICB's open practices, counted by practice and operating system. */
export async function deviceOsGroups(db: Db, icbCode: string): Promise<DeviceOsGroup[]> {
  const rows = await db
    .selectFrom("device as d")
    .innerJoin("practice as p", "p.ods_code", "d.practice_code")
    .select(["d.practice_code", "d.os_family", "d.os_edition", "d.os_version", "d.esu_years", (eb) => eb.fn.countAll<number>().as("n")])
    .where("p.icb_code", "=", icbCode)
    .where("p.status", "=", "A")
    .where("d.status", "=", "in_use")
    .groupBy(["d.practice_code", "d.os_family", "d.os_edition", "d.os_version", "d.esu_years"])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Funding requests of an ICB for some financial years, counted and summed by year and status. */
export async function requestTotals(db: Db, icbCode: string, years: readonly number[]): Promise<RequestTotal[]> {
  const rows = await db
    .selectFrom("funding_request")
    .select([
      "financial_year",
      "status",
      (eb) => eb.fn.countAll<number>().as("requests"),
      (eb) => eb.fn.sum<number>("amount_pence").as("pence"),
      (eb) => eb.fn.sum<number>("vat_pence").as("vat"),
      (eb) => eb.fn.count<number>("id").filterWhere("vat_pence", "is", null).as("no_vat"),
    ])
    .where("icb_code", "=", icbCode)
    .where("financial_year", "in", [...years])
    .groupBy(["financial_year", "status"])
    .execute();
  return rows.map((r) => ({
    financial_year: r.financial_year,
    status: r.status,
    requests: Number(r.requests),
    pence: Number(r.pence ?? 0),
    vatPence: Number(r.vat ?? 0),
    noVat: Number(r.no_vat),
  }));
}

export async function budgets(db: Db, icbCode: string, years: readonly number[]): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("icb_budget")
    .select(["financial_year", "amount_pence"])
    .where("icb_code", "=", icbCode)
    .where("financial_year", "in", [...years])
    .execute();
  return new Map(rows.map((r) => [r.financial_year, Number(r.amount_pence)]));
}

/** Each practice's ICB code (null outside any ICB), for `codes`. */
export async function practiceIcbs(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string | null>();
  const rows = await db.selectFrom("practice").select(["ods_code", "icb_code"]).where("ods_code", "in", codes).execute();
  return new Map(rows.map((p) => [p.ods_code, p.icb_code]));
}
