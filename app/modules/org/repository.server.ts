import { sql, type ExpressionBuilder } from "kysely";
import type { Db } from "#db/connect";
import type { Database } from "#db/types";
import type { Scope } from "~/utils/permissions";

type PracticeEb = ExpressionBuilder<Database, "practice">;

/** SQL form of a scope over practices. An empty list never matches (never "no filter"). */
export function practiceInScope(eb: PracticeEb, scope: Scope) {
  if (scope.all) return eb.val(true);
  const parts = [];
  if (scope.icbCodes.length) parts.push(eb("practice.icb_code", "in", scope.icbCodes));
  if (scope.practiceCodes.length) parts.push(eb("practice.ods_code", "in", scope.practiceCodes));
  return parts.length ? eb.or(parts) : eb.val(false);
}

export interface PracticeSearch {
  q?: string;
  icbCode?: string;
  subIcbCode?: string;
  pcnCode?: string;
  includeClosed?: boolean;
  limit: number;
  offset: number;
}

function searchFilter(eb: PracticeEb, f: PracticeSearch) {
  const conds = [];
  if (!f.includeClosed) conds.push(eb("practice.status", "=", "A"));
  if (f.icbCode) conds.push(eb("practice.icb_code", "=", f.icbCode));
  if (f.subIcbCode) conds.push(eb("practice.sub_icb_code", "=", f.subIcbCode));
  if (f.pcnCode) conds.push(eb("practice.pcn_code", "=", f.pcnCode));
  const q = f.q?.trim();
  if (q) {
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const compact = q.toUpperCase().replace(/\s+/g, "");
    conds.push(
      eb.or([
        eb(sql`lower(practice.name)`, "like", like),
        eb("practice.ods_code", "=", q.toUpperCase()),
        eb(sql`replace(upper(practice.postcode), ' ', '')`, "like", `${compact}%`),
      ]),
    );
  }
  return eb.and(conds);
}

export async function searchPractices(db: Db, scope: Scope, f: PracticeSearch) {
  const base = db
    .selectFrom("practice")
    .where((eb) => practiceInScope(eb, scope))
    .where((eb) => searchFilter(eb, f));
  const [rows, count] = await Promise.all([
    base
      .leftJoin("pcn", "pcn.code", "practice.pcn_code")
      .select([
        "practice.ods_code",
        "practice.name",
        "practice.postcode",
        "practice.status",
        "practice.country",
        "practice.list_size",
        "practice.list_size_date",
        "practice.clinical_system",
        "practice.icb_code",
        "pcn.name as pcn_name",
      ])
      .orderBy("practice.name")
      .orderBy("practice.ods_code")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findPractice(db: Db, odsCode: string) {
  return db
    .selectFrom("practice")
    .leftJoin("pcn", "pcn.code", "practice.pcn_code")
    .leftJoin("sub_icb", "sub_icb.code", "practice.sub_icb_code")
    .leftJoin("icb", "icb.code", "practice.icb_code")
    .leftJoin("region", "region.code", "practice.region_code")
    .selectAll("practice")
    .select(["pcn.name as pcn_name", "sub_icb.name as sub_icb_name", "icb.name as icb_name", "region.name as region_name"])
    .where("practice.ods_code", "=", odsCode)
    .executeTakeFirst();
}

export function listSites(db: Db, odsCode: string) {
  return db.selectFrom("site").selectAll().where("practice_code", "=", odsCode).orderBy("kind", "desc").orderBy("code").execute();
}

export function listPcnHistory(db: Db, odsCode: string) {
  return db
    .selectFrom("practice_pcn_membership as m")
    .leftJoin("pcn", "pcn.code", "m.pcn_code")
    .select(["m.pcn_code", "pcn.name as pcn_name", "m.start_date", "m.end_date"])
    .where("m.practice_code", "=", odsCode)
    .orderBy("m.start_date", "desc")
    .execute();
}

export function listListSizes(db: Db, odsCode: string) {
  return db
    .selectFrom("practice_list_size")
    .select(["extract_date", "patients"])
    .where("practice_code", "=", odsCode)
    .orderBy("extract_date", "desc")
    .execute();
}

/** ICBs with their active practice counts; `codes` undefined means every ICB. */
export async function listIcbs(db: Db, codes: string[] | undefined, limit: number, offset: number) {
  let q = db.selectFrom("icb").leftJoin("region", "region.code", "icb.region_code");
  if (codes) q = q.where("icb.code", "in", codes.length ? codes : [""]);
  const counts = db
    .selectFrom("practice")
    .select([
      "icb_code",
      (eb) => eb.fn.countAll<number>().as("practices"),
      (eb) => eb.fn.sum<number>("list_size").as("patients"),
      (eb) => eb.fn.min("list_size_date").as("oldest_list_size"),
      (eb) => eb.fn.max("list_size_date").as("newest_list_size"),
    ])
    .where("status", "=", "A")
    .where("country", "=", "England")
    .groupBy("icb_code")
    .as("c");
  const [rows, total] = await Promise.all([
    q
      .leftJoin(counts, "c.icb_code", "icb.code")
      .select([
        "icb.code",
        "icb.name",
        "region.name as region_name",
        "c.practices",
        "c.patients",
        "c.oldest_list_size",
        "c.newest_list_size",
      ])
      .orderBy("icb.name")
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function findIcb(db: Db, code: string) {
  return db
    .selectFrom("icb")
    .leftJoin("region", "region.code", "icb.region_code")
    .select(["icb.code", "icb.name", "icb.region_code", "region.name as region_name"])
    .where("icb.code", "=", code)
    .executeTakeFirst();
}

export function listSubIcbs(db: Db, icbCode: string) {
  const counts = db
    .selectFrom("practice")
    .select(["sub_icb_code", (eb) => eb.fn.countAll<number>().as("practices")])
    .where("status", "=", "A")
    .groupBy("sub_icb_code")
    .as("c");
  const pcns = db
    .selectFrom("pcn")
    .select(["sub_icb_code", (eb) => eb.fn.countAll<number>().as("pcns")])
    .where("close_date", "is", null)
    .groupBy("sub_icb_code")
    .as("p");
  return db
    .selectFrom("sub_icb")
    .leftJoin(counts, "c.sub_icb_code", "sub_icb.code")
    .leftJoin(pcns, "p.sub_icb_code", "sub_icb.code")
    .select(["sub_icb.code", "sub_icb.name", "c.practices", "p.pcns"])
    .where("sub_icb.icb_code", "=", icbCode)
    .orderBy("sub_icb.name")
    .execute();
}

export function findSubIcb(db: Db, code: string) {
  return db
    .selectFrom("sub_icb")
    .leftJoin("icb", "icb.code", "sub_icb.icb_code")
    .select(["sub_icb.code", "sub_icb.name", "sub_icb.icb_code", "icb.name as icb_name"])
    .where("sub_icb.code", "=", code)
    .executeTakeFirst();
}

export async function listPcns(db: Db, subIcbCode: string, limit: number, offset: number) {
  const counts = db
    .selectFrom("practice")
    .select([
      "pcn_code",
      (eb) => eb.fn.countAll<number>().as("practices"),
      (eb) => eb.fn.sum<number>("list_size").as("patients"),
      (eb) => eb.fn.min("list_size_date").as("oldest_list_size"),
      (eb) => eb.fn.max("list_size_date").as("newest_list_size"),
    ])
    .where("status", "=", "A")
    .groupBy("pcn_code")
    .as("c");
  const base = db.selectFrom("pcn").where("pcn.sub_icb_code", "=", subIcbCode).where("pcn.close_date", "is", null);
  const [rows, total] = await Promise.all([
    base
      .leftJoin(counts, "c.pcn_code", "pcn.code")
      .select(["pcn.code", "pcn.name", "pcn.postcode", "c.practices", "c.patients", "c.oldest_list_size", "c.newest_list_size"])
      .orderBy("pcn.name")
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function findPcn(db: Db, code: string) {
  return db
    .selectFrom("pcn")
    .leftJoin("sub_icb", "sub_icb.code", "pcn.sub_icb_code")
    .leftJoin("icb", "icb.code", "sub_icb.icb_code")
    .selectAll("pcn")
    .select(["sub_icb.name as sub_icb_name", "sub_icb.icb_code", "icb.name as icb_name"])
    .where("pcn.code", "=", code)
    .executeTakeFirst();
}

/** Names for a handful of ICB or practice codes, in one query. */
export async function namesOf(db: Db, table: "icb" | "practice", codes: string[]) {
  if (codes.length === 0) return new Map<string, string | null>();
  const rows =
    table === "icb"
      ? await db.selectFrom("icb").select(["code", "name"]).where("code", "in", codes).execute()
      : await db.selectFrom("practice").select(["ods_code as code", "name"]).where("ods_code", "in", codes).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Headline counts for England: open English GP practices, open PCNs, ICBs, sub-ICB locations. */
export async function englandTotals(db: Db): Promise<[string, number][]> {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("practice")
        .select(eb.fn.countAll<number>().as("n"))
        .where("status", "=", "A")
        .where("country", "=", "England")
        .as("practices"),
      eb.selectFrom("pcn").select(eb.fn.countAll<number>().as("n")).where("close_date", "is", null).as("pcns"),
      eb.selectFrom("icb").select(eb.fn.countAll<number>().as("n")).as("icbs"),
      eb.selectFrom("sub_icb").select(eb.fn.countAll<number>().as("n")).as("sub_icbs"),
    ])
    .executeTakeFirstOrThrow();
  return [
    ["Open GP practices", Number(r.practices)],
    ["Open primary care networks (PCNs)", Number(r.pcns)],
    ["Integrated care boards (ICBs)", Number(r.icbs)],
    ["Sub-ICB locations", Number(r.sub_icbs)],
  ];
}

/** A practice's register facts and PCN name, as the API's practice detail gives them (throws if absent). */
export function findPracticeForApi(db: Db, odsCode: string) {
  return db
    .selectFrom("practice")
    .leftJoin("pcn", "pcn.code", "practice.pcn_code")
    .select([
      "practice.ods_code",
      "practice.name",
      "practice.postcode",
      "practice.status",
      "practice.icb_code",
      "practice.sub_icb_code",
      "practice.pcn_code",
      "practice.address",
      "practice.list_size",
      "practice.clinical_system",
      "pcn.name as pcn_name",
    ])
    .where("practice.ods_code", "=", odsCode)
    .executeTakeFirstOrThrow();
}

/** A practice's code, name and ICB: enough to check scope (estate and API access). */
export function findPracticeKey(db: Db, odsCode: string) {
  return db.selectFrom("practice").select(["ods_code", "name", "icb_code"]).where("ods_code", "=", odsCode).executeTakeFirst();
}

/** PCN names by code, for a handful of PCNs. */
export async function pcnNames(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom("pcn")
    .select(["code", "name"])
    .where("code", "in", [...codes])
    .execute();
  return new Map(rows.map((p) => [p.code, p.name]));
}

/** A practice's registered list size and the date of the extract it came from. */
export function findListSize(db: Db, odsCode: string) {
  return db.selectFrom("practice").select(["list_size", "list_size_date"]).where("ods_code", "=", odsCode).executeTakeFirst();
}

/**
 * Successions touching a practice or ICB, either way: what it merged into (`old_code` = code) and
 * what merged into it (`final_code` = code), with the other organisation's name and ICB.
 */
export async function listSuccessions(db: Db, kind: "practice" | "icb", code: string) {
  const rows = await db
    .selectFrom("ods_succession as s")
    .select(["s.old_code", "s.new_code", "s.final_code", "s.effective_date", "s.source_file"])
    .where("s.kind", "=", kind)
    .where((eb) => eb.or([eb("s.old_code", "=", code), eb("s.final_code", "=", code), eb("s.new_code", "=", code)]))
    .orderBy("s.effective_date")
    .orderBy("s.old_code")
    .execute();
  const codes = [...new Set(rows.flatMap((r) => [r.old_code, r.new_code, r.final_code]))];
  const names =
    codes.length === 0
      ? []
      : kind === "practice"
        ? await db.selectFrom("practice").select(["ods_code as code", "name", "icb_code"]).where("ods_code", "in", codes).execute()
        : await db.selectFrom("icb").select(["code", "name", "code as icb_code"]).where("code", "in", codes).execute();
  const by = new Map(names.map((n) => [n.code, n]));
  const org = (c: string) => ({ code: c, name: by.get(c)?.name ?? null, icb_code: by.get(c)?.icb_code ?? null });
  return rows.map((r) => ({ ...r, old: org(r.old_code), new: org(r.new_code), final: org(r.final_code) }));
}
