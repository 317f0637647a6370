import { sql, type RawBuilder } from "kysely";
import type { Db } from "#db/connect";
import { withWorkMem } from "#db/work-mem";
import type { GapStatus } from "#db/types";
import type { Scope } from "~/utils/permissions";
import { CATEGORIES, type Category } from "~/modules/catalogue";
import { annualLimitGroups } from "~/modules/pricing/annual-limits";
import { addAnnualEnds, type AnnualEnds } from "~/modules/pricing/financial-year";
import type { CostedGapRow, GapQuery } from "./costed.server";
import { CATEGORY_POINTS, CYBER_RISK_REQUIREMENTS, DEADLINE_SOON_DAYS, PATIENT_POINTS } from "./priority";
import type { GapGroup, GapSort } from "./register";
import { annualEndsOf, totalRow } from "./register-cube";

/**
 * The gap register in SQL: the gaps a query selects, their priority score and estimate computed
 * by the database, so a national register is summed, sorted and paged without reading every gap
 * into the server. The rules are those of `priorityOf` (priority.ts) and `estimateUnits`
 * (pricing/costing.ts); the page's rows are still costed in JavaScript for their wording, and the
 * integration tests hold both forms to the same figures.
 */

export const DEFAULT_STATUSES: readonly GapStatus[] = ["open", "funding_requested", "funded", "in_delivery"];

/** The gaps a query selects, joined to what the register shows about them (no order, no costing). */
export function costedGapsQuery(db: Db, query: GapQuery) {
  return filteredGaps(db, query).select([
    "g.id",
    "g.practice_code",
    "p.name as practice_name",
    "p.list_size",
    "p.list_size_date",
    "p.icb_code",
    "p.sub_icb_code",
    "p.pcn_code",
    "pcn.name as pcn_name",
    "g.requirement_id",
    "r.title",
    "r.domain",
    "r.category",
    "r.funder",
    "g.status",
    "g.result_status",
    "g.reason",
    "g.units",
    "g.first_seen",
    "g.deadline",
    "g.deadline_basis",
    "g.closed_on",
    "g.version",
  ]);
}

/** gap g, practice p, requirement r and pcn narrowed to the query (the user's scope first). */
export function filteredGaps(db: Db, query: GapQuery) {
  let q = db
    .selectFrom("gap as g")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .innerJoin("requirement as r", "r.id", "g.requirement_id")
    .leftJoin("pcn", "pcn.code", "p.pcn_code")
    .where("g.status", "in", [...(query.statuses ?? DEFAULT_STATUSES)]);
  const { scope } = query;
  if (!scope.all) {
    const { icbCodes, practiceCodes } = scope;
    q = q.where((eb) =>
      eb.or([
        ...(icbCodes.length ? [eb("p.icb_code", "in", icbCodes)] : []),
        ...(practiceCodes.length ? [eb("g.practice_code", "in", practiceCodes)] : []),
        // A scope with neither sees nothing (callers normally stop before asking).
        ...(icbCodes.length || practiceCodes.length ? [] : [eb.val(false)]),
      ]),
    );
  }
  if (query.icb) q = q.where("p.icb_code", "=", query.icb);
  if (query.subIcb) q = q.where("p.sub_icb_code", "=", query.subIcb);
  if (query.pcn) q = q.where("p.pcn_code", "=", query.pcn);
  if (query.practice) q = q.where("g.practice_code", "=", query.practice);
  if (query.domain) q = q.where("r.domain", "=", query.domain);
  if (query.category) q = q.where("r.category", "=", query.category);
  if (query.funder) q = q.where("r.funder", "=", query.funder);
  if (query.financialYear !== undefined) {
    q = q.where("g.deadline", ">=", `${query.financialYear}-04-01`).where("g.deadline", "<=", `${query.financialYear + 1}-03-31`);
  }
  if (query.ids) q = query.ids.length ? q.where("g.id", "in", [...query.ids]) : q.where("g.id", "=", -1);
  return q;
}

/** `priorityOf(...).score` as a SQL expression over g, p and r (deadline points depend on `today`). */
export function priorityScore(today: string): RawBuilder<number> {
  const categories = Object.keys(CATEGORIES) as Category[];
  const category = sql.join(
    categories.map((c) => sql`when ${c} then ${sql.lit(CATEGORY_POINTS[c][0])}`),
    sql` `,
  );
  const cyber = [...CYBER_RISK_REQUIREMENTS];
  return sql<number>`(
    (case r.category ${category} else 0 end)
    + (case when r.domain = 'cyber_ig' or g.requirement_id in (${sql.join(cyber)}) then 2 else 0 end)
    + (case when p.list_size >= ${sql.lit(PATIENT_POINTS.two)} then 2 when p.list_size >= ${sql.lit(PATIENT_POINTS.one)} then 1 else 0 end)
    + (case when g.deadline < ${today}::date then 2 when g.deadline <= ${today}::date + ${sql.lit(DEADLINE_SOON_DAYS)} then 1 else 0 end)
    + (case when g.result_status = 'not_met' then 1 else 0 end)
  )::int`;
}

/** Start year of the financial year (1 April) a gap's deadline falls in. */
export const deadlineYear = sql<number>`(extract(year from g.deadline)::int - case when extract(month from g.deadline) < 4 then 1 else 0 end)`;

/**
 * Every price with the day it took effect and the day the next price for the same list and kind
 * did (null: still in force), as the CTE `price_period`, for pricing a line on a given day
 * (`priceOfLineOn`). The national ones have a null ICB code. One list has one price per kind and
 * day (the unique index price_list_entry_key), so a day falls in exactly one period of each list's
 * kind.
 */
export const PRICE_PERIOD = sql`price_period as (
  select icb_code, unit_kind, basis, unit_cost_pence, vat_rate_percent, recurrence, local_estimate, effective_from as from_day,
    lead(effective_from) over (partition by coalesce(icb_code, ''), unit_kind order by effective_from) as until_day
  from price_list_entry
)`;

/** A line's pence for a price's basis and unit cost; null when there is no price or no list size. */
export const linePence = (basis: RawBuilder<unknown>, cost: RawBuilder<unknown>, quantity: RawBuilder<unknown>) => sql`(case ${basis}
  when 'each' then ${cost} * ${quantity}
  when 'per_1000_patients' then floor(${cost} * ${quantity} * c.list_size / 1000.0 + 0.5)
end)`;

/** A column of the line's price (`own` before `nat`), after `priceOfLineOn`. */
export const priceColumn = (column: string) =>
  sql`(case when own.unit_kind is not null then own.${sql.ref(column)} else nat.${sql.ref(column)} end)`;

/**
 * Each line's (u: kind) price in force on `day` for a gap (c: icb_code): the ICB's own (own) before
 * the national one (nat); `priceColumn` names its columns. Needs `PRICE_PERIOD`. Joined on the list
 * and kind with the day inside the period: a subquery per line that sorted the list's prices for
 * the latest one took three times as long (docs/performance.md, session 26).
 */
export const priceOfLineOn = (
  day: RawBuilder<unknown>,
) => sql`left join price_period own on own.icb_code = c.icb_code and own.unit_kind = u.kind
        and own.from_day <= ${day} and (own.until_day is null or ${day} < own.until_day)
      left join price_period nat on nat.icb_code is null and nat.unit_kind = u.kind
        and nat.from_day <= ${day} and (nat.until_day is null or ${day} < nat.until_day)`;

/** What each half of the register's cube is priced at, as a digest per price list ('' the national one). */
export interface PriceDigests {
  /** Every entry in force today: what the open gaps are priced at. */
  today: Map<string, string>;
  /** Every entry in force by the latest day a gap closed: what the closed gaps are priced at; none while no gap has closed. */
  closing: Map<string, string>;
}

/**
 * What the gaps of each ICB can be priced at, as a digest per price list of the columns the
 * pricing chooses and prices by: for the open gaps the entries in force today, for the closed ones
 * the entries in force by the latest day a gap closed (from an index; a gap closed by an ODS
 * succession can be dated after today). A change to a column the pricing does not read (the
 * source), or an entry that takes effect later (a price list for next April), leaves both digests
 * as they were, and the figures priced with them; so does a new version from today for the closed
 * half, until a gap closes on or after today. While no gap has closed, no price decides the closed
 * half (it is empty), so its digests are all ''. A list with no entry in force is '' (as one with
 * none at all). One statement over the price lists (tens of rows).
 */
export async function priceDigests(db: Db, today: string): Promise<PriceDigests> {
  const entry = sql`concat_ws('|', unit_kind, effective_from, basis, unit_cost_pence, vat_rate_percent, recurrence)`;
  const { rows } = await sql<{ icb: string; today: string | null; closing: string | null }>`
    with closed as (select max(closed_on) as day from gap)
    select coalesce(icb_code, '') as icb,
      md5(string_agg(${entry}, ';' order by unit_kind, effective_from) filter (where effective_from <= ${today}::date)) as today,
      md5(string_agg(${entry}, ';' order by unit_kind, effective_from) filter (where effective_from <= (select day from closed))) as closing
    from price_list_entry where effective_from <= greatest(${today}::date, (select day from closed))
    group by coalesce(icb_code, '')`.execute(db);
  const digests = (of: "today" | "closing") => new Map(rows.filter((r) => r[of] !== null).map((r) => [r.icb, r[of]!]));
  return { today: digests("today"), closing: digests("closing") };
}

/** VAT per line at the price's rate, rounded half up (money.ts vatOf); null with the line. */
const lineVat = (pence: RawBuilder<unknown>, rate: RawBuilder<unknown>) => sql`floor((${pence}) * ${rate} / 100.0 + 0.5)`;

/**
 * Memory for each sort and hash of a statement that prices every gap line by line
 * (`gapSumsByLines`): England's open gaps need about 40 MiB for their lines added up per gap (on
 * each of the two connections that price the cube at once).
 */
const PRICING_WORK_MEM = 64;

/** The keys of a cube cell, as `gapCubeByIcb`'s rows select them. */
const CELL_KEYS = ["icb_code", "practice_code", "domain", "category", "funder", "status", "deadline_year"] as const;

/**
 * The gaps of `rows` (a query selecting at least id, units, icb_code, list_size, closed_on and
 * `carried`), one row each with its id, `carried` and its priced sums: `estimate_pence`, `vat_pence`,
 * `annual_pence` and `annual_end_<i>`. Needs the price_period CTE (`PRICE_PERIOD`). The rule is `estimateUnits`'
 * (pricing/costing.ts): a unit takes the ICB's own latest price effective on the day (today, or
 * the day a closed gap closed), else the national one; per 1,000 patients needs a list size and
 * rounds half up to the penny; VAT is worked out per line at its price's rate; a unit of
 * quantity 0 prices at 0; a gap with any unit that cannot be priced, or with no unit to price and
 * none costed under (or replaced by) another gap's work (remediation.ts), has null ("No estimate",
 * never 0).
 *
 * Every unit line is priced once (the lateral `x`, which `offset 0` keeps a step of its own so its
 * pence is not worked out again for each sum), then the lines are added up per gap (GROUP BY its
 * id). For all of England that is half the time of the window sums over each gap's lines that
 * it replaced (docs/performance.md, session 21), and callers carry only the columns they need:
 * the cube its cell's keys, the cost order the order's columns, the register's totals their
 * groupings'. The integration tests hold all three to the JavaScript costing's figures.
 */
function gapSumsByLines(rows: RawBuilder<unknown> | { compile: unknown }, carried: readonly string[], today: string) {
  const keys = sql.join(carried.map((k) => sql.ref(`c.${k}`)));
  // No estimate: no line to price and none costed under another gap ("no priced remedy"), or any
  // line that cannot be priced.
  const whole = (sum: RawBuilder<unknown>) =>
    sql`(case when count(u.n) filter (where u.quantity > 0 or coalesce(u.costed_under, u.replaced_under) <> '') = 0
      or count(u.n) filter (where x.pence is null) > 0 then null else sum(${sum}) end)`;
  const annual = (kinds: RawBuilder<unknown> | null) =>
    sql`(case when x.annual ${kinds ? sql`and u.kind in (${kinds})` : sql``} then x.pence else 0 end)`;
  // Each line at the price in force on its gap's day: today while the gap is open, else the day it closed.
  const pence = sql`(case when u.quantity > 0 then ${linePence(priceColumn("basis"), priceColumn("unit_cost_pence"), sql`u.quantity`)} else 0 end)`;
  return sql`(select c.id, ${keys}, ${whole(sql`x.pence`)} as estimate_pence, ${whole(sql`x.vat`)} as vat_pence,
      ${whole(annual(null))} as annual_pence
      ${sql.join(
        LIMITS.map((limit, i) => sql`, ${whole(annual(sql.join(limit.kinds)))} as ${sql.ref(`annual_end_${i}`)}`),
        sql``,
      )}
    from (${rows}) c
    left join lateral rows from (jsonb_to_recordset(c.units) as (kind text, quantity numeric, "costedUnder" text, "replacedUnder" text))
      with ordinality as u(kind, quantity, costed_under, replaced_under, n) on true
    ${priceOfLineOn(sql`coalesce(c.closed_on, ${today}::date)`)}
    cross join lateral (
      select ${pence}::float8 as pence,
        (case when ${pence} = 0 then 0 else ${lineVat(pence, priceColumn("vat_rate_percent"))} end)::float8 as vat,
        ${priceColumn("recurrence")} = 'annual' as annual
      offset 0
    ) x
    group by c.id, ${keys})`;
}

/**
 * Annual units sold for a limited number of years (pricing/annual-limits.ts), grouped by their
 * last financial year: each group's annual pence is a column `annual_end_<i>` beside `annual_pence`.
 */
const LIMITS = annualLimitGroups();
const limitColumns = (f: (column: RawBuilder<unknown>, i: number) => RawBuilder<unknown>) =>
  sql.join(
    LIMITS.map((_, i) => sql`, ${f(sql.ref(`annual_end_${i}`), i)}`),
    sql``,
  );

/**
 * A group's gaps and their priced sums, over `gapSumsByLines`' rows: the annual parts count only
 * gaps with an estimate (a gap with "No estimate" adds nothing to any sum).
 */
const pricedSums = sql`count(*) as gaps, sum(estimate_pence) as estimated, sum(vat_pence) as vat,
  sum(annual_pence) filter (where estimate_pence is not null) as annual, count(*) filter (where estimate_pence is null) as no_estimate
  ${limitColumns((col) => sql`sum(${col}) filter (where estimate_pence is not null) as ${col}`)}`;

/** The columns of `pricedSums` as the driver gives them. */
type PricedSums = {
  gaps: string;
  estimated: string | null;
  vat: string | null;
  annual: string | null;
  no_estimate: string;
  [end: `annual_end_${number}`]: string | null;
};

/** What a group's key is made of, per grouping: its code and (where it has one) its name. */
const GROUP_KEYS: Record<GapGroup, { code: string; name: string }> = {
  none: { code: "'all'", name: "null" },
  icb: { code: "icb_code", name: "null" },
  sub_icb: { code: "sub_icb_code", name: "null" },
  pcn: { code: "pcn_code", name: "pcn_name" },
  practice: { code: "practice_code", name: "practice_name" },
  domain: { code: "domain", name: "null" },
  category: { code: "category", name: "null" },
  funder: { code: "funder", name: "null" },
  status: { code: "status", name: "null" },
  financial_year: { code: "deadline_year::text", name: "null" },
};

/** What pricing a gap (`gapSumsByLines`) and the register's totals read of it, its practice and its requirement. */
const PRICED_FACTS = [
  "g.id",
  "g.practice_code",
  "p.list_size",
  "p.icb_code",
  "r.domain",
  "r.category",
  "r.funder",
  "g.status",
  "g.units",
  "g.closed_on",
] as const;

/** What `aggregateGapsByIcb` carries of each priced gap: the practice (its patients) and every grouping's columns. */
const GROUPED_FACTS = [
  "icb_code",
  "practice_code",
  "list_size",
  "sub_icb_code",
  "pcn_code",
  "pcn_name",
  "practice_name",
  "domain",
  "category",
  "funder",
  "status",
  "deadline_year",
] as const;

export interface GroupAggregate {
  /** Null for the total row (or a group with no code: no ICB, not in a PCN). */
  code: string | null;
  name: string | null;
  isTotal: boolean;
  gaps: number;
  estimatedPence: number;
  /** VAT on `estimatedPence` (the gaps' lines, each at its price's rate). */
  vatPence: number;
  /** Of `estimatedPence`, the lines priced per year (recurrence annual). */
  annualPence: number;
  /** Of `annualPence`, the units sold for a limited number of years, by last financial year (absent when none). */
  annualEnds?: AnnualEnds;
  noEstimate: number;
  patients: number;
  unknownListSizes: number;
}

/** A group's totals within one ICB (`icb` null for practices in no ICB): adding the parts of several ICBs gives theirs. */
export interface IcbGroupAggregate extends GroupAggregate {
  icb: string | null;
}

/**
 * One row per group with its totals, plus one total row that counts each practice's patients
 * once: one statement whatever the number of gaps. Gaps and costs in the total row are not used
 * by callers (they sum the group rows, so the total always equals the rows).
 */
export async function aggregateGaps(db: Db, query: GapQuery, by: GapGroup, today: string): Promise<GroupAggregate[]> {
  return mergeIcbParts(await aggregateGapsByIcb(db, query, by, today, null));
}

/**
 * The same totals split by ICB, for the ICBs in `icbs.codes` only (null: every ICB, and practices
 * in none): the national register keeps each ICB's part between loads on that ICB's change stamp and
 * asks only for the parts that changed. A practice is in one ICB, so every figure of a group
 * (patients too, each practice counted once) is the sum of its ICB parts.
 */
export async function aggregateGapsByIcb(
  db: Db,
  query: GapQuery,
  by: GapGroup,
  today: string,
  icbs: { codes: readonly string[]; outside?: readonly string[] } | null,
): Promise<IcbGroupAggregate[]> {
  if (icbs && icbs.codes.length === 0 && !icbs.outside) return [];
  const k = GROUP_KEYS[by];
  const code = sql.raw(k.code);
  const name = sql.raw(k.name);
  const costed = inIcbParts(filteredGaps(db, query), icbs).select([
    ...PRICED_FACTS,
    "p.sub_icb_code",
    "p.pcn_code",
    "pcn.name as pcn_name",
    "p.name as practice_name",
    deadlineYear.as("deadline_year"),
  ]);
  const result = await sql<
    PricedSums & {
      icb: string | null;
      code: string | null;
      name: string | null;
      is_total: boolean;
      patients: string | null;
      unknown: string;
    }
  >`
    with ${PRICE_PERIOD},
    per_practice as (
      select icb_code as icb, ${code} as code, ${name} as name, practice_code, list_size,
        ${pricedSums}
      from ${gapSumsByLines(costed, GROUPED_FACTS, today)} c group by icb_code, 2, 3, practice_code, list_size
    )
    select icb, code, name, false as is_total, sum(gaps) as gaps, sum(estimated) as estimated, sum(vat) as vat, sum(annual) as annual,
      sum(no_estimate) as no_estimate,
      sum(list_size) as patients, count(*) filter (where list_size is null) as unknown
      ${limitColumns((col) => sql`sum(${col}) as ${col}`)}
    from per_practice group by icb, code, name
    union all
    select icb, null, null, true, 0, 0, 0, 0, 0, sum(list_size), count(*) filter (where list_size is null)
      ${limitColumns(() => sql`0`)}
    from (select distinct icb, practice_code, list_size from per_practice) d group by icb`.execute(db);
  return result.rows.map((r) => ({
    icb: r.icb,
    code: r.code,
    name: r.name,
    isTotal: r.is_total,
    gaps: Number(r.gaps),
    estimatedPence: Number(r.estimated ?? 0),
    vatPence: Number(r.vat ?? 0),
    annualPence: Number(r.annual ?? 0),
    ...annualEndsOfRow(r),
    noEstimate: Number(r.no_estimate),
    patients: Number(r.patients ?? 0),
    unknownListSizes: Number(r.unknown),
  }));
}

/** The ICB parts asked for (see `aggregateGapsByIcb`); `outside`: also practices in no ICB or in an ICB not listed there. */
export type IcbParts = { codes: readonly string[]; outside?: readonly string[] } | null;

function inIcbParts<Q extends { where: (condition: RawBuilder<boolean>) => Q }>(selected: Q, icbs: IcbParts): Q {
  if (!icbs) return selected;
  const { codes, outside } = icbs;
  const parts = [
    ...(codes.length ? [sql`p.icb_code in (${sql.join([...codes])})`] : []),
    ...(outside ? [sql`p.icb_code is null`, outside.length ? sql`p.icb_code not in (${sql.join([...outside])})` : sql`true`] : []),
  ];
  return selected.where(sql<boolean>`(${sql.join(parts, sql` or `)})`);
}

/** One cell of the register's cube: a practice's gaps of one domain, category, funder, status and deadline year, added up. */
export interface GapCubeCell {
  icb: string | null;
  practiceCode: string;
  domain: string;
  category: string;
  funder: string;
  status: GapStatus;
  /** Start year of the financial year of the deadline (null: no deadline). */
  year: number | null;
  gaps: number;
  estimatedPence: number;
  vatPence: number;
  /** Of `estimatedPence` (gaps with an estimate only), the annual part. */
  annualPence: number;
  noEstimate: number;
  /** `annual_end_<i>` (pricing/annual-limits.ts), gaps with an estimate only. */
  ends: number[];
}

/**
 * The register's cube for the ICB parts asked for: every gap of the statuses asked for, priced as
 * `aggregateGapsByIcb` prices it, added up by practice and by each gap attribute the register filters
 * or groups on (domain, category, funder, status, deadline year). Every total the register shows
 * for a scope of whole ICBs is a sum of these cells (register-cube.ts), so one statement serves
 * every grouping and filter. One statement; the practices' attributes come from `cubePractices`.
 */
export async function gapCubeByIcb(
  db: Db,
  statuses: readonly GapStatus[],
  today: string,
  icbs: IcbParts,
  /** Only the practices of this slice of `count` (by a hash of the ODS code): slices can be added up at once, on as many connections. */
  slice?: { index: number; count: number },
): Promise<GapCubeCell[]> {
  if (icbs && icbs.codes.length === 0 && !icbs.outside) return [];
  let selected = inIcbParts(filteredGaps(db, { scope: { all: true }, statuses }), icbs);
  if (slice && slice.count > 1) selected = selected.where(sql<boolean>`mod(abs(hashtext(p.ods_code)), ${slice.count}) = ${slice.index}`);
  const costed = selected.select([...PRICED_FACTS, deadlineYear.as("deadline_year")]);
  // The cells come back as one JSON text of columns, not a row each: England's open gaps are about
  // 90,000 cells, and the driver's parsing of that many rows (a string per field, then the garbage
  // it leaves) took longer in this process than pricing them took in the database; a column is one
  // array, not an array per cell (issue 12).
  // Every aggregate of one statement reads the same rows in the same order, so the columns line up.
  const column = (name: string) => sql`json_agg(${sql.ref(name)})`;
  const result = await withWorkMem(db, PRICING_WORK_MEM, (trx) =>
    sql<{ cells: string | null }>`
    with ${PRICE_PERIOD}, cells as (
      select icb_code as icb, practice_code, domain, category, funder, status, deadline_year,
        ${pricedSums}
      from ${gapSumsByLines(costed, CELL_KEYS, today)} c
      group by icb_code, practice_code, domain, category, funder, status, deadline_year)
    select case when count(*) > 0 then json_build_array(${sql.join(
      [
        "icb",
        "practice_code",
        "domain",
        "category",
        "funder",
        "status",
        "deadline_year",
        "gaps",
        "estimated",
        "vat",
        "annual",
        "no_estimate",
      ].map(column),
    )} ${sql.join(
      LIMITS.map((_, i) => sql`, ${column(`annual_end_${i}`)}`),
      sql``,
    )})::text end as cells
    from cells`.execute(trx),
  );
  const text = result.rows[0]?.cells;
  if (!text) return [];
  type Column<T> = (T | null)[];
  const [icbColumn, practiceCodes, domains, categories, funders, statusColumn, years, gaps, estimated, vat, annual, noEstimate, ...ends] =
    JSON.parse(text) as [
      Column<string>,
      string[],
      string[],
      string[],
      string[],
      GapStatus[],
      Column<number>,
      number[],
      Column<number>,
      Column<number>,
      Column<number>,
      number[],
      ...Column<number>[],
    ];
  // A national cube is kept in every server process: each repeated text is held once, and cells
  // with no annual ends share one list.
  const texts = new Map<string, string>();
  const once = <T extends string | null>(v: T): T => (v === null ? v : ((texts.get(v) ?? (texts.set(v, v), v)) as T));
  const noEnds: number[] = Object.freeze(LIMITS.map(() => 0)) as number[];
  const cells: GapCubeCell[] = [];
  for (let i = 0; i < practiceCodes.length; i++) {
    let cellEnds = noEnds;
    for (const e of ends)
      if ((e[i] ?? 0) !== 0) {
        cellEnds = ends.map((col) => col[i] ?? 0);
        break;
      }
    cells.push({
      icb: once(icbColumn[i] ?? null),
      practiceCode: once(practiceCodes[i]!),
      domain: once(domains[i]!),
      category: once(categories[i]!),
      funder: once(funders[i]!),
      status: once(statusColumn[i]!),
      year: years[i] ?? null,
      gaps: gaps[i]!,
      estimatedPence: estimated[i] ?? 0,
      vatPence: vat[i] ?? 0,
      annualPence: annual[i] ?? 0,
      noEstimate: noEstimate[i]!,
      ends: cellEnds,
    });
  }
  return cells;
}

/** What the register's groupings read of each practice in the ICB parts asked for. */
export interface CubePractice {
  code: string;
  icb: string | null;
  subIcb: string | null;
  pcn: string | null;
  pcnName: string | null;
  name: string;
  listSize: number | null;
}

export async function cubePractices(db: Db, icbs: IcbParts): Promise<CubePractice[]> {
  const q = inIcbParts(
    db
      .selectFrom("practice as p")
      .leftJoin("pcn", "pcn.code", "p.pcn_code")
      .select(["p.ods_code", "p.icb_code", "p.sub_icb_code", "p.pcn_code", "pcn.name as pcn_name", "p.name", "p.list_size"]),
    icbs,
  );
  return (await q.execute()).map((p) => ({
    code: p.ods_code,
    icb: p.icb_code,
    subIcb: p.sub_icb_code,
    pcn: p.pcn_code,
    pcnName: p.pcn_name,
    name: p.name,
    listSize: p.list_size,
  }));
}

/** The annual-limit groups' last financial years, in the order of `GapCubeCell.ends`. */
export const CUBE_END_YEARS: readonly number[] = LIMITS.map((l) => l.lastYear);

/** The `annual_end_<i>` columns as `annualEnds` (none when every part is 0). */
const annualEndsOfRow = (r: Record<`annual_end_${number}`, string | null>) =>
  annualEndsOf(
    LIMITS.map((_, i) => Number(r[`annual_end_${i}`] ?? 0)),
    CUBE_END_YEARS,
  );

/** ICB parts added up: one row per group, then one total row (always, as `aggregateGaps` gave). */
export function mergeIcbParts(parts: readonly IcbGroupAggregate[]): GroupAggregate[] {
  const groups = new Map<string, GroupAggregate>();
  const total = totalRow({ patients: 0, unknownListSizes: 0 });
  for (const { icb: _icb, ...p } of parts) {
    const into = p.isTotal ? total : groups.get(JSON.stringify([p.code, p.name]));
    if (!into) {
      groups.set(JSON.stringify([p.code, p.name]), { ...p });
      continue;
    }
    into.gaps += p.gaps;
    into.estimatedPence += p.estimatedPence;
    into.vatPence += p.vatPence;
    into.annualPence += p.annualPence;
    if (p.annualEnds) into.annualEnds = addAnnualEnds({ ...into.annualEnds }, p.annualEnds);
    into.noEstimate += p.noEstimate;
    into.patients += p.patients;
    into.unknownListSizes += p.unknownListSizes;
  }
  return [...groups.values(), total];
}

/**
 * ORDER BY for each sort, the same as `sortGaps`: then practice, catalogue order and id, so
 * every order is total and pages are stable. Text compares in the database's collation; codes
 * and ISO dates sort the same in any.
 */
const ORDER: Record<GapSort, string> = {
  priority: "priority_score desc, deadline, practice_code, sort_order, id",
  cost: "estimate_pence desc nulls last, priority_score desc, deadline, practice_code, sort_order, id",
  deadline: "deadline, priority_score desc, practice_code, sort_order, id",
  practice: "practice_name, practice_code, sort_order, id",
};

type OrderedRow = CostedGapRow & { priority_score: number };

/** What the cost order reads of each gap besides its estimate (`ORDER.cost`). */
const COST_ORDER_KEYS = ["priority_score", "deadline", "practice_code", "sort_order"] as const;

/**
 * The selected gaps in the register's order, from `offset`, at most `limit` of them (all when
 * `limit` is null); `idsOnly` reads just their ids (for an export that reads the rows in batches).
 */
async function ordered<T>(
  db: Db,
  query: GapQuery,
  sort: GapSort,
  today: string,
  window: { offset: number; limit: number | null },
  idsOnly: boolean,
): Promise<T[]> {
  const order = sql.raw(ORDER[sort]);
  const columns = sql.raw(idsOnly ? "id" : "*");
  const page = window.limit === null ? sql`` : sql`limit ${window.limit} offset ${window.offset}`;
  const base = costedGapsQuery(db, query).select([priorityScore(today).as("priority_score"), "r.sort_order"]);
  // The other orders skip pricing altogether.
  if (sort !== "cost") return (await sql<T>`select ${columns} from (${base}) c order by ${order} ${page}`.execute(db)).rows;
  // Every gap in scope is priced (line by line, with the order's columns alone), ordered and paged;
  // only the page's gaps are then read whole, by id.
  const byCost = sql`select ${sql.raw(idsOnly ? "id" : "id, estimate_pence")}
    from ${gapSumsByLines(base, COST_ORDER_KEYS, today)} p order by ${order} ${page}`;
  const result = await withWorkMem(db, PRICING_WORK_MEM, (db) =>
    idsOnly
      ? sql<T>`with ${PRICE_PERIOD} ${byCost}`.execute(db)
      : sql<T>`with ${PRICE_PERIOD}, paged as (${byCost})
          select * from (select c.*, paged.estimate_pence from (${base}) c join paged on paged.id = c.id) c order by ${order}`.execute(db),
  );
  return result.rows;
}

/** One page of the register's rows, in its order (one statement). */
export const orderedGapRows = (db: Db, query: GapQuery, sort: GapSort, today: string, offset: number, limit: number) =>
  ordered<OrderedRow>(db, query, sort, today, { offset, limit }, false);

/** Every selected gap's id in the register's order: 4 bytes a gap, so a national export can read rows in batches. */
export async function orderedGapIds(db: Db, query: GapQuery, sort: GapSort, today: string): Promise<Int32Array> {
  const rows = await ordered<{ id: number }>(db, query, sort, today, { offset: 0, limit: null }, true);
  return Int32Array.from(rows, (r) => r.id);
}

/** A gap's history, oldest first (opened, re-opened, status changes, closed). */
export function gapEvents(db: Db, gapId: number) {
  return db
    .selectFrom("gap_event")
    .select(["id", "kind", "on_date", "occurred_at", "from_status", "to_status", "detail"])
    .where("gap_id", "=", gapId)
    .orderBy("id")
    .execute();
}

/** The practices in scope that have ever had a gap, with their ICB, sub-ICB and PCN names (the register's filter options). */
export function practicesWithGaps(db: Db, scope: Scope) {
  let q = db
    .selectFrom("practice as p")
    .leftJoin("icb", "icb.code", "p.icb_code")
    .leftJoin("sub_icb as s", "s.code", "p.sub_icb_code")
    .leftJoin("pcn", "pcn.code", "p.pcn_code")
    .select([
      "p.ods_code",
      "p.name",
      "p.icb_code",
      "icb.name as icb_name",
      "p.sub_icb_code",
      "s.name as sub_icb_name",
      "p.pcn_code",
      "pcn.name as pcn_name",
    ])
    .where((eb) => eb.exists(eb.selectFrom("gap").select("gap.id").whereRef("gap.practice_code", "=", "p.ods_code")));
  if (!scope.all) {
    const { icbCodes, practiceCodes } = scope;
    q = q.where((eb) =>
      eb.or([
        ...(icbCodes.length ? [eb("p.icb_code", "in", icbCodes)] : []),
        ...(practiceCodes.length ? [eb("p.ods_code", "in", practiceCodes)] : []),
      ]),
    );
  }
  return q.execute();
}
