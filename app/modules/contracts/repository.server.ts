import { sql, type ExpressionBuilder } from "kysely";
import type { Db } from "#db/connect";
import type { ContractCategory, ContractFramework, ContractPayer, Database } from "#db/types";
import type { ContractFilters, ContractInput } from "./schema";
import type { ContractRow } from "./parse";

export const KIND = "contracts";

/** Whose contracts: one practice's, or an ICB's (its own and its practices'). */
export type Holder = { practiceCode: string } | { icbCode: string };

type Eb = ExpressionBuilder<Database & { p: Database["practice"] }, "supplier_contract" | "p">;

const LIKE_ESCAPE = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);

function holderFilter(eb: Eb, holder: Holder) {
  if ("practiceCode" in holder) return eb("supplier_contract.practice_code", "=", holder.practiceCode);
  return eb.or([eb("supplier_contract.icb_code", "=", holder.icbCode), eb("p.icb_code", "=", holder.icbCode)]);
}

function filterConditions(eb: Eb, f: Partial<ContractFilters>, today: string) {
  const conds = [];
  const end = sql<string>`coalesce(supplier_contract.ended_on, supplier_contract.ends_on)`;
  if (f.status === "current" || f.status === "ending") conds.push(eb(end, ">=", today));
  if (f.status === "ending") conds.push(eb(end, "<=", sql<string>`(${today}::date + interval '12 months')::date`));
  if (f.status === "ended") conds.push(eb(end, "<", today));
  if (f.category) conds.push(eb("supplier_contract.category", "=", f.category));
  if (f.paid_by) conds.push(eb("supplier_contract.paid_by", "=", f.paid_by));
  if (f.practice) conds.push(eb("supplier_contract.holder", "=", f.practice));
  if (f.q) {
    const like = `%${LIKE_ESCAPE(f.q)}%`;
    conds.push(
      eb.or([
        eb(sql`lower(supplier_contract.supplier)`, "like", like),
        eb(sql`lower(supplier_contract.reference)`, "like", like),
        eb(sql`lower(coalesce(supplier_contract.service, ''))`, "like", like),
      ]),
    );
  }
  return eb.and(conds);
}

function base(db: Db, holder: Holder, f: Partial<ContractFilters>, today: string) {
  return db
    .selectFrom("supplier_contract")
    .leftJoin("practice as p", "p.ods_code", "supplier_contract.practice_code")
    .where((eb) => holderFilter(eb as unknown as Eb, holder))
    .where((eb) => filterConditions(eb as unknown as Eb, f, today));
}

const COLUMNS = [
  "supplier_contract.id",
  "supplier_contract.practice_code",
  "supplier_contract.icb_code",
  "supplier_contract.holder",
  "supplier_contract.supplier",
  "supplier_contract.category",
  "supplier_contract.service",
  "supplier_contract.framework",
  "supplier_contract.starts_on",
  "supplier_contract.ends_on",
  "supplier_contract.notice_months",
  "supplier_contract.annual_cost_pence",
  "supplier_contract.paid_by",
  "supplier_contract.reference",
  "supplier_contract.ended_on",
  "supplier_contract.version",
  "supplier_contract.source_file",
  "supplier_contract.source_date",
] as const;

/** A page of the register, soonest end first, with the count and totals of everything the filters match. */
export async function listContracts(db: Db, holder: Holder, f: Partial<ContractFilters>, today: string, limit: number, offset: number) {
  const [rows, totals] = await Promise.all([
    base(db, holder, f, today)
      .leftJoin("icb as i", "i.code", "supplier_contract.icb_code")
      .select([...COLUMNS, "p.name as practice_name", "i.name as icb_name"])
      .orderBy(sql`coalesce(supplier_contract.ended_on, supplier_contract.ends_on)`)
      .orderBy("supplier_contract.id")
      .limit(limit)
      .offset(offset)
      .execute(),
    base(db, holder, f, today)
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        sql<number>`coalesce(sum(supplier_contract.annual_cost_pence), 0)`.as("total"),
        sql<number>`coalesce(sum(supplier_contract.annual_cost_pence) filter (where supplier_contract.paid_by = 'icb'), 0)`.as("icb"),
        sql<number>`coalesce(sum(supplier_contract.annual_cost_pence) filter (where supplier_contract.paid_by = 'practice'), 0)`.as(
          "practice",
        ),
        sql<number>`coalesce(sum(supplier_contract.annual_cost_pence) filter (where supplier_contract.paid_by = 'other'), 0)`.as("other"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, annual_cost_pence: Number(r.annual_cost_pence) })),
    total: Number(totals.n),
    costs: { total: Number(totals.total), icb: Number(totals.icb), practice: Number(totals.practice), other: Number(totals.other) },
  };
}

/** Up to `size` contracts after id `after`, in id order, for a streamed export. */
export async function exportBatch(db: Db, holder: Holder, f: Partial<ContractFilters>, today: string, after: number | null, size: number) {
  let q = base(db, holder, f, today)
    .leftJoin("icb as i", "i.code", "supplier_contract.icb_code")
    .select([...COLUMNS, "p.name as practice_name", "i.name as icb_name"]);
  if (after !== null) q = q.where("supplier_contract.id", ">", after);
  const rows = await q.orderBy("supplier_contract.id").limit(size).execute();
  return rows.map((r) => ({ ...r, annual_cost_pence: Number(r.annual_cost_pence) }));
}

export type ContractRecord = Awaited<ReturnType<typeof findContract>> & object;

/** One contract with its holder's ICB (for the scope check). */
export async function findContract(db: Db, id: number) {
  const r = await db
    .selectFrom("supplier_contract")
    .leftJoin("practice as p", "p.ods_code", "supplier_contract.practice_code")
    .leftJoin("icb as i", "i.code", "supplier_contract.icb_code")
    .select([...COLUMNS, "p.name as practice_name", "p.icb_code as practice_icb_code", "i.name as icb_name"])
    .where("supplier_contract.id", "=", id)
    .executeTakeFirst();
  return r ? { ...r, annual_cost_pence: Number(r.annual_cost_pence) } : undefined;
}

/** The practices among `codes` that exist, with their ICB, for the scope check. */
export function findPractices(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([] as { ods_code: string; icb_code: string | null }[]);
  return db.selectFrom("practice").select(["ods_code", "icb_code"]).where("ods_code", "in", codes).execute();
}

/** The ICBs among `codes` that exist. */
export async function findIcbs(db: Db, codes: string[]) {
  if (codes.length === 0) return new Set<string>();
  return new Set((await db.selectFrom("icb").select("code").where("code", "in", codes).execute()).map((r) => r.code));
}

const facts = (c: ContractInput) => ({
  supplier: c.supplier,
  category: c.category,
  service: c.service,
  framework: c.framework,
  starts_on: c.starts_on,
  ends_on: c.ends_on,
  notice_months: c.notice_months,
  annual_cost_pence: c.annual_cost,
  paid_by: c.paid_by,
  reference: c.reference,
});

export const isContractKeyViolation = (e: unknown) =>
  (e as { code?: string })?.code === "23505" &&
  String((e as { constraint?: string; message?: string }).constraint ?? (e as Error).message).includes("supplier_contract_key");

export function insertContract(db: Db, holder: { practiceCode: string | null; icbCode: string | null }, c: ContractInput) {
  return db
    .insertInto("supplier_contract")
    .values({ practice_code: holder.practiceCode, icb_code: holder.icbCode, ...facts(c) })
    .returning(["id", "version"])
    .executeTakeFirstOrThrow();
}

/** Changes a contract at the version the form was opened at; undefined when someone changed it since. */
export function updateContract(db: Db, id: number, version: number, c: ContractInput) {
  return db
    .updateTable("supplier_contract")
    .set({ ...facts(c), version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

/** Ends a contract on `endedOn` at the version read; undefined when someone changed it since. */
export function endContract(db: Db, id: number, version: number, endedOn: string) {
  return db
    .updateTable("supplier_contract")
    .set({ ended_on: endedOn, version: sql`version + 1`, updated_at: sql`now()` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

/**
 * Adds each contract, or updates the one already held under the same holder, supplier and
 * reference (any case) when the file changes its facts; an identical row is left alone.
 * Returns each written row's holder and whether it was new (xmax = 0: inserted by this statement).
 */
export async function upsertContracts(
  trx: Db,
  rows: (ContractRow & { practiceCode: string | null; icbCode: string | null })[],
  file: { fileName: string; fileDate: string },
) {
  if (rows.length === 0) return [];
  const data = rows.map((r) => ({ practice_code: r.practiceCode, icb_code: r.icbCode, ...facts(r) }));
  const r = await sql<{ holder: string; inserted: boolean }>`
    insert into supplier_contract as c (practice_code, icb_code, supplier, category, service, framework, starts_on, ends_on,
      notice_months, annual_cost_pence, paid_by, reference, source_file, source_date)
    select x.practice_code, x.icb_code, x.supplier, x.category, x.service, x.framework, x.starts_on, x.ends_on,
      x.notice_months, x.annual_cost_pence, x.paid_by, x.reference, ${file.fileName}, ${file.fileDate}::date
    from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
      as x(practice_code text, icb_code text, supplier text, category text, service text, framework text, starts_on date,
           ends_on date, notice_months integer, annual_cost_pence bigint, paid_by text, reference text)
    on conflict (holder, lower(supplier), lower(reference)) do update
      set supplier = excluded.supplier, category = excluded.category, service = excluded.service, framework = excluded.framework,
          starts_on = excluded.starts_on, ends_on = excluded.ends_on, notice_months = excluded.notice_months,
          annual_cost_pence = excluded.annual_cost_pence, paid_by = excluded.paid_by, reference = excluded.reference,
          source_file = excluded.source_file, source_date = excluded.source_date, version = c.version + 1, updated_at = now()
      where (c.supplier, c.category, c.service, c.framework, c.starts_on, c.ends_on, c.notice_months, c.annual_cost_pence, c.paid_by, c.reference)
        is distinct from (excluded.supplier, excluded.category, excluded.service, excluded.framework, excluded.starts_on, excluded.ends_on,
          excluded.notice_months, excluded.annual_cost_pence, excluded.paid_by, excluded.reference)
    returning c.holder, (xmax = 0) as inserted`.execute(trx);
  return r.rows;
}

export type { ContractCategory, ContractFramework, ContractPayer };
