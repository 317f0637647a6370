import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { ComplianceStatus } from "#db/types";
import { loadDeviceRows } from "./device-repository.server";
import { addStored, type StoredOutcome, type StoredOutcomes } from "./stored-outcomes";

/** Practices in a scope, as ODS codes in a stable order. Only open (status A) practices for ICB and national runs. */
export async function listScopePractices(db: Db, scope: { all: true } | { icb: string } | { practices: string[] }): Promise<string[]> {
  let q = db.selectFrom("practice").select("ods_code").orderBy("ods_code");
  if ("icb" in scope) q = q.where("icb_code", "=", scope.icb).where("status", "=", "A");
  else if ("practices" in scope) {
    if (scope.practices.length === 0) return [];
    q = q.where("ods_code", "in", scope.practices);
  } else {
    // All of England: open GP practices only, as the ODS import counts them. Welsh practices
    // (country Wales) and other prescribing settings are in the table but not in England's
    // operating model (issue #13 item 8); --practice still evaluates one by name.
    q = q
      .where("status", "=", "A")
      .where("country", "=", "England")
      .where((eb) => eb.or([eb("prescribing_setting", "=", 4), eb("prescribing_setting", "is", null)]));
  }
  return (await q.execute()).map((r) => r.ods_code);
}

export function loadLifecycleRows(db: Db) {
  return db
    .selectFrom("os_lifecycle")
    .select(["family", "edition", "version", "end_of_support", "extended_end", "esu_year_ends"])
    .execute();
}

/**
 * Supplier contracts of these practices and ICBs still running on `asOf` (or starting later), for
 * the forecast's contract events (forecast/contracts.ts). One query; not part of evaluation.
 */
export async function loadRunningContracts(db: Db, practiceCodes: readonly string[], icbCodes: readonly string[], asOf: string) {
  if (practiceCodes.length === 0 && icbCodes.length === 0) return [];
  const rows = await db
    .selectFrom("supplier_contract")
    .select([
      "id",
      "practice_code",
      "icb_code",
      "supplier",
      "category",
      "service",
      "reference",
      "starts_on",
      "ends_on",
      "ended_on",
      "notice_months",
      "annual_cost_pence",
      "paid_by",
    ])
    .where((eb) =>
      eb.or([
        ...(practiceCodes.length ? [eb("practice_code", "in", [...practiceCodes])] : []),
        ...(icbCodes.length ? [eb("icb_code", "in", [...icbCodes])] : []),
      ]),
    )
    .where(sql<string>`coalesce(ended_on, ends_on)`, ">=", asOf)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, annual_cost_pence: Number(r.annual_cost_pence) }));
}

/**
 * The lowest and highest of some practice codes. A chunk of a national or ICB run is a run of
 * codes in order, so bounding a read by them as well as by the list lets PostgreSQL walk the
 * table's practice index through that stretch alone. With the list only, it read the whole of
 * digital_service and sorted what it kept, for every chunk: 44 ms a chunk against 8 ms bounded
 * (issue 12, session 23). The bounds change no row: every code listed lies within them. That
 * holds only if PostgreSQL orders the codes as JavaScript does, which every collation does for
 * capitals and digits (ODS codes): for any other code there are no bounds (null).
 */
export function codeBounds(codes: readonly string[]): { lo: string; hi: string } | null {
  if (codes.length === 0) return null;
  let lo = codes[0];
  let hi = lo;
  for (const c of codes) {
    if (!/^[A-Z0-9]+$/.test(c)) return null;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  return { lo, hi };
}

/**
 * The estate of a set of practices in a few set queries (the caller chunks the codes). Sites,
 * telephony, services and paper are bounded by `codeBounds` as well. Devices are not: there the
 * bounds led PostgreSQL to walk device_practice_type_idx and sort, twice its CPU for that read.
 * Nor are stored outcomes (loadStoredOutcomes), where they saved nothing.
 */
export async function loadEstateRows(db: Db, codes: string[]) {
  const bounds = codeBounds(codes);
  const [practices, sites, devices, telephony, services, lloydGeorge, paper, dspt, cyberEssentials, cbt, cbtPublished] = await Promise.all([
    db
      .selectFrom("practice")
      .select(["ods_code", "name", "icb_code", "pcn_code", "list_size", "clinical_system"])
      .where("ods_code", "in", codes)
      .orderBy("ods_code")
      .execute(),
    db
      .selectFrom("site")
      .select([
        "practice_code",
        "code",
        "name",
        "kind",
        "open_date",
        "close_date",
        "hscn_connected",
        "bandwidth_mbps",
        "resilient_line",
        "wifi_staff",
        "wifi_patient",
        "comms_room_ok",
        "ups_present",
        "records_storage_m2",
        "analogue_lines",
      ])
      .where("practice_code", "in", codes)
      .$if(bounds !== null, (q) => q.where("practice_code", ">=", bounds!.lo).where("practice_code", "<=", bounds!.hi))
      .orderBy("practice_code")
      .orderBy("kind", "desc")
      .orderBy("code")
      .execute(),
    // One text per device, split in JavaScript (device-repository.server.ts): the largest read by far.
    loadDeviceRows(db, codes),
    db
      .selectFrom("telephony_system")
      .select([
        "practice_code",
        "id",
        "system_type",
        "supplier",
        "on_bpf",
        "contract_start",
        "contract_end",
        "lines",
        "concurrent_calls",
        "call_queuing",
        "queue_position_message",
        "call_back",
        "ivr_routing",
        "clinical_system_integration",
        "realtime_reporting",
        "historic_reporting",
        "remote_agents",
        "multi_site",
        "call_recording",
        "cbt_data_sharing",
        "main_number",
      ])
      .where("practice_code", "in", codes)
      .$if(bounds !== null, (q) => q.where("practice_code", ">=", bounds!.lo).where("practice_code", "<=", bounds!.hi))
      .where("is_current", "=", true)
      .execute(),
    db
      .selectFrom("digital_service")
      .select(["practice_code", "id", "service_key", "status", "supplier", "since_date", "seats"])
      .where("practice_code", "in", codes)
      .$if(bounds !== null, (q) => q.where("practice_code", ">=", bounds!.lo).where("practice_code", "<=", bounds!.hi))
      .orderBy("practice_code")
      .orderBy("service_key")
      .execute(),
    db
      .selectFrom("lloyd_george_record")
      .select([
        "practice_code",
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
      ])
      .where("practice_code", "in", codes)
      .execute(),
    db
      .selectFrom("paper_activity")
      .select([
        "practice_code",
        "id",
        "site_code",
        "period_start",
        "period_end",
        "sheets_printed",
        "recycled_share_pct",
        "letters_posted",
        "sms_sent",
        "nhs_app_messages",
        "emails_sent",
      ])
      .where("practice_code", "in", codes)
      .$if(bounds !== null, (q) => q.where("practice_code", ">=", bounds!.lo).where("practice_code", "<=", bounds!.hi))
      .orderBy("practice_code")
      .orderBy("period_start")
      .orderBy("id")
      .execute(),
    // DSPT status history (SEC-01, rules/dspt.ts): a few rows a year per practice.
    loadDsptRows(db, codes),
    // Cyber Essentials certificates (SEC-05, rules/os-support.ts): one or two a year per practice.
    db
      .selectFrom("cyber_essentials_certificate")
      .select(["practice_code", "id", "level", "certificate_number", "certification_body", "issued_on", "expires_on"])
      .where("practice_code", "in", codes)
      .orderBy("practice_code")
      .orderBy("id")
      .execute(),
    // Cloud telephony data (TEL-04, TEL-10, rules/cbt.ts): one row a month per practice, and the months published.
    db
      .selectFrom("cbt_month")
      .select(["practice_code", "month", "inbound", "answered", "callback_made"])
      .where("practice_code", "in", codes)
      .orderBy("practice_code")
      .orderBy("month")
      .execute(),
    db
      .selectFrom("cbt_publication")
      .innerJoin("practice", "practice.region_code", "cbt_publication.region_code")
      .select(["practice.ods_code as practice_code", "cbt_publication.month"])
      .where("practice.ods_code", "in", codes)
      .orderBy("practice.ods_code")
      .orderBy("cbt_publication.month")
      .execute(),
  ]);
  return { practices, sites, devices, telephony, services, lloydGeorge, paper, dspt, cyberEssentials, cbt, cbtPublished };
}

function loadDsptRows(db: Db, codes: string[]) {
  return db
    .selectFrom("dspt_status")
    .select(["practice_code", "id", "cycle", "status", "outcome", "published_on"])
    .where("practice_code", "in", codes)
    .orderBy("practice_code")
    .orderBy("id")
    .execute();
}

export type EstateRows = Awaited<ReturnType<typeof loadEstateRows>>;

export function loadPolicyOverrides(db: Db, icbCodes?: string[]) {
  let q = db.selectFrom("icb_policy").select(["icb_code", "key", "value", "version", "updated_at", "set_by"]);
  if (icbCodes) {
    if (icbCodes.length === 0) return Promise.resolve([]);
    q = q.where("icb_code", "in", icbCodes);
  }
  return q.orderBy("icb_code").orderBy("key").execute();
}

export type { StoredOutcome, StoredOutcomes };

/**
 * For each (practice, requirement): the row dated exactly `asOf`, if any, and the latest row
 * before it: the outcome in force until this evaluation, by practice and then requirement
 * (`StoredOutcomes`). One query for the whole set. A national run reads 355,000 of these, so they
 * come as one text per practice (requirement with a flag for "dated asOf", id and hash, split by the unit
 * separator, joined with `||`: concat_ws looks up output functions on every row): the driver makes
 * a string per field it receives, and 1.4 million of them cost Node about 0.25 s of CPU more than
 * the split (issue 12, session 11). Requirement ids come from the catalogue and hashes are
 * hex, so neither holds the separator; should a text ever split wrongly, the plain read is used.
 */
export async function loadStoredOutcomes(db: Db, codes: string[], asOf: string): Promise<{ at: StoredOutcomes; before: StoredOutcomes }> {
  const in_ = sql.join(codes);
  const { rows } = await sql<{ practice_code: string; d: string }>`
    select practice_code, string_agg(x, E'\\x1f') as d from (
      select practice_code, '1' || requirement_id || E'\\x1f' || id::text || E'\\x1f' || outcome_hash as x
        from evaluation_result where practice_code in (${in_}) and as_of = ${asOf}
      union all
      select practice_code, '0' || requirement_id || E'\\x1f' || id::text || E'\\x1f' || outcome_hash from (
        select distinct on (practice_code, requirement_id) practice_code, requirement_id, id, outcome_hash
          from evaluation_result where practice_code in (${in_}) and as_of < ${asOf}
          order by practice_code, requirement_id, as_of desc
      ) b
    ) s group by practice_code`.execute(db);
  const at: StoredOutcomes = new Map();
  const before: StoredOutcomes = new Map();
  for (const { practice_code, d } of rows) {
    const v = d.split("\x1f");
    if (v.length % 3 !== 0) return loadStoredOutcomesPlain(db, codes, asOf);
    let atHere: Map<string, StoredOutcome> | undefined;
    let beforeHere: Map<string, StoredOutcome> | undefined;
    for (let i = 0; i < v.length; i += 3) {
      const tag = v[i];
      const o = { id: Number(v[i + 1]), outcome_hash: v[i + 2] };
      if (tag.charCodeAt(0) === 49) (atHere ??= new Map()).set(tag.slice(1), o);
      else (beforeHere ??= new Map()).set(tag.slice(1), o);
    }
    if (atHere) at.set(practice_code, atHere);
    if (beforeHere) before.set(practice_code, beforeHere);
  }
  return { at, before };
}

/** The same as `loadStoredOutcomes`, one row per outcome (the fallback, and what the tests hold it to). */
export async function loadStoredOutcomesPlain(
  db: Db,
  codes: string[],
  asOf: string,
): Promise<{ at: StoredOutcomes; before: StoredOutcomes }> {
  const rows = await sql<StoredOutcome & { at: boolean; practice_code: string; requirement_id: string }>`
    select true as at, id, practice_code, requirement_id, outcome_hash
      from evaluation_result where practice_code in (${sql.join(codes)}) and as_of = ${asOf}
    union all
    select * from (
      select distinct on (practice_code, requirement_id) false as at, id, practice_code, requirement_id, outcome_hash
        from evaluation_result where practice_code in (${sql.join(codes)}) and as_of < ${asOf}
        order by practice_code, requirement_id, as_of desc
    ) b`.execute(db);
  const at: StoredOutcomes = new Map();
  const before: StoredOutcomes = new Map();
  for (const r of rows.rows) addStored(r.at ? at : before, r.practice_code, r.requirement_id, { id: r.id, outcome_hash: r.outcome_hash });
  return { at, before };
}

/** A result to store: its outcome as values, or as the JSON text its hash was taken of (judge.ts's `outcomeText`). */
export type ResultRow = {
  practice_code: string;
  requirement_id: string;
  as_of: string;
  status: ComplianceStatus;
  outcome_hash: string;
} & ({ reason: string; evidence: unknown; units: unknown; upcoming: unknown; outcome_text?: undefined } | { outcome_text: string });

/**
 * One result as the upsert reads it: a JSON array of practice, requirement, date, then the
 * outcome's five values (status, reason, evidence, units, upcoming) and its hash. An outcome
 * already serialised for its hash is reused as it is: serialising a re-check's evidence again
 * (55 MB after the benchmark's 50,000-row import) cost a tenth of a second or more of CPU.
 */
function resultJson(r: ResultRow): string {
  const outcome = r.outcome_text ?? JSON.stringify([r.status, r.reason, r.evidence, r.units, r.upcoming]);
  return `[${JSON.stringify(r.practice_code)},${JSON.stringify(r.requirement_id)},${JSON.stringify(r.as_of)},${outcome.slice(1, -1)},${JSON.stringify(r.outcome_hash)}]`;
}

/**
 * Inserts or replaces results, 2,000 to a statement (rows travel as one JSON parameter). Device
 * rules list every device in their evidence, so a chunk of 500 large practices can come to tens
 * of megabytes of JSON: batches keep the string, and the server's memory, bounded.
 */
export async function upsertResults(db: Db, runId: number, rows: ResultRow[]) {
  for (let i = 0; i < rows.length; i += RESULT_BATCH) await upsertBatch(db, runId, rows.slice(i, i + RESULT_BATCH));
}

export const RESULT_BATCH = 2000;

async function upsertBatch(db: Db, runId: number, rows: ResultRow[]) {
  await sql`
    insert into evaluation_result (practice_code, requirement_id, as_of, status, reason, evidence, units, upcoming, outcome_hash, run_id, evaluated_at)
    select x->>0, x->>1, (x->>2)::date, x->>3, x->>4, nullif(x->5, 'null'), nullif(x->6, 'null'), nullif(x->7, 'null'), x->>8, ${runId}, now()
    from jsonb_array_elements(${`[${rows.map(resultJson).join(",")}]`}::jsonb) as x
    on conflict (practice_code, requirement_id, as_of) do update set
      status = excluded.status, reason = excluded.reason, evidence = excluded.evidence, units = excluded.units,
      upcoming = excluded.upcoming, outcome_hash = excluded.outcome_hash, run_id = excluded.run_id, evaluated_at = excluded.evaluated_at`.execute(
    db,
  );
}

export async function deleteResults(db: Db, ids: number[]) {
  if (ids.length === 0) return;
  await db.deleteFrom("evaluation_result").where("id", "in", ids).execute();
}

export async function insertRun(db: Db, run: { scope: string; asOf: string; userId: number | null; finished?: boolean; counts?: unknown }) {
  const row = await db
    .insertInto("evaluation_run")
    .values({
      scope: run.scope,
      as_of: run.asOf,
      user_id: run.userId,
      finished_at: run.finished ? new Date() : null,
      counts: JSON.stringify(run.counts ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRun(db: Db, id: number, counts: unknown) {
  await db
    .updateTable("evaluation_run")
    .set({ finished_at: new Date(), counts: JSON.stringify(counts) })
    .where("id", "=", id)
    .execute();
}

/**
 * Status only (no reasons or evidence), for summaries across many practices. Written as a
 * lateral join so PostgreSQL walks each practice's slice of the (practice, requirement, as_of
 * desc) index in order, about 56 rows a practice, rather than scanning and sorting every result
 * in England (30 ms instead of 100 ms for the largest ICB).
 */
export async function statusesAt(db: Db, asOf: string, icbCode: string) {
  const rows = await sql<{
    practice_code: string;
    requirement_id: string;
    status: ComplianceStatus;
    practice_name: string;
    pcn_code: string | null;
    domain: string;
    weight: number;
  }>`
    select l.practice_code, l.requirement_id, l.status, p.name as practice_name, p.pcn_code, q.domain, q.weight
      from practice p
      cross join lateral (
        select distinct on (r.requirement_id) r.practice_code, r.requirement_id, r.status
          from evaluation_result r
         where r.practice_code = p.ods_code and r.as_of <= ${asOf}
         order by r.requirement_id, r.as_of desc
      ) l
      join requirement q on q.id = l.requirement_id
     where p.icb_code = ${icbCode} and p.status = 'A' and q.retired_at is null
     order by l.practice_code`.execute(db);
  return rows.rows;
}

/**
 * The results in force on `asOf` (the latest row on or before it) for some practices or an
 * ICB's open practices, optionally for one requirement, with the requirement's facts.
 */
export async function resultsAt(db: Db, asOf: string, where: { practices: string[] } | { icb: string }, requirementId?: string) {
  if ("practices" in where && where.practices.length === 0) return [];
  return db
    .selectFrom((eb) => {
      let q = eb
        .selectFrom("evaluation_result as r")
        .innerJoin("practice as p", "p.ods_code", "r.practice_code")
        .select([
          "r.id",
          "r.practice_code",
          "r.requirement_id",
          "r.as_of",
          "r.status",
          "r.reason",
          "r.evidence",
          "r.units",
          "r.upcoming",
          "r.evaluated_at",
          "p.name as practice_name",
          "p.pcn_code",
        ])
        .distinctOn(["r.practice_code", "r.requirement_id"])
        .where("r.as_of", "<=", asOf)
        .orderBy("r.practice_code")
        .orderBy("r.requirement_id")
        .orderBy("r.as_of", "desc");
      q =
        "icb" in where
          ? q.where("p.icb_code", "=", where.icb).where("p.status", "=", "A")
          : q.where("r.practice_code", "in", where.practices);
      if (requirementId) q = q.where("r.requirement_id", "=", requirementId);
      return q.as("latest");
    })
    .innerJoin("requirement as q", "q.id", "latest.requirement_id")
    .selectAll("latest")
    .select(["q.domain", "q.weight", "q.title", "q.category", "q.funder", "q.sort_order"])
    .where("q.retired_at", "is", null)
    .orderBy("latest.practice_code")
    .orderBy("q.sort_order")
    .execute();
}

/** Every stored change point for a practice, newest first (for history and trends). */
export function changePoints(db: Db, ods: string, opts: { requirementId?: string; until?: string; limit?: number } = {}) {
  let q = db
    .selectFrom("evaluation_result as r")
    .innerJoin("requirement as q", "q.id", "r.requirement_id")
    .select([
      "r.id",
      "r.requirement_id",
      "r.as_of",
      "r.status",
      "r.reason",
      "r.evaluated_at",
      "r.run_id",
      "q.title",
      "q.domain",
      "q.weight",
    ])
    .where("r.practice_code", "=", ods)
    .orderBy("r.as_of", "desc")
    .orderBy("r.requirement_id")
    .orderBy("r.id", "desc");
  if (opts.requirementId) q = q.where("r.requirement_id", "=", opts.requirementId);
  if (opts.until) q = q.where("r.as_of", "<=", opts.until);
  if (opts.limit) q = q.limit(opts.limit);
  return q.execute();
}

/** An ICB's open practices with their PCN and list size, in ODS code order (one query). */
export function listOpenPractices(db: Db, icbCode: string) {
  return db
    .selectFrom("practice as p")
    .leftJoin("pcn", "pcn.code", "p.pcn_code")
    .select(["p.ods_code", "p.name", "p.pcn_code", "pcn.name as pcn_name", "p.list_size", "p.list_size_date"])
    .where("p.icb_code", "=", icbCode)
    .where("p.status", "=", "A")
    .orderBy("p.ods_code")
    .execute();
}

/** The latest finished run that covered a whole ICB (the ICB itself or all of England). */
export function latestIcbRun(db: Db, icbCode: string) {
  return db
    .selectFrom("evaluation_run")
    .select(["id", "scope", "as_of", "finished_at"])
    .where("scope", "in", [`icb:${icbCode}`, "all"])
    .where("finished_at", "is not", null)
    .orderBy("finished_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The latest change to an ICB's local policy, from the audit trail (resets leave no policy row). */
export function latestPolicyChange(db: Db, icbCode: string) {
  return db
    .selectFrom("audit_event")
    .select(["occurred_at", "action", "entity_id"])
    .where("entity_type", "=", "icb_policy")
    .where("entity_id", "like", `${icbCode}:%`)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Display names for the people who set policy values (one query). */
export async function userNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("app_user")
    .select(["id", "name"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function countOpenPractices(db: Db, icbCode: string) {
  const row = await db
    .selectFrom("practice")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("icb_code", "=", icbCode)
    .where("status", "=", "A")
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * For requirements evidenced by register data and attestation: each practice's latest verified
 * answer on or before `asOf`, keyed "practice|requirement". One query for the whole set.
 */
export async function loadVerifiedAttestations(db: Db, codes: string[], requirementIds: string[], asOf: string) {
  const out = new Map<string, { answer: string; answerId: number; cycleName: string; verifiedOn: string }>();
  if (codes.length === 0 || requirementIds.length === 0) return out;
  const rows = await sql<{
    practice_code: string;
    requirement_id: string;
    answer: string;
    id: number;
    cycle_name: string;
    verified_on: string;
  }>`
    select distinct on (a.practice_code, ans.requirement_id)
           a.practice_code, ans.requirement_id, ans.answer, ans.id, c.name as cycle_name,
           to_char(ans.reviewed_at at time zone 'Europe/London', 'YYYY-MM-DD') as verified_on
      from assessment_answer ans
      join assessment a on a.id = ans.assessment_id
      join assessment_cycle c on c.id = a.cycle_id
     where a.practice_code in (${sql.join(codes)})
       and ans.requirement_id in (${sql.join(requirementIds)})
       and ans.review_status = 'verified' and ans.answer is not null
       and (ans.reviewed_at at time zone 'Europe/London')::date <= ${asOf}
     order by a.practice_code, ans.requirement_id, ans.reviewed_at desc, ans.id desc`.execute(db);
  for (const r of rows.rows)
    out.set(`${r.practice_code}|${r.requirement_id}`, {
      answer: r.answer,
      answerId: r.id,
      cycleName: r.cycle_name,
      verifiedOn: r.verified_on,
    });
  return out;
}

/**
 * The (practice, requirement) pairs with a stored result dated after `asOf`: a history row dated
 * `asOf` for one of these ends at that later result, so it never changes what is in force today.
 */
export async function keysStoredAfter(db: Db, codes: string[], asOf: string): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom("evaluation_result")
    .select(["practice_code", "requirement_id"])
    .distinct()
    .where("practice_code", "in", codes)
    .where("as_of", ">", asOf)
    .execute();
  return new Set(rows.map((r) => `${r.practice_code}|${r.requirement_id}`));
}

/** The framework version each practice's ICB has chosen (local policy `framework_version`); practices whose ICB has not chosen are left out. */
export async function frameworkVersionsOf(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom("practice")
    .innerJoin("icb_policy", (j) => j.onRef("icb_policy.icb_code", "=", "practice.icb_code").on("icb_policy.key", "=", "framework_version"))
    .select(["practice.ods_code", "icb_policy.value"])
    .where("practice.ods_code", "in", codes)
    .execute();
  return new Map(rows.flatMap((r) => (typeof r.value === "string" ? [[r.ods_code, r.value] as [string, string]] : [])));
}
