import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { Domain } from "~/modules/catalogue";
import type { PriceRecurrence } from "#db/types";
import type { GapQuery } from "./costed.server";
import { LEVEL_SCORES } from "./priority";
import { deadlineYear, filteredGaps, linePence, PRICE_PERIOD, priceColumn, priceOfLineOn, priorityScore } from "./repository.server";

/**
 * The ICB dashboard's gap figures added up by the database (issue 12): the same numbers
 * `summariseGaps` (dashboard/gaps-summary.ts) gives from every gap costed in JavaScript, without
 * reading every gap of the ICB into the server. Each gap is priced line by line as
 * `estimateUnits` prices it (pricing/costing.ts): a unit of quantity 0 is costed under another
 * gap and is no line; a unit with no price in force on the day (today, or the day a closed gap
 * closed: the ICB's own latest, else the national one), or priced per 1,000 patients at a
 * practice with no list size, is missing, and the gap has no estimate (its priced part counts
 * apart); a gap with no units has no priced remedy. VAT is per line at its price's rate, rounded
 * half up.
 */

export interface GapFigureRow {
  /** Which grouping the row belongs to: the total, one domain or one financial year of deadline. */
  set: "total" | "domain" | "year";
  domain: Domain | null;
  year: number | null;
  gaps: number;
  practices: number;
  highPriority: number;
  estimatedPence: number;
  vatPence: number;
  noEstimate: number;
  partialPence: number;
  /** Gaps with any line priced from a local estimate. */
  localEstimateGaps: number;
}

/**
 * Of the gaps with a full estimate, their lines' pence by financial year of deadline, unit kind
 * and recurrence: the small set the costs-by-year spread (pricing/financial-year.ts) works from,
 * so any rule about how a kind of annual cost recurs is applied in one place, in JavaScript.
 */
export interface GapYearLine {
  year: number;
  kind: string;
  recurrence: PriceRecurrence;
  pence: number;
}

/**
 * Every figure of the dashboard's gap summary for the gaps a query selects, in one statement,
 * with `topIds`: the ids of the gaps that can be among the `top` highest-priority ones, every
 * gap whose priority score is at least the top-th highest (ties included), so that ordering them
 * by the dashboard's full order (level, score, estimate, deadline, id) in JavaScript gives the
 * same first `top` as ordering every gap.
 */
export async function gapSummaryFigures(
  db: Db,
  query: GapQuery,
  today: string,
  top: number,
): Promise<{ groups: GapFigureRow[]; yearLines: GapYearLine[]; topIds: number[] }> {
  const selected = filteredGaps(db, query).select([
    "g.id",
    "g.practice_code",
    "g.units",
    "g.closed_on",
    "p.icb_code",
    "p.list_size",
    "r.domain",
    deadlineYear.as("deadline_year"),
    priorityScore(today).as("score"),
  ]);
  const line = linePence(priceColumn("basis"), priceColumn("unit_cost_pence"), sql`u.quantity`);
  const rows = await sql<{
    kind: "group" | "line" | "top";
    gd: number;
    gy: number;
    domain: Domain | null;
    year: number | null;
    unit_kind: string | null;
    recurrence: PriceRecurrence | null;
    gaps: string;
    practices: string;
    high: string;
    estimated: string | null;
    vat: string | null;
    no_estimate: string;
    partial: string | null;
    local: string;
  }>`
    with c as (${selected}), ${PRICE_PERIOD},
    lines as (
      -- One row per unit to price (quantity above 0): its pence, or null when it cannot be priced.
      select c.id, u.kind, ${priceColumn("recurrence")} as recurrence, ${priceColumn("local_estimate")} as local_estimate, ${line} as pence,
        floor((${line} * ${priceColumn("vat_rate_percent")} + 50) / 100.0) as vat
      from c cross join lateral jsonb_to_recordset(coalesce(c.units, '[]'::jsonb)) as u(kind text, quantity numeric)
      ${priceOfLineOn(sql`coalesce(c.closed_on, ${today}::date)`)}
      where u.quantity > 0
    ),
    per_gap as (
      select c.id, c.practice_code, c.domain, c.deadline_year, c.score,
        -- No estimate: a unit that cannot be priced, or no priced remedy at all (no unit to price
        -- and none costed under another gap).
        (coalesce(bool_or(l.id is not null and l.pence is null), false) or not exists (
          select 1 from jsonb_array_elements(coalesce(c.units, '[]'::jsonb)) e
          where (e ->> 'quantity')::numeric > 0 or coalesce(e ->> 'costedUnder', e ->> 'replacedUnder') <> '')) as missing,
        coalesce(sum(l.pence), 0) as known, coalesce(sum(l.vat), 0) as vat,
        coalesce(bool_or(l.local_estimate and l.pence is not null), false) as local
      from c left join lines l on l.id = c.id
      group by c.id, c.practice_code, c.domain, c.deadline_year, c.score, c.units
    )
    select 'group' as kind, grouping(domain) as gd, grouping(deadline_year) as gy, domain, deadline_year as year, null as unit_kind, null as recurrence,
      count(*) as gaps, count(distinct practice_code) as practices, count(*) filter (where score >= ${LEVEL_SCORES.high}) as high,
      sum(known) filter (where not missing) as estimated, sum(vat) filter (where not missing) as vat,
      count(*) filter (where missing) as no_estimate, sum(known) filter (where missing) as partial, count(*) filter (where local) as local
    from per_gap group by grouping sets ((), (domain), (deadline_year))
    union all
    select 'line', 1, 1, null, g.deadline_year, l.kind, l.recurrence, 0, 0, 0, sum(l.pence), 0, 0, 0, 0
    from per_gap g join lines l on l.id = g.id
    where not g.missing
    group by g.deadline_year, l.kind, l.recurrence
    union all
    -- The candidates for the highest-priority gaps: their id in the year column.
    select 'top', 1, 1, null, id, null, null, 0, 0, 0, null, null, 0, null, 0
    from per_gap where score >= coalesce((select score from per_gap order by score desc offset ${top - 1} limit 1), -1)`.execute(db);
  const groups: GapFigureRow[] = [];
  const yearLines: GapYearLine[] = [];
  const topIds: number[] = [];
  for (const r of rows.rows) {
    if (r.kind === "top") {
      topIds.push(Number(r.year));
      continue;
    }
    if (r.kind === "line") {
      yearLines.push({ year: Number(r.year), kind: r.unit_kind!, recurrence: r.recurrence!, pence: Number(r.estimated ?? 0) });
      continue;
    }
    groups.push({
      set: r.gd === 0 ? "domain" : r.gy === 0 ? "year" : "total",
      domain: r.gd === 0 ? r.domain : null,
      year: r.gy === 0 ? Number(r.year) : null,
      gaps: Number(r.gaps),
      practices: Number(r.practices),
      highPriority: Number(r.high),
      estimatedPence: Number(r.estimated ?? 0),
      vatPence: Number(r.vat ?? 0),
      noEstimate: Number(r.no_estimate),
      partialPence: Number(r.partial ?? 0),
      localEstimateGaps: Number(r.local),
    });
  }
  return { groups, yearLines, topIds };
}
