import type { Db } from "#db/connect";
import type { Funder } from "~/modules/catalogue";
import { costHorizonLastYear, financialYearOf } from "~/modules/pricing/financial-year";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { scopeCoversPractice, type Scope } from "~/utils/permissions";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { costRows, loadCostedGaps, scopeSeesNothing, type CostedGap, type GapQuery } from "./costed.server";
import {
  describeElsewhere,
  describeMissing,
  groupGaps,
  groupKeyOf,
  groupProbe,
  pageOfGroups,
  sortGaps,
  statusesFor,
  summarise,
  totalsOf,
  type GapFilters,
  type GapGroup,
  type GroupPage,
  type GroupSummary,
  type OrgNames,
  type ParsedGapFilters,
} from "./register";
import type { OrgChoices, OrgOption } from "./options-wire";
import { gapQueryKey, registerCache, type RegisterCacheView } from "./register-cache.server";
import { aggregateGaps, orderedGapRows, practicesWithGaps } from "./repository.server";

/** Beyond this many practices the practice filter is a text box rather than a list. */
export const PRACTICE_SELECT_LIMIT = 400;

/**
 * PCNs are those in the chosen ICB or sub-ICB location; PCNs and practices are null when there
 * are too many to list (a text box instead).
 */
export type RegisterOptions = OrgChoices<OrgOption[]>;

/** One row of the register as the page shows it (plain data, nothing the client must not see). */
export interface RegisterRow {
  id: number;
  requirementId: string;
  title: string;
  practiceCode: string;
  practiceName: string;
  reason: string;
  funder: Funder;
  estimatePence: number | null;
  knownPence: number;
  missing: string;
  vatPence: number | null;
  /** Work this gap needs that other gaps cost, in words (empty when none). */
  elsewhere: string;
  priority: CostedGap["priority"]["level"];
  priorityScore: number;
  status: CostedGap["status"];
  firstSeen: string;
  deadline: string;
  /** The user may add this gap to a funding request (funding:request covers its practice). */
  selectable: boolean;
}

/**
 * Organisations to filter by: those of the practices in scope that have ever had a gap, in one
 * statement. The practice list is left out (a text box instead) when it would be too long.
 */
export async function loadRegisterOptions(
  db: Db,
  scope: Scope,
  narrow: Pick<GapFilters, "icb" | "sub_icb" | "pcn">,
): Promise<{ options: RegisterOptions; names: OrgNames }> {
  if (!scope.all && scope.icbCodes.length === 0 && scope.practiceCodes.length === 0) {
    return { options: { icbs: [], subIcbs: [], pcns: [], practices: [] }, names: {} };
  }
  const rows = await practicesWithGaps(db, scope);
  const icbs = new Map<string, string>();
  const subIcbs = new Map<string, string>();
  const pcns = new Map<string, string>();
  const practices: OrgOption[] = [];
  for (const r of rows) {
    if (r.icb_code) icbs.set(r.icb_code, r.icb_name ?? r.icb_code);
    if (r.sub_icb_code) subIcbs.set(r.sub_icb_code, r.sub_icb_name ?? r.sub_icb_code);
    // PCNs within the chosen ICB or sub-ICB location: all of England has 1,300, a list of about 150 KB.
    const inArea = (!narrow.icb || r.icb_code === narrow.icb) && (!narrow.sub_icb || r.sub_icb_code === narrow.sub_icb);
    if (r.pcn_code && inArea) pcns.set(r.pcn_code, r.pcn_name ?? r.pcn_code);
    if (inArea && (!narrow.pcn || r.pcn_code === narrow.pcn)) practices.push({ code: r.ods_code, name: r.name });
  }
  const list = (m: Map<string, string>) =>
    [...m].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.code.localeCompare(b.code));
  practices.sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.code.localeCompare(b.code));
  return {
    options: {
      icbs: list(icbs),
      subIcbs: list(subIcbs),
      pcns: pcns.size > PRACTICE_SELECT_LIMIT ? null : list(pcns),
      practices: practices.length > PRACTICE_SELECT_LIMIT ? null : practices,
    },
    names: { icb: Object.fromEntries(icbs), subIcb: Object.fromEntries(subIcbs) },
  };
}

/** The filters as a loadCostedGaps query within `scope` (a filter can only narrow the scope). */
export function toGapQuery(scope: Scope, f: GapFilters): GapQuery {
  return {
    scope,
    icb: f.icb,
    subIcb: f.sub_icb,
    pcn: f.pcn,
    practice: f.practice,
    domain: f.domain,
    category: f.category,
    funder: f.funder,
    statuses: statusesFor(f.status),
    financialYear: f.fy,
  };
}

/**
 * The group summary for the filters, added up by the database (one statement): each group's
 * totals, and the total row as the sum of the rows.
 */
export async function loadRegisterSummary(
  db: Db,
  query: GapQuery,
  by: GapGroup,
  names: OrgNames | Promise<OrgNames>,
  today: string,
  cache?: RegisterCacheView,
): Promise<GroupSummary> {
  const aggregates = scopeSeesNothing(query.scope) ? [] : cache ? await cache.aggregate(by) : await aggregateGaps(db, query, by, today);
  const orgNames = await names;
  const groups = aggregates
    .filter((a) => !a.isTotal)
    .map(({ code, name, gaps, patients, unknownListSizes, estimatedPence, vatPence, annualPence, annualEnds, noEstimate }) => ({
      key: groupKeyOf(groupProbe(by, code, name), by, orgNames),
      totals: { gaps, patients, unknownListSizes, estimatedPence, vatPence, annualPence, annualEnds, noEstimate },
    }));
  const distinct = aggregates.find((a) => a.isTotal) ?? { patients: 0, unknownListSizes: 0 };
  return summarise(by, groups, distinct, costHorizonLastYear(today));
}

function toRow(g: CostedGap, fundingScope: Scope | null): RegisterRow {
  return {
    id: g.id,
    requirementId: g.requirementId,
    title: g.title,
    practiceCode: g.practiceCode,
    practiceName: g.practiceName,
    reason: g.reason,
    funder: g.funder,
    estimatePence: g.estimate.pence,
    knownPence: g.estimate.knownPence,
    missing: describeMissing(g.estimate.missing),
    vatPence: g.estimate.vatPence,
    elsewhere: describeElsewhere(g.estimate.elsewhere),
    priority: g.priority.level,
    priorityScore: g.priority.score,
    status: g.status,
    firstSeen: g.firstSeen,
    deadline: g.deadline,
    selectable:
      !!fundingScope && g.status !== "closed" && scopeCoversPractice(fundingScope, { ods_code: g.practiceCode, icb_code: g.icbCode }),
  };
}

/**
 * The register page: filter choices, one page of the group summary's rows (`groupPage`, 50 groups)
 * with the total over every group, and one page of rows. The database filters, adds up, sorts
 * and pages, so the server reads 25 gaps whatever the scope. A fixed number of statements: the default prices check, the change stamps, the filter
 * choices, the summary, the page, and the page's prices (the middle three only when something in
 * the scope changed since they were kept).
 */
export async function getGapRegister(
  db: Db,
  opts: {
    scope: Scope;
    fundingScope: Scope | null;
    parsed: ParsedGapFilters;
    page: number;
    /** The page of the group rows (1 when absent; past the end is the last). */
    groupPage?: number;
    today: string;
  },
): Promise<{
  options: RegisterOptions;
  /** Its rows are those of `groupPage` only; its total is over every group. */
  summary: GroupSummary;
  groupPage: GroupPage;
  page: ReturnType<typeof toPage<RegisterRow>>;
  currentYear: number;
}> {
  const { filters } = opts.parsed;
  const inError = Object.keys(opts.parsed.errors).length > 0;
  // Gaps are priced in SQL against price_list_entry: the national defaults must be there first.
  await ensureDefaultPrices(db);
  const query = toGapQuery(opts.scope, filters);
  // Figures kept between loads while nothing in the scope changes (per ICB for the totals).
  const cache = await registerCache(db, query, opts.today);
  // No price decides the filter choices, nor the page's rows in any order but cost (the page's
  // 25 gaps are priced after): a change to a price list leaves them kept.
  const choices = cache.whole(
    `options|${JSON.stringify([filters.icb, filters.sub_icb, filters.pcn])}`,
    () => loadRegisterOptions(db, opts.scope, filters),
    { prices: false },
  );
  const offset = (opts.page - 1) * PAGE_SIZE;
  const [{ options }, rows, whole] = await Promise.all([
    choices,
    inError || scopeSeesNothing(opts.scope)
      ? []
      : cache.whole(
          `page|${gapQueryKey(query, { sort: filters.sort, offset, today: opts.today })}`,
          () => orderedGapRows(db, query, filters.sort, opts.today, offset, PAGE_SIZE),
          { prices: filters.sort === "cost" },
        ),
    inError
      ? groupGaps([], filters.group)
      : loadRegisterSummary(
          db,
          query,
          filters.group,
          choices.then((c) => c.names),
          opts.today,
          cache,
        ),
  ]);
  const costed = await costRows(db, rows, opts.scope, opts.today, { defaultsEnsured: true });
  const { summary, groupPage } = pageOfGroups(whole, opts.groupPage ?? 1);
  return {
    options,
    summary,
    groupPage,
    page: toPage(
      costed.map((g) => toRow(g, opts.fundingScope)),
      summary.total.gaps,
      opts.page,
    ),
    currentYear: financialYearOf(opts.today),
  };
}

// ---------------------------------------------------------------- a practice's gaps

export const PRACTICE_SECTIONS: { funder: Funder; heading: string; intro: string }[] = [
  {
    funder: "icb",
    heading: "The ICB may fund",
    intro: "Core, mandated and enhanced requirements: the ICB provides or may fund the work, subject to its budget.",
  },
  {
    funder: "practice",
    heading: "Your practice funds",
    intro: "Practice business requirements: the practice arranges and pays for the work.",
  },
  { funder: "national", heading: "Paid for nationally", intro: "Work a national programme pays for." },
];

/** A practice's open gaps split by who pays, each part with its subtotal (equal to the sum of its rows). */
export async function getPracticeGaps(db: Db, scope: Scope, ods: string, today: string) {
  const gaps = sortGaps(await loadCostedGaps(db, { scope, practice: ods }, today), "priority");
  const sections = PRACTICE_SECTIONS.map((s) => {
    const list = gaps.filter((g) => g.funder === s.funder);
    return { ...s, gaps: list, totals: totalsOf(list) };
  });
  return { sections, totals: totalsOf(gaps) };
}
