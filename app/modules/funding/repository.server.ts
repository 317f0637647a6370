import { sql, type ExpressionBuilder, type Insertable, type Updateable } from "kysely";
import type { Db } from "#db/connect";
import type { Database, FundingRequestStatus, IcbBudgetTable } from "#db/types";
import type { Scope } from "~/utils/permissions";
import type { RequestFilters } from "./schema";
import { COMMITTED_STATUSES } from "./workflow";

type FrEb = ExpressionBuilder<Database & { fr: Database["funding_request"] }, "fr">;

/**
 * A request is in a scope when the scope covers its ICB, or (for someone holding named practices)
 * when every gap in it belongs to one of those practices: nobody sees another practice's gaps
 * through a request.
 */
export function requestVisible(eb: FrEb, scope: Scope) {
  if (scope.all) return sql<boolean>`true`;
  const parts = [];
  if (scope.icbCodes.length) parts.push(eb("fr.icb_code", "in", scope.icbCodes));
  if (scope.practiceCodes.length) {
    const codes = scope.practiceCodes;
    parts.push(
      eb.and([
        eb.exists(eb.selectFrom("funding_request_gap as v").select("v.gap_id").whereRef("v.request_id", "=", "fr.id")),
        eb.not(
          eb.exists(
            eb
              .selectFrom("funding_request_gap as v")
              .innerJoin("gap as vg", "vg.id", "v.gap_id")
              .select("v.gap_id")
              .whereRef("v.request_id", "=", "fr.id")
              .where("vg.practice_code", "not in", codes),
          ),
        ),
      ]),
    );
  }
  return parts.length ? eb.or(parts) : sql<boolean>`false`;
}

function filtered(db: Db, scope: Scope, filters: RequestFilters) {
  let q = db.selectFrom("funding_request as fr").where((eb) => requestVisible(eb, scope));
  if (filters.icb) q = q.where("fr.icb_code", "=", filters.icb);
  if (filters.status) q = q.where("fr.status", "=", filters.status);
  if (filters.year !== undefined) q = q.where("fr.financial_year", "=", filters.year);
  return q;
}

const REQUEST_COLUMNS = [
  "fr.id",
  "fr.icb_code",
  "fr.title",
  "fr.financial_year",
  "fr.amount_pence",
  "fr.amount_reason",
  "fr.justification",
  "fr.status",
  "fr.created_by",
  "fr.created_at",
  "fr.submitted_at",
  "fr.decided_by",
  "fr.decided_at",
  "fr.decision_reason",
  "fr.budget_override_reason",
  "fr.funded_at",
  "fr.delivered_at",
  "fr.updated_at",
  "fr.version",
  "fr.capital_pence",
  "fr.vat_pence",
  "fr.self_approval_reason",
] as const;

/** One page of requests in scope, newest first, with per-request gap counts and estimates. */
export async function listRequests(db: Db, scope: Scope, filters: RequestFilters, page: number, pageSize: number) {
  const base = filtered(db, scope, filters);
  const [rows, totals] = await Promise.all([
    base
      .leftJoin("icb", "icb.code", "fr.icb_code")
      .leftJoin("app_user as cu", "cu.id", "fr.created_by")
      .select([...REQUEST_COLUMNS, "icb.name as icb_name", "cu.name as created_by_name"])
      .select((eb) => [
        eb
          .selectFrom("funding_request_gap as c")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("c.request_id", "=", "fr.id")
          .as("gap_count"),
      ])
      .orderBy("fr.id", "desc")
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base
      .select([
        "fr.status",
        (eb) => eb.fn.countAll<number>().as("n"),
        (eb) => eb.fn.sum<number>("fr.amount_pence").as("pence"),
        (eb) => eb.fn.sum<number>("fr.vat_pence").as("vat"),
        (eb) => eb.fn.count<number>("fr.id").filterWhere("fr.vat_pence", "is", null).as("no_vat"),
      ])
      .groupBy("fr.status")
      .execute(),
  ]);
  return {
    rows,
    totals: totals.map((t) => ({
      status: t.status as FundingRequestStatus,
      n: Number(t.n),
      pence: Number(t.pence ?? 0),
      /** VAT of the requests whose VAT was worked out (those made before the money model have none: `noVat`). */
      vatPence: Number(t.vat ?? 0),
      noVat: Number(t.no_vat),
    })),
  };
}

/** Every request in scope matching the filters, for exports. */
export async function listAllRequests(db: Db, scope: Scope, filters: RequestFilters) {
  return filtered(db, scope, filters)
    .leftJoin("icb", "icb.code", "fr.icb_code")
    .leftJoin("app_user as cu", "cu.id", "fr.created_by")
    .leftJoin("app_user as du", "du.id", "fr.decided_by")
    .select([...REQUEST_COLUMNS, "icb.name as icb_name", "cu.name as created_by_name", "du.name as decided_by_name"])
    .orderBy("fr.id")
    .execute();
}

/**
 * Up to `size` requests in scope with an id above `afterId`, in id order: the export reads the
 * pipeline a batch at a time (keyset), each batch its own short statement.
 */
export async function requestsAfter(db: Db, scope: Scope, filters: RequestFilters, afterId: number | null, size: number) {
  return filtered(db, scope, filters)
    .leftJoin("icb", "icb.code", "fr.icb_code")
    .leftJoin("app_user as cu", "cu.id", "fr.created_by")
    .leftJoin("app_user as du", "du.id", "fr.decided_by")
    .select([...REQUEST_COLUMNS, "icb.name as icb_name", "cu.name as created_by_name", "du.name as decided_by_name"])
    .$if(afterId !== null, (q) => q.where("fr.id", ">", afterId!))
    .orderBy("fr.id")
    .limit(size)
    .execute();
}

/** The ICBs of the requests in scope (for the budgets beside them), without reading the requests. */
export async function requestIcbCodes(db: Db, scope: Scope, filters: RequestFilters): Promise<string[]> {
  const rows = await filtered(db, scope, filters).select("fr.icb_code").distinct().execute();
  return rows.map((r) => r.icb_code);
}

/** Request ↔ gap lines for these requests, with the gap's practice, requirement and status. */
export async function listRequestGapLines(db: Db, requestIds: readonly number[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom("funding_request_gap as l")
    .innerJoin("gap as g", "g.id", "l.gap_id")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .innerJoin("requirement as r", "r.id", "g.requirement_id")
    .select([
      "l.request_id",
      "l.gap_id",
      "l.estimate_pence",
      "g.practice_code",
      "p.name as practice_name",
      "g.requirement_id",
      "r.title",
      "g.status",
      "g.closed_on",
    ])
    .where("l.request_id", "in", [...requestIds])
    .orderBy("l.request_id")
    .orderBy("l.gap_id")
    .execute();
}

export async function findRequest(db: Db, id: number) {
  return db
    .selectFrom("funding_request as fr")
    .leftJoin("icb", "icb.code", "fr.icb_code")
    .leftJoin("app_user as cu", "cu.id", "fr.created_by")
    .leftJoin("app_user as du", "du.id", "fr.decided_by")
    .select([...REQUEST_COLUMNS, "icb.name as icb_name", "cu.name as created_by_name", "du.name as decided_by_name"])
    .where("fr.id", "=", id)
    .executeTakeFirst();
}

/** The request if `scope` may see it (else undefined, shown as 404). */
export async function findVisibleRequest(db: Db, scope: Scope, id: number) {
  const hit = await db
    .selectFrom("funding_request as fr")
    .select("fr.id")
    .where("fr.id", "=", id)
    .where((eb) => requestVisible(eb, scope))
    .executeTakeFirst();
  return hit ? findRequest(db, id) : undefined;
}

export async function requestGapIds(db: Db, requestId: number) {
  return (await db.selectFrom("funding_request_gap").select("gap_id").where("request_id", "=", requestId).orderBy("gap_id").execute()).map(
    (r) => r.gap_id,
  );
}

export async function requestGapEstimates(db: Db, requestId: number) {
  return db.selectFrom("funding_request_gap").select(["gap_id", "estimate_pence"]).where("request_id", "=", requestId).execute();
}

/**
 * The requests holding one gap that `scope` (the viewer's funding:request scope) may open, with
 * the same visibility rule as the request page itself: a gap page never names a request its
 * viewer would get a 403 or 404 for.
 */
export async function visibleRequestsForGap(db: Db, scope: Scope, gapId: number) {
  if (!scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length === 0) return [];
  return db
    .selectFrom("funding_request_gap as fg")
    .innerJoin("funding_request as fr", "fr.id", "fg.request_id")
    .select(["fr.id", "fr.title", "fr.status", "fr.financial_year", "fr.amount_pence", "fg.estimate_pence"])
    .where("fg.gap_id", "=", gapId)
    .where((eb) => requestVisible(eb as unknown as FrEb, scope))
    .orderBy("fr.id")
    .execute();
}

/** For each gap, every request it belongs to (any status), so pages can show "also in #12". */
export async function requestsForGaps(db: Db, gapIds: readonly number[]) {
  if (gapIds.length === 0) return [];
  return db
    .selectFrom("funding_request_gap as l")
    .innerJoin("funding_request as fr", "fr.id", "l.request_id")
    .select(["l.gap_id", "fr.id", "fr.title", "fr.status", "fr.financial_year", "fr.icb_code"])
    .where("l.gap_id", "in", [...gapIds])
    .orderBy("fr.id")
    .execute();
}

/**
 * Approved + funded + delivered for an ICB's year, in total and per pot (revenue is the rest of
 * each amount after its capital part), leaving out one request (the one being decided).
 */
export async function committedSplit(db: Db, icbCode: string, year: number, excludeId?: number) {
  let q = db
    .selectFrom("funding_request")
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>("amount_pence"), sql<number>`0`).as("pence"),
      eb.fn.coalesce(eb.fn.sum<number>("capital_pence"), sql<number>`0`).as("capital"),
    ])
    .where("icb_code", "=", icbCode)
    .where("financial_year", "=", year)
    .where("status", "in", [...COMMITTED_STATUSES]);
  if (excludeId !== undefined) q = q.where("id", "!=", excludeId);
  const r = await q.executeTakeFirstOrThrow();
  const total = Number(r.pence);
  const capital = Number(r.capital);
  return { total, capital, revenue: total - capital };
}

/** Approved + funded + delivered for an ICB's year, leaving out one request. */
export async function committedPence(db: Db, icbCode: string, year: number, excludeId?: number) {
  return (await committedSplit(db, icbCode, year, excludeId)).total;
}

export async function findBudget(db: Db, icbCode: string, year: number, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom("icb_budget").selectAll().where("icb_code", "=", icbCode).where("financial_year", "=", year);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Sets a year's budget that has none yet; undefined when someone else has just set it. */
export function insertBudget(db: Db, values: Insertable<IcbBudgetTable>) {
  return db
    .insertInto("icb_budget")
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Changes a year's budget if it is still at `version`, moving the version on; undefined when it is not. */
export function updateBudget(
  db: Db,
  icbCode: string,
  year: number,
  version: number,
  values: Pick<Updateable<IcbBudgetTable>, "amount_pence" | "capital_pence" | "revenue_pence" | "set_by">,
) {
  return db
    .updateTable("icb_budget")
    .set((eb) => ({ ...values, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("icb_code", "=", icbCode)
    .where("financial_year", "=", year)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export async function listBudgets(db: Db, icbCode: string) {
  return db
    .selectFrom("icb_budget as b")
    .leftJoin("app_user as u", "u.id", "b.set_by")
    .select([
      "b.financial_year",
      "b.amount_pence",
      "b.capital_pence",
      "b.revenue_pence",
      "b.version",
      "b.updated_at",
      "u.name as set_by_name",
    ])
    .where("b.icb_code", "=", icbCode)
    .orderBy("b.financial_year")
    .execute();
}

/** Request amounts per financial year and status, for ICBs (or every ICB with null). */
export async function yearStatusTotals(db: Db, icbCodes: readonly string[] | null, scope?: Scope, filters: RequestFilters = {}) {
  let q = scope ? filtered(db, scope, filters) : db.selectFrom("funding_request as fr");
  if (icbCodes) q = icbCodes.length ? q.where("fr.icb_code", "in", [...icbCodes]) : q.where(sql<boolean>`false`);
  const rows = await q
    .select([
      "fr.icb_code",
      "fr.financial_year",
      "fr.status",
      (eb) => eb.fn.countAll<number>().as("n"),
      (eb) => eb.fn.sum<number>("fr.amount_pence").as("pence"),
      (eb) => eb.fn.sum<number>("fr.capital_pence").as("capital"),
    ])
    .groupBy(["fr.icb_code", "fr.financial_year", "fr.status"])
    .execute();
  return rows.map((r) => ({
    icbCode: r.icb_code,
    year: r.financial_year,
    status: r.status as FundingRequestStatus,
    n: Number(r.n),
    pence: Number(r.pence ?? 0),
    capitalPence: Number(r.capital ?? 0),
  }));
}

/** Budgets for several ICBs at once (exports). */
export async function budgetsFor(db: Db, icbCodes: readonly string[] | "all") {
  let q = db.selectFrom("icb_budget").select(["icb_code", "financial_year", "amount_pence", "capital_pence", "revenue_pence"]);
  if (icbCodes !== "all") q = icbCodes.length ? q.where("icb_code", "in", [...icbCodes]) : q.where(sql<boolean>`false`);
  return q.execute();
}

/** Audit events for a set of entity ids of one type, newest first. */
export async function auditFor(db: Db, entityType: string, entityIds: readonly string[], limit = 100) {
  if (entityIds.length === 0) return [];
  return db
    .selectFrom("audit_event")
    .leftJoin("app_user", "app_user.id", "audit_event.user_id")
    .select([
      "audit_event.id",
      "audit_event.occurred_at",
      "audit_event.action",
      "audit_event.before",
      "audit_event.after",
      "app_user.name as user_name",
    ])
    .where("entity_type", "=", entityType)
    .where("entity_id", "in", [...entityIds])
    .orderBy("audit_event.id", "desc")
    .limit(limit)
    .execute();
}
