import type { Db } from "#db/connect";
import type { GapStatus } from "#db/types";
import type { Category, Domain, Funder } from "~/modules/catalogue";
import type { Unit } from "~/modules/catalogue/rule-types";
import { estimateUnits, type Estimate, type PriceBook } from "~/modules/pricing/costing";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { noPricedRemedyWhy } from "~/modules/pricing/remedies";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import { costedGapsQuery } from "./repository.server";
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
  /** The extract date of that list size (its vintage, shown beside any patient count). */
  listSizeDate: string | null;
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

/** True when the scope can see nothing (no ICB, no practice): no statement needs to run. */
export const scopeSeesNothing = (scope: Scope) => !scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length === 0;

/**
 * Gaps in scope with their estimate (price list in force on `today`, or on the day a closed gap
 * closed) and priority: one query for the gaps, one for the prices, whatever the number of
 * practices. Costing and priority are computed here rather than stored so a new price or a new
 * day is reflected at once. The register's lists and totals compute the same two numbers in SQL
 * (repository.server.ts); the integration tests hold the two to the same figures.
 */
export async function loadCostedGaps(
  db: Db,
  query: GapQuery,
  today: string,
  opts: { defaultsEnsured?: boolean } = {},
): Promise<CostedGap[]> {
  if (scopeSeesNothing(query.scope)) return [];
  const rows = await costedGapsQuery(db, query).orderBy("g.practice_code").orderBy("r.sort_order").execute();
  return costRows(db, rows, query.scope, today, opts);
}

/** Prices and prioritises rows read by `costedGapsQuery` (one statement for the prices, none when empty). */
export async function costRows(
  db: Db,
  rows: readonly CostedGapRow[],
  scope: Scope,
  today: string,
  opts: { defaultsEnsured?: boolean } = {},
): Promise<CostedGap[]> {
  if (rows.length === 0) return [];
  const icbs = [...new Set(rows.map((r) => r.icb_code).filter((c): c is string => !!c))];
  const book = await loadPriceBook(db, scope.all && icbs.length > 20 ? "all" : icbs, opts);
  // A loop, not a closure made on each call: V8 drops the optimized code of closures made per
  // request at every full collection (docs/performance.md, session 16).
  const gaps: CostedGap[] = [];
  for (const r of rows) gaps.push(toCostedGap(r, book, today));
  return gaps;
}

export type CostedGapRow = Awaited<ReturnType<ReturnType<typeof costedGapsQuery>["execute"]>>[number];

export function toCostedGap(r: CostedGapRow, book: PriceBook, today: string): CostedGap {
  const units = (r.units ?? []) as Unit[];
  const onDate = r.closed_on ?? today;
  return {
    id: r.id,
    practiceCode: r.practice_code,
    practiceName: r.practice_name,
    listSize: r.list_size,
    listSizeDate: r.list_size_date,
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
    estimate: estimateUnits(units, { icbCode: r.icb_code, listSize: r.list_size }, book, onDate, noPricedRemedyWhy(r.requirement_id)),
    priority: priorityOf({
      requirementId: r.requirement_id,
      domain: r.domain as Domain,
      category: r.category as Category,
      resultStatus: r.result_status,
      listSize: r.list_size,
      deadline: r.deadline,
      today,
    }),
  };
}
