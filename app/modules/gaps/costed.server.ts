import type { Db } from "#db/connect";
import type { GapStatus } from "#db/types";
import type { Category, Domain, Funder } from "~/modules/compliance/catalogue";
import type { Unit } from "~/modules/compliance/rules/types";
import { estimateUnits, type Estimate } from "~/modules/pricing/costing";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import type { Scope } from "~/utils/permissions";
import { priorityOf, type Priority } from "./priority";

/** Where to look for gaps: the user's scope narrowed by any of these. */
export interface GapQuery {
  scope: Scope;
  icb?: string;
  subIcb?: string;
  pcn?: string;
  practice?: string;
  domain?: Domain;
  category?: Category;
  funder?: Funder;
  /** Default: every status except closed. */
  statuses?: readonly GapStatus[];
  /** Start year of the financial year the deadline falls in. */
  financialYear?: number;
  ids?: readonly number[];
}

export const OPEN_STATUSES: readonly GapStatus[] = ["open", "funding_requested", "funded", "in_delivery"];

export interface CostedGap {
  id: number;
  practiceCode: string;
  practiceName: string;
  listSize: number | null;
  icbCode: string | null;
  subIcbCode: string | null;
  pcnCode: string | null;
  pcnName: string | null;
  requirementId: string;
  title: string;
  domain: Domain;
  category: Category;
  funder: Funder;
  status: GapStatus;
  resultStatus: "not_met" | "partial";
  reason: string;
  units: Unit[];
  firstSeen: string;
  deadline: string;
  /** What the deadline rests on: an external date's label, or null for first seen + the category's days. */
  deadlineBasis: string | null;
  deadlineYear: number;
  closedOn: string | null;
  version: number;
  estimate: Estimate;
  priority: Priority;
}

/**
 * Gaps in scope with their estimate (price list in force on `today`, or on the day a closed gap
 * closed) and priority: one query for the gaps, one for the prices, whatever the number of
 * practices. Costing and priority are computed here rather than stored so a new price or a new
 * day is reflected at once.
 */
export async function loadCostedGaps(db: Db, query: GapQuery, today: string): Promise<CostedGap[]> {
  const { scope } = query;
  if (!scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length === 0) return [];
  let q = db
    .selectFrom("gap as g")
    .innerJoin("practice as p", "p.ods_code", "g.practice_code")
    .innerJoin("requirement as r", "r.id", "g.requirement_id")
    .leftJoin("pcn", "pcn.code", "p.pcn_code")
    .select([
      "g.id", "g.practice_code", "p.name as practice_name", "p.list_size", "p.icb_code", "p.sub_icb_code", "p.pcn_code", "pcn.name as pcn_name",
      "g.requirement_id", "r.title", "r.domain", "r.category", "r.funder", "g.status", "g.result_status", "g.reason", "g.units",
      "g.first_seen", "g.deadline", "g.deadline_basis", "g.closed_on", "g.version",
    ])
    .where("g.status", "in", [...(query.statuses ?? OPEN_STATUSES)]);
  if (!scope.all) {
    const { icbCodes, practiceCodes } = scope;
    q = q.where((eb) =>
      eb.or([
        ...(icbCodes.length ? [eb("p.icb_code", "in", icbCodes)] : []),
        ...(practiceCodes.length ? [eb("g.practice_code", "in", practiceCodes)] : []),
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
  const rows = await q.orderBy("g.practice_code").orderBy("r.sort_order").execute();
  if (rows.length === 0) return [];
  const icbs = [...new Set(rows.map((r) => r.icb_code).filter((c): c is string => !!c))];
  const book = await loadPriceBook(db, scope.all && icbs.length > 20 ? "all" : icbs);
  return rows.map((r) => {
    const units = (r.units ?? []) as Unit[];
    const onDate = r.closed_on ?? today;
    return {
      id: r.id,
      practiceCode: r.practice_code,
      practiceName: r.practice_name,
      listSize: r.list_size,
      icbCode: r.icb_code,
      subIcbCode: r.sub_icb_code,
      pcnCode: r.pcn_code,
      pcnName: r.pcn_name,
      requirementId: r.requirement_id,
      title: r.title,
      domain: r.domain as Domain,
      category: r.category as Category,
      funder: r.funder as Funder,
      status: r.status,
      resultStatus: r.result_status,
      reason: r.reason,
      units,
      firstSeen: r.first_seen,
      deadline: r.deadline,
      deadlineBasis: r.deadline_basis,
      deadlineYear: financialYearOf(r.deadline),
      closedOn: r.closed_on,
      version: r.version,
      estimate: estimateUnits(units, { icbCode: r.icb_code, listSize: r.list_size }, book, onDate),
      priority: priorityOf({
        requirementId: r.requirement_id, domain: r.domain as Domain, category: r.category as Category,
        resultStatus: r.result_status, listSize: r.list_size, deadline: r.deadline, today,
      }),
    };
  });
}
