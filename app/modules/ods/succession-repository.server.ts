import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Queries for organisation successions (apply/succession.server.ts). Every carry is one
 * set-based statement over all (old, new) pairs of a file, never a statement per row, and runs
 * in the file's transaction; the practice_change and icb_change triggers move the stamps of
 * both the old and the new organisation, so cached ICB figures recompute.
 */

export interface SuccessionRow {
  kind: "practice" | "icb";
  old_code: string;
  new_code: string;
  final_code: string;
  effective_date: string;
  source_file: string;
}

export interface Pair {
  old: string;
  new: string;
  /** The effective date of the succession (YYYY-MM-DD). */
  on: string;
}

/** Every succession already recorded of a kind (a small table: one row per merger). */
export async function loadSuccessions(db: Db, kind: "practice" | "icb"): Promise<SuccessionRow[]> {
  return db
    .selectFrom("ods_succession")
    .select(["kind", "old_code", "new_code", "final_code", "effective_date", "source_file"])
    .where("kind", "=", kind)
    .orderBy("id")
    .execute();
}

export async function practicesByCode(db: Db, codes: string[]) {
  if (codes.length === 0) return new Map<string, { ods_code: string; name: string; icb_code: string | null; status: string }>();
  const rows = await db
    .selectFrom("practice")
    .select(["ods_code", "name", "icb_code", "status"])
    .where("ods_code", "in", [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.ods_code, r]));
}

export async function icbsByCode(db: Db, codes: string[]) {
  if (codes.length === 0) return new Map<string, { code: string; name: string | null; region_code: string | null }>();
  const rows = await db
    .selectFrom("icb")
    .select(["code", "name", "region_code"])
    .where("code", "in", [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

export async function insertIcbs(db: Db, rows: { code: string; name: string; region_code: string | null }[]) {
  if (rows.length) await db.insertInto("icb").values(rows).execute();
}

/**
 * Writes the succession rows as stated, returning how many were new or changed (an identical
 * re-import changes none), then points every earlier row whose records went to an old code of
 * this batch at the new end of the chain.
 */
export async function upsertSuccessions(db: Db, rows: (SuccessionRow & { import_run_id: number | null })[]) {
  if (rows.length === 0) return { written: new Set<string>() };
  const result = await db
    .insertInto("ods_succession")
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(["kind", "old_code", "new_code"])
        .doUpdateSet((eb) => ({
          final_code: eb.ref("excluded.final_code"),
          effective_date: eb.ref("excluded.effective_date"),
          source_file: eb.ref("excluded.source_file"),
          import_run_id: null,
        }))
        .where((eb) =>
          eb.or([
            eb("ods_succession.final_code", "is distinct from", eb.ref("excluded.final_code")),
            eb("ods_succession.effective_date", "is distinct from", eb.ref("excluded.effective_date")),
          ]),
        ),
    )
    .returning(["old_code", "new_code"])
    .execute();
  return { written: new Set(result.map((r) => `${r.old_code}>${r.new_code}`)) };
}

/** Earlier rows whose final code is now itself succeeded: A→B recorded, B→C arrives, A's final becomes C. */
export async function repointFinals(db: Db, kind: "practice" | "icb", finals: Map<string, string>) {
  const olds = [...finals.keys()];
  if (olds.length === 0) return;
  await sql`
    update ods_succession s set final_code = m.final
    from unnest(${olds}::text[], ${olds.map((o) => finals.get(o)!)}::text[]) as m(old, final)
    where s.kind = ${kind} and s.final_code = m.old and s.final_code <> m.final`.execute(db);
}

export async function linkSuccessionsToRun(db: Db, sourceFile: string, runId: number) {
  await db
    .updateTable("ods_succession")
    .set({ import_run_id: runId })
    .where("source_file", "=", sourceFile)
    .where("import_run_id", "is", null)
    .execute();
}

export async function saveCarried(db: Db, kind: "practice" | "icb", oldCode: string, newCode: string, carried: Record<string, number>) {
  await db
    .updateTable("ods_succession")
    .set({ carried: sql`carried || ${JSON.stringify(carried)}::jsonb` })
    .where("kind", "=", kind)
    .where("old_code", "=", oldCode)
    .where("new_code", "=", newCode)
    .execute();
}

const arrays = (pairs: Pair[]) => ({
  olds: sql`${pairs.map((p) => p.old)}::text[]`,
  news: sql`${pairs.map((p) => p.new)}::text[]`,
  ons: sql`${pairs.map((p) => p.on)}::date[]`,
});
type Arrays = ReturnType<typeof arrays>;

type Counts = Map<string, number>;
async function counted(query: ReturnType<typeof sql<{ old: string; n: number | string }>>, db: Db): Promise<Counts> {
  const rows = await query.execute(db);
  return new Map(rows.rows.map((r) => [r.old, Number(r.n)]));
}

/**
 * One step of a carry, reported under `label` in the counts per old code:
 * - `move`: points the rows of `table` whose `column` holds an old code at the new one, in one
 *   statement over every pair. `set` adds assignments after `column = m.new`; `where` adds
 *   conditions after `t.column = m.old` (the table is `t`, the pair `m` with old, new, on_date).
 * - `kept`: counts the rows of `table` still under an old code (left behind on a unique key).
 * - `run`: a statement of its own shape, which may report under several labels.
 * The strings are constants of this file, never input.
 */
type Step =
  | { label: string; move: string; column: "practice_code" | "icb_code"; set?: string; where?: string }
  | { label: string; kept: string }
  | { run: (db: Db, a: Arrays) => Promise<[string, Counts][]> };

function moveRows(db: Db, { olds, news, ons }: Arrays, table: string, column: string, set = "", where = "") {
  return counted(
    sql`
      with m as (select * from unnest(${olds}, ${news}, ${ons}) as m(old, new, on_date)),
      moved as (
        update ${sql.table(table)} t set ${sql.raw(column)} = m.new${sql.raw(set)} from m
        where t.${sql.raw(column)} = m.old${sql.raw(where)}
        returning m.old)
      select old, count(*) as n from moved group by old`,
    db,
  );
}

/** Runs the steps in order, collecting the non-zero counts per old code, labels in step order. */
async function carry(db: Db, pairs: Pair[], steps: Step[]): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (pairs.length === 0) return out;
  const a = arrays(pairs);
  const note = (table: string, counts: Counts) => {
    for (const [old, n] of counts) if (n) (out.get(old) ?? out.set(old, {}).get(old)!)[table] = n;
  };
  for (const step of steps) {
    if ("run" in step) for (const [label, counts] of await step.run(db, a)) note(label, counts);
    else if ("move" in step) note(step.label, await moveRows(db, a, step.move, step.column, step.set, step.where));
    else
      note(
        step.label,
        await counted(
          sql`select practice_code as old, count(*) as n from ${sql.table(step.kept)} where practice_code = any(${a.olds}) group by practice_code`,
          db,
        ),
      );
  }
  return out;
}

const practiceMove = (label: string, move: string, set?: string, where?: string): Step => ({
  label,
  move,
  column: "practice_code",
  set,
  where,
});
const VERSIONED = ", version = t.version + 1, updated_at = now()";

/**
 * The practice carry, in order. The order matters: a `kept` count reads what its table's move left behind, so it follows it;
 * paper records are added to a successor's row before the rest move (the two are disjoint only
 * in that order, as the merge deletes what it added); disputes follow their assessments after
 * those move; duplicate open gaps are closed before gaps move, so the unique open-gap key holds.
 * The counts are reported in this order too.
 */
const PRACTICE_STEPS: Step[] = [
  practiceMove(
    "devices",
    "device",
    "",
    `
          and not exists (select 1 from device x where x.practice_code = m.new and t.asset_tag is not null and lower(x.asset_tag) = lower(t.asset_tag))
          and not exists (select 1 from device x where x.practice_code = m.new and t.serial_number is not null and lower(x.serial_number) = lower(t.serial_number))`,
  ),
  { label: "devices kept (same asset tag or serial at the successor)", kept: "device" },

  // A successor keeps its own current telephony; the old practice's becomes a previous system.
  practiceMove(
    "telephony systems",
    "telephony_system",
    `,
          is_current = t.is_current and not exists (select 1 from telephony_system x where x.practice_code = m.new and x.is_current),
          ended_on = case when t.is_current and exists (select 1 from telephony_system x where x.practice_code = m.new and x.is_current)
                          then coalesce(t.ended_on, m.on_date) else t.ended_on end${VERSIONED}`,
  ),

  practiceMove(
    "digital services",
    "digital_service",
    VERSIONED,
    " and not exists (select 1 from digital_service x where x.practice_code = m.new and x.service_key = t.service_key)",
  ),
  { label: "digital services kept (the successor records the same service)", kept: "digital_service" },

  // The old premises become a site (branch) of the successor; their codes are unchanged.
  practiceMove("sites", "site", ", kind = 'branch', version = t.version + 1"),

  // Paper records: one row per practice. Counts add to the successor's; otherwise the row moves.
  {
    run: async (db, { olds, news }) => [
      [
        "paper records (added to the successor's)",
        await counted(
          sql`
      with m as (select * from unnest(${olds}, ${news}) as m(old, new)),
      merged as (
        update lloyd_george_record t set
          envelopes_on_site = case when t.envelopes_on_site is null and o.envelopes_on_site is null then null else coalesce(t.envelopes_on_site, 0) + coalesce(o.envelopes_on_site, 0) end,
          envelopes_elsewhere = case when t.envelopes_elsewhere is null and o.envelopes_elsewhere is null then null else coalesce(t.envelopes_elsewhere, 0) + coalesce(o.envelopes_elsewhere, 0) end,
          digitised = case when t.digitised is null and o.digitised is null then null else coalesce(t.digitised, 0) + coalesce(o.digitised, 0) end,
          destroyed = case when t.destroyed is null and o.destroyed is null then null else coalesce(t.destroyed, 0) + coalesce(o.destroyed, 0) end,
          new_envelopes_since_2021 = case when t.new_envelopes_since_2021 is null and o.new_envelopes_since_2021 is null then null else coalesce(t.new_envelopes_since_2021, 0) + coalesce(o.new_envelopes_since_2021, 0) end,
          notes = concat_ws(E'\n', t.notes, 'Carried from ' || m.old || coalesce(': ' || o.notes, '')),
          version = t.version + 1, updated_at = now()
        from m join lloyd_george_record o on o.practice_code = m.old
        where t.practice_code = m.new
        returning m.old),
      gone as (delete from lloyd_george_record o using merged where o.practice_code = merged.old returning o.practice_code)
      select old, count(*) as n from merged group by old`,
          db,
        ),
      ],
    ],
  },
  practiceMove(
    "paper records",
    "lloyd_george_record",
    VERSIONED,
    " and not exists (select 1 from lloyd_george_record x where x.practice_code = m.new)",
  ),
  practiceMove(
    "paper activity",
    "paper_activity",
    VERSIONED,
    `
          and not exists (select 1 from paper_activity x where x.practice_code = m.new and x.site_code is not distinct from t.site_code and x.period_start = t.period_start)`,
  ),

  // Supplier contracts move unless the successor holds one with the same supplier and reference.
  practiceMove(
    "supplier contracts",
    "supplier_contract",
    ", version = t.version + 1",
    `
          and not exists (select 1 from supplier_contract x where x.holder = m.new and lower(x.supplier) = lower(t.supplier) and lower(x.reference) = lower(t.reference))`,
  ),

  // Assessments move unless the successor has its own in the same cycle; disputes follow them.
  practiceMove(
    "assessments",
    "assessment",
    VERSIONED,
    " and not exists (select 1 from assessment x where x.practice_code = m.new and x.cycle_id = t.cycle_id)",
  ),
  {
    run: async (db, { olds }) => {
      await sql`
    update result_dispute d set practice_code = a.practice_code, version = d.version + 1
    from assessment a where a.id = d.assessment_id and d.practice_code = any(${olds}) and a.practice_code <> d.practice_code`.execute(db);
      return [];
    },
  },

  // Gaps: an open gap the successor also has open (same requirement) is closed first, with an
  // event saying why, so the unique open-gap key holds; then every gap moves, history and
  // funding links (by gap id) with it.
  { run: carryGaps },
];

async function carryGaps(db: Db, { olds, news, ons }: Arrays): Promise<[string, Counts][]> {
  const closed = await sql<{ id: number; old: string; new: string; on_date: string }>`
    with m as (select * from unnest(${olds}, ${news}, ${ons}) as m(old, new, on_date))
    update gap g set status = 'closed', closed_on = greatest(m.on_date, g.first_seen), version = g.version + 1, updated_at = now()
    from m
    where g.practice_code = m.old and g.closed_on is null
      and exists (select 1 from gap x where x.practice_code = m.new and x.requirement_id = g.requirement_id and x.closed_on is null)
    returning g.id, m.old, m.new, to_char(greatest(m.on_date, g.first_seen), 'YYYY-MM-DD') as on_date`.execute(db);
  if (closed.rows.length) {
    await db
      .insertInto("gap_event")
      .values(
        closed.rows.map((r) => ({
          gap_id: r.id,
          on_date: r.on_date,
          kind: "closed" as const,
          to_status: "closed",
          detail: `Closed when ${r.old} merged into ${r.new}, which has its own open gap for this requirement`,
          user_id: null,
        })),
      )
      .execute();
  }
  const gapsMoved = await sql<{ old: string; gaps: string; links: string }>`
    with m as (select * from unnest(${olds}, ${news}) as m(old, new)),
    moved as (update gap g set practice_code = m.new, updated_at = now() from m where g.practice_code = m.old returning g.id, m.old)
    select moved.old, count(distinct moved.id)::text as gaps, count(f.request_id)::text as links
    from moved left join funding_request_gap f on f.gap_id = moved.id group by moved.old`.execute(db);
  const closedBy = new Map<string, number>();
  for (const r of closed.rows) closedBy.set(r.old, (closedBy.get(r.old) ?? 0) + 1);
  return [
    ["gaps", new Map(gapsMoved.rows.map((r) => [r.old, Number(r.gaps)]))],
    ["gaps closed (the successor has the same gap open)", closedBy],
    ["funding links (follow their gaps)", new Map(gapsMoved.rows.map((r) => [r.old, Number(r.links)]))],
  ];
}

/**
 * Moves a merged practice's estate to its successor, per table, leaving behind only rows the
 * successor already holds under the same unique key (reported as `kept`). Returns counts per
 * table per old code. Records published about the old code itself (DSPT, Cyber Essentials, call
 * data, list sizes, PCN membership, evaluation results, audit) stay with it as its history.
 */
export async function carryPracticeEstate(db: Db, pairs: Pair[]): Promise<Map<string, Record<string, number>>> {
  return carry(db, pairs, PRACTICE_STEPS);
}

/** Closes a merged practice that the register still shows open (the successor file is newer than epraccur). */
export async function closeMergedPractices(db: Db, pairs: Pair[]) {
  if (pairs.length === 0) return [];
  const { olds, ons } = arrays(pairs);
  const rows = await sql<{ ods_code: string; status: string; close_date: string | null }>`
    with m as (select * from unnest(${olds}, ${ons}) as m(old, on_date)),
    before as (select p.ods_code, p.status, p.close_date from practice p join m on m.old = p.ods_code where p.status <> 'C')
    update practice p set status = 'C', close_date = coalesce(p.close_date, m.on_date), updated_at = now()
    from m, before b where p.ods_code = m.old and b.ods_code = p.ods_code
    returning b.ods_code, b.status, to_char(b.close_date, 'YYYY-MM-DD') as close_date`.execute(db);
  return rows.rows;
}

/**
 * Moves what belongs to a merged ICB to its successor (ADR 0006): practices, sub-ICB locations,
 * users' ICB scopes, assessment cycles and funding requests still in progress move; policies and
 * local prices are copied where the successor has none of its own; budgets, finished funding
 * requests and the old ICB's own settings stay with it as its history.
 */
export async function carryIcb(db: Db, pairs: Pair[]): Promise<Map<string, Record<string, number>>> {
  return carry(db, pairs, ICB_STEPS);
}

const icbMove = (label: string, move: string, set?: string, where?: string): Step => ({ label, move, column: "icb_code", set, where });

/**
 * The ICB carry, in order: a user's old scope is removed only after the scopes the successor
 * lacks have moved, so what is left is exactly the duplicates; copies come last and read only
 * the old ICB's own rows.
 */
const ICB_STEPS: Step[] = [
  icbMove("practices", "practice", ", updated_at = now()"),
  icbMove("sub-ICB locations", "sub_icb"),
  icbMove("assessment cycles", "assessment_cycle", ", version = t.version + 1"),
  icbMove("funding requests in progress", "funding_request", VERSIONED, " and t.status not in ('delivered', 'rejected')"),

  // Users' ICB scopes: a user already scoped to the successor in the same role keeps that one.
  icbMove(
    "user scopes",
    "membership",
    "",
    ` and t.practice_code is null
          and not exists (select 1 from membership x where x.user_id = t.user_id and x.role = t.role and x.icb_code = m.new and x.practice_code is null)`,
  ),
  {
    run: async (db, { olds, news }) => [
      [
        "user scopes already held for the successor (old scope removed)",
        await counted(
          sql`
      with m as (select * from unnest(${olds}, ${news}) as m(old, new)),
      gone as (delete from membership u using m where u.icb_code = m.old and u.practice_code is null returning m.old)
      select old, count(*) as n from gone group by old`,
          db,
        ),
      ],
    ],
  },

  {
    run: async (db, { olds, news }) => [
      [
        "policies copied",
        await counted(
          sql`
      with m as (select * from unnest(${olds}, ${news}) as m(old, new)),
      src as (
        select distinct on (m.new, p.key) m.old, m.new, p.key, p.value, p.set_by from icb_policy p join m on m.old = p.icb_code
        order by m.new, p.key, m.old),
      added as (
        insert into icb_policy (icb_code, key, value, set_by) select new, key, value, set_by from src
        on conflict do nothing
        returning icb_code, key)
      select src.old, count(*) as n from added join src on src.new = added.icb_code and src.key = added.key group by src.old`,
          db,
        ),
      ],
      [
        "local prices copied",
        await counted(
          sql`
      with m as (select * from unnest(${olds}, ${news}) as m(old, new)),
      src as (
        select distinct on (m.new, e.unit_kind, e.effective_from) m.old, m.new, e.* from price_list_entry e join m on m.old = e.icb_code
        order by m.new, e.unit_kind, e.effective_from, m.old),
      added as (
        insert into price_list_entry (icb_code, unit_kind, basis, unit_cost_pence, effective_from, source, local_estimate, vat_rate_percent, finance, recurrence, created_by)
        select new, unit_kind, basis, unit_cost_pence, effective_from, source || ' (from ' || old || ')', local_estimate, vat_rate_percent, finance, recurrence, created_by from src
        on conflict do nothing
        returning icb_code, unit_kind, effective_from)
      select src.old, count(*) as n from added join src on src.new = added.icb_code and src.unit_kind = added.unit_kind and src.effective_from = added.effective_from
      group by src.old`,
          db,
        ),
      ],
    ],
  },
];

/** The successions touching one practice or ICB, both ways, for its page. */
export async function successionsOf(db: Db, kind: "practice" | "icb", code: string) {
  return db
    .selectFrom("ods_succession as s")
    .select(["s.old_code", "s.new_code", "s.final_code", "s.effective_date", "s.source_file"])
    .where("s.kind", "=", kind)
    .where((eb) => eb.or([eb("s.old_code", "=", code), eb("s.new_code", "=", code), eb("s.final_code", "=", code)]))
    .orderBy("s.effective_date")
    .orderBy("s.old_code")
    .execute();
}
