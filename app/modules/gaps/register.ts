import { z } from "zod";
import type { GapStatus } from "#db/types";
import { CATEGORIES, DOMAINS, FUNDERS, REQUIREMENTS } from "~/modules/catalogue";
import {
  addAnnualEnds,
  costsByFinancialYear,
  financialYearLabel,
  parseFinancialYear,
  type AnnualEnds,
  type YearCost,
} from "~/modules/pricing/financial-year";
import type { CostedGap } from "./costed.server";
import { GAP_STATUS_LABELS, RESPONSIBILITY_LABELS } from "./labels";
import { pageOfList } from "~/utils/pagination";

/**
 * The gap register's pure half: filters as they sit in the URL, sorting, grouping with totals.
 * No database and no clock, so the unit tests pin every rule; the server half loads the gaps.
 */

/** The fields of a costed gap the register needs (a type only: this file stays free of server code). */
export type RegisterGap = Pick<
  CostedGap,
  | "id"
  | "practiceCode"
  | "practiceName"
  | "listSize"
  | "icbCode"
  | "subIcbCode"
  | "pcnCode"
  | "pcnName"
  | "requirementId"
  | "domain"
  | "category"
  | "funder"
  | "status"
  | "deadline"
  | "deadlineYear"
> & {
  estimate: Pick<CostedGap["estimate"], "pence" | "knownPence" | "vatPence"> & {
    /** The part of `pence` paid every year the remedy is kept (absent: none). */
    split?: Pick<CostedGap["estimate"]["split"], "annualPence" | "annualEnds">;
  };
  priority: Pick<CostedGap["priority"], "score">;
};

export const GAP_SORTS = {
  priority: "Priority (highest first)",
  cost: "Estimated cost (highest first)",
  deadline: "Deadline (soonest first)",
  practice: "Practice",
} as const;
export type GapSort = keyof typeof GAP_SORTS;

export const GAP_GROUPS = {
  none: "No grouping",
  icb: "ICB",
  sub_icb: "Sub-ICB location",
  pcn: "PCN",
  practice: "Practice",
  domain: "Domain",
  category: "Category",
  funder: "Responsibility",
  status: "Status",
  financial_year: "Financial year of deadline",
} as const;
export type GapGroup = keyof typeof GAP_GROUPS;

/** Status filter: blank is every open status (the default); `closed` and `all` are explicit. */
export const GAP_STATUS_FILTERS = {
  "": "Open (any status but closed)",
  open: GAP_STATUS_LABELS.open,
  funding_requested: GAP_STATUS_LABELS.funding_requested,
  funded: GAP_STATUS_LABELS.funded,
  in_delivery: GAP_STATUS_LABELS.in_delivery,
  closed: GAP_STATUS_LABELS.closed,
  all: "All, including closed",
} as const;
export type GapStatusFilter = keyof typeof GAP_STATUS_FILTERS;

const OPEN: readonly GapStatus[] = ["open", "funding_requested", "funded", "in_delivery"];
const ALL_STATUSES: readonly GapStatus[] = [...OPEN, "closed"];

/** The statuses a status filter selects. */
export function statusesFor(filter: GapStatusFilter): readonly GapStatus[] {
  if (filter === "") return OPEN;
  if (filter === "all") return ALL_STATUSES;
  return [filter];
}

const keys = <T extends Record<string, unknown>>(m: T) => Object.keys(m) as [keyof T & string, ...(keyof T & string)[]];
const blank = (v: unknown) => (typeof v === "string" ? (v.trim() === "" ? undefined : v.trim()) : v);
const code = z
  .preprocess(
    (v) => (typeof blank(v) === "string" ? String(blank(v)).toUpperCase() : undefined),
    z
      .string()
      .regex(/^[A-Z0-9]{3,10}$/)
      .optional(),
  )
  .catch(undefined);

/**
 * The register's filters as they sit in the URL. Select values that are not on the list are
 * ignored so an old link still opens; a practice code typed by hand that cannot be an ODS code
 * is an error next to the field (see `practiceError`).
 */
export const GapFiltersSchema = z.object({
  icb: code,
  sub_icb: code,
  pcn: code,
  practice: code,
  domain: z.preprocess(blank, z.enum(keys(DOMAINS)).optional()).catch(undefined),
  category: z.preprocess(blank, z.enum(keys(CATEGORIES)).optional()).catch(undefined),
  funder: z.preprocess(blank, z.enum(keys(FUNDERS)).optional()).catch(undefined),
  status: z.preprocess((v) => blank(v) ?? "", z.enum(keys(GAP_STATUS_FILTERS))).catch(""),
  fy: z
    .preprocess(
      (v) => (typeof blank(v) === "string" ? (parseFinancialYear(String(blank(v))) ?? undefined) : undefined),
      z.number().int().optional(),
    )
    .catch(undefined),
  sort: z.preprocess(blank, z.enum(keys(GAP_SORTS)).default("priority")).catch("priority"),
  group: z.preprocess(blank, z.enum(keys(GAP_GROUPS)).default("none")).catch("none"),
});
export type GapFilters = z.infer<typeof GapFiltersSchema>;

export interface ParsedGapFilters {
  filters: GapFilters;
  errors: Partial<Record<keyof GapFilters, string>>;
}

export function parseGapFilters(params: URLSearchParams): ParsedGapFilters {
  const raw = Object.fromEntries(params);
  const filters = GapFiltersSchema.parse(raw);
  const errors: ParsedGapFilters["errors"] = {};
  const typed = (raw.practice ?? "").trim();
  if (typed !== "" && filters.practice === undefined)
    errors.practice = "Enter a practice ODS code of 3 to 10 letters and numbers, like F84003";
  return { filters, errors };
}

/** The filters (not sort, group or page) as query parameters, for links and exports. */
export function filterParams(f: GapFilters, extra: Record<string, string | number | undefined> = {}): URLSearchParams {
  const qs = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== "") qs.set(k, String(v));
  };
  put("icb", f.icb);
  put("sub_icb", f.sub_icb);
  put("pcn", f.pcn);
  put("practice", f.practice);
  put("domain", f.domain);
  put("category", f.category);
  put("funder", f.funder);
  put("status", f.status);
  put("fy", f.fy);
  for (const [k, v] of Object.entries(extra)) put(k, v);
  return qs;
}

// ---------------------------------------------------------------- sorting

const REQUIREMENT_ORDER = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));
const reqOrder = (id: string) => REQUIREMENT_ORDER.get(id) ?? Number.MAX_SAFE_INTEGER;
const byText = (a: string, b: string) => a.localeCompare(b, "en-GB");
/** Code-unit order: total, for the last tie-break (a collator can call two different strings equal). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Last resort, so every order is total and stable: practice, then catalogue order, then id. */
function tieBreak(a: RegisterGap, b: RegisterGap) {
  return byText(a.practiceCode, b.practiceCode) || reqOrder(a.requirementId) - reqOrder(b.requirementId) || a.id - b.id;
}

const byPriority = (a: RegisterGap, b: RegisterGap) => b.priority.score - a.priority.score || byText(a.deadline, b.deadline);

/** Highest estimate first; gaps with no estimate after every gap that has one (never as £0). */
function byCost(a: RegisterGap, b: RegisterGap) {
  const x = a.estimate.pence;
  const y = b.estimate.pence;
  if (x === null || y === null) {
    if (x !== y) return x === null ? 1 : -1;
    return b.estimate.knownPence - a.estimate.knownPence;
  }
  return y - x;
}

export function sortGaps<T extends RegisterGap>(gaps: readonly T[], sort: GapSort): T[] {
  const cmp = {
    priority: (a: T, b: T) => byPriority(a, b) || tieBreak(a, b),
    cost: (a: T, b: T) => byCost(a, b) || byPriority(a, b) || tieBreak(a, b),
    deadline: (a: T, b: T) => byText(a.deadline, b.deadline) || b.priority.score - a.priority.score || tieBreak(a, b),
    practice: (a: T, b: T) => byText(a.practiceName, b.practiceName) || tieBreak(a, b),
  }[sort];
  return [...gaps].sort(cmp);
}

// ---------------------------------------------------------------- grouping

/** Names for organisation codes; a code without a name is shown as itself. */
export interface OrgNames {
  icb?: Record<string, string>;
  subIcb?: Record<string, string>;
}

export interface GroupTotals {
  gaps: number;
  /** Registered patients at the distinct practices in the group (unknown list sizes count 0). */
  patients: number;
  /** Distinct practices in the group whose list size is not known. */
  unknownListSizes: number;
  /** Sum of the estimates of the gaps that have one. */
  estimatedPence: number;
  /** VAT on `estimatedPence`: inc VAT is estimatedPence + vatPence (docs/money.md). */
  vatPence: number;
  /** Of `estimatedPence`, the annual part (warranty, ESU year, rental, licences), paid again every year the remedy is kept. */
  annualPence: number;
  /** Gaps with no estimate (they add nothing to `estimatedPence`). */
  noEstimate: number;
}

/** A group's totals as added up, with the limited annual parts `costByYear` needs (not shown per row). */
export type MoneyTotals = GroupTotals & { annualEnds?: AnnualEnds };

export interface GroupRow extends GroupTotals {
  key: string;
  label: string;
  /** Query parameters that list exactly this group's gaps (on top of the page's filters). */
  filter: Record<string, string>;
}

export interface GroupSummary {
  by: GapGroup;
  rows: GroupRow[];
  total: GroupTotals;
  /**
   * True when each practice falls in one group (organisation groupings), so the patients in the
   * total row are the sum of the rows. For domain, status and the like a practice can be in
   * several groups: each row counts its patients, the total counts each practice once.
   */
  patientsAdditive: boolean;
  /**
   * Grouped by financial year of the deadline, with a horizon: what falls in each year from the
   * earliest deadline to the horizon's last year, one-off costs in the deadline's year and annual
   * costs in it and every later year (costsByFinancialYear). Absent for other groupings.
   */
  costByYear?: YearCost[];
}

const NONE = "none";

export interface GroupKey {
  key: string;
  label: string;
  filter: Record<string, string>;
  order: number | string;
}

const DOMAIN_ORDER = Object.keys(DOMAINS);
const CATEGORY_ORDER = Object.keys(CATEGORIES);
const FUNDER_ORDER = Object.keys(FUNDERS);
const STATUS_ORDER = ALL_STATUSES as readonly string[];

export function groupKeyOf(g: RegisterGap, by: GapGroup, names: OrgNames = {}): GroupKey {
  switch (by) {
    case "none":
      return { key: "all", label: "All gaps", filter: {}, order: 0 };
    case "icb":
      return g.icbCode
        ? {
            key: g.icbCode,
            label: names.icb?.[g.icbCode] ?? g.icbCode,
            filter: { icb: g.icbCode },
            order: names.icb?.[g.icbCode] ?? g.icbCode,
          }
        : { key: NONE, label: "No ICB", filter: {}, order: "\uffff" };
    case "sub_icb":
      return g.subIcbCode
        ? {
            key: g.subIcbCode,
            label: names.subIcb?.[g.subIcbCode] ?? g.subIcbCode,
            filter: { sub_icb: g.subIcbCode },
            order: names.subIcb?.[g.subIcbCode] ?? g.subIcbCode,
          }
        : { key: NONE, label: "No sub-ICB location", filter: {}, order: "\uffff" };
    case "pcn":
      return g.pcnCode
        ? { key: g.pcnCode, label: g.pcnName ?? g.pcnCode, filter: { pcn: g.pcnCode }, order: g.pcnName ?? g.pcnCode }
        : { key: NONE, label: "Not in a PCN", filter: {}, order: "\uffff" };
    case "practice":
      return {
        key: g.practiceCode,
        label: g.practiceName,
        filter: { practice: g.practiceCode },
        order: `${g.practiceName}\u0000${g.practiceCode}`,
      };
    case "domain":
      return { key: g.domain, label: DOMAINS[g.domain], filter: { domain: g.domain }, order: DOMAIN_ORDER.indexOf(g.domain) };
    case "category":
      return {
        key: g.category,
        label: CATEGORIES[g.category],
        filter: { category: g.category },
        order: CATEGORY_ORDER.indexOf(g.category),
      };
    case "funder":
      return { key: g.funder, label: RESPONSIBILITY_LABELS[g.funder], filter: { funder: g.funder }, order: FUNDER_ORDER.indexOf(g.funder) };
    case "status":
      return { key: g.status, label: GAP_STATUS_LABELS[g.status], filter: { status: g.status }, order: STATUS_ORDER.indexOf(g.status) };
    case "financial_year":
      return {
        key: String(g.deadlineYear),
        label: financialYearLabel(g.deadlineYear),
        filter: { fy: String(g.deadlineYear) },
        order: g.deadlineYear,
      };
  }
}

/** Totals of a set of gaps; patients are counted once per practice. */
export function totalsOf(gaps: readonly RegisterGap[]): GroupTotals {
  const t = new TotalsAccumulator();
  for (const g of gaps) t.add(g);
  const { annualEnds: _, ...totals } = t.totals();
  return totals;
}

/** Running totals, fed one gap at a time (an export adds up the rows as it writes them). */
export class TotalsAccumulator {
  private readonly practices = new Map<string, number | null>();
  private gaps = 0;
  private estimatedPence = 0;
  private vatPence = 0;
  private annualPence = 0;
  private readonly annualEnds: Record<number, number> = {};
  private noEstimate = 0;

  add(
    g: Pick<RegisterGap, "practiceCode" | "listSize"> & {
      estimate: Pick<RegisterGap["estimate"], "pence" | "vatPence" | "split">;
    },
  ) {
    this.gaps++;
    this.practices.set(g.practiceCode, g.listSize);
    if (g.estimate.pence === null) this.noEstimate++;
    else {
      this.estimatedPence += g.estimate.pence;
      this.vatPence += g.estimate.vatPence ?? 0;
      this.annualPence += g.estimate.split?.annualPence ?? 0;
      addAnnualEnds(this.annualEnds, g.estimate.split?.annualEnds);
    }
  }

  totals(): MoneyTotals {
    let patients = 0;
    let unknownListSizes = 0;
    for (const size of this.practices.values()) {
      if (size === null) unknownListSizes++;
      else patients += size;
    }
    return {
      gaps: this.gaps,
      patients,
      unknownListSizes,
      estimatedPence: this.estimatedPence,
      vatPence: this.vatPence,
      annualPence: this.annualPence,
      noEstimate: this.noEstimate,
      ...(Object.keys(this.annualEnds).length ? { annualEnds: { ...this.annualEnds } } : {}),
    };
  }
}

const ADDITIVE: ReadonlySet<GapGroup> = new Set(["none", "icb", "sub_icb", "pcn", "practice"]);

/**
 * Gaps grouped one level deep, fed one at a time, each group with its totals (memory grows with
 * the number of groups and practices, not gaps). See `summarise` for order and totals.
 */
export class GroupAccumulator {
  private readonly groups = new Map<string, { key: GroupKey; totals: TotalsAccumulator }>();
  private readonly all = new TotalsAccumulator();

  constructor(
    readonly by: GapGroup,
    private readonly names: OrgNames = {},
    /** The money horizon's last financial year (costHorizonLastYear), for `costByYear`. */
    private readonly lastYear?: number,
  ) {}

  add(g: RegisterGap) {
    const k = groupKeyOf(g, this.by, this.names);
    let entry = this.groups.get(k.key);
    if (!entry) {
      entry = { key: k, totals: new TotalsAccumulator() };
      this.groups.set(k.key, entry);
    }
    entry.totals.add(g);
    this.all.add(g);
  }

  summary(): GroupSummary {
    const distinct = this.all.totals();
    return summarise(
      this.by,
      [...this.groups.values()].map((e) => ({ key: e.key, totals: e.totals.totals() })),
      distinct,
      this.lastYear,
    );
  }
}

/**
 * A group summary from each group's totals (however they were added up: here, or by the
 * database) and the distinct practices' patients across all groups. Groups come in a stable
 * order (names for organisations, catalogue order for domains and categories, status order,
 * year). The total row is computed from the rows for gap counts, costs and missing estimates,
 * so it always equals their sum.
 */
export function summarise(
  by: GapGroup,
  groups: readonly { key: GroupKey; totals: MoneyTotals }[],
  distinct: Pick<GroupTotals, "patients" | "unknownListSizes">,
  lastYear?: number,
): GroupSummary {
  // Ties broken by the group's key, so the order (and each page of the groups) is the same on every load.
  const ordered = [...groups].sort((a, b) => {
    const x = a.key.order;
    const y = b.key.order;
    const first = typeof x === "number" && typeof y === "number" ? x - y : byText(String(x), String(y));
    return first || byText(a.key.key, b.key.key) || byCodeUnits(a.key.key, b.key.key);
  });
  const rows: GroupRow[] = ordered.map(({ key, totals: { annualEnds: _, ...totals } }) => ({
    key: key.key,
    label: key.label,
    filter: key.filter,
    ...totals,
  }));
  const patientsAdditive = ADDITIVE.has(by);
  const sum = (f: (r: GroupRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const total: GroupTotals = {
    gaps: sum((r) => r.gaps),
    estimatedPence: sum((r) => r.estimatedPence),
    vatPence: sum((r) => r.vatPence),
    annualPence: sum((r) => r.annualPence),
    noEstimate: sum((r) => r.noEstimate),
    patients: patientsAdditive ? sum((r) => r.patients) : distinct.patients,
    unknownListSizes: patientsAdditive ? sum((r) => r.unknownListSizes) : distinct.unknownListSizes,
  };
  if (by !== "financial_year" || lastYear === undefined) return { by, rows, total, patientsAdditive };
  const costByYear = costsByFinancialYear(
    ordered.map(({ key, totals: t }) => ({
      year: Number(key.key),
      oneOffPence: t.estimatedPence - t.annualPence,
      annualPence: t.annualPence,
      annualEnds: t.annualEnds,
    })),
    lastYear,
  );
  return { by, rows, total, patientsAdditive, costByYear };
}

/**
 * The fields `groupKeyOf` reads for a group the database added up: `code` and `name` are the
 * group's code and name as `aggregateGaps` returns them (see GROUP_KEYS there).
 */
export function groupProbe(by: GapGroup, code: string | null, name: string | null): RegisterGap {
  const probe = {
    icbCode: by === "icb" ? code : null,
    subIcbCode: by === "sub_icb" ? code : null,
    pcnCode: by === "pcn" ? code : null,
    pcnName: by === "pcn" ? name : null,
    practiceCode: by === "practice" ? code : "",
    practiceName: by === "practice" ? name : "",
    domain: code,
    category: code,
    funder: code,
    status: code,
    deadlineYear: by === "financial_year" ? Number(code) : 0,
  };
  return probe as unknown as RegisterGap;
}

/** Gaps grouped one level deep, each group with its totals (see `summarise`). */
export function groupGaps(gaps: readonly RegisterGap[], by: GapGroup, names: OrgNames = {}, lastYear?: number): GroupSummary {
  const acc = new GroupAccumulator(by, names, lastYear);
  for (const g of gaps) acc.add(g);
  return acc.summary();
}

/**
 * Group rows on a page of the register: 50, so the 42 ICBs of England fit on one page and the
 * national page grouped by practice or PCN stays near 110 KB of HTML (each row is about 0.5 KB of
 * markup and hydration data; all 6,220 practices made a 3.2 MB page).
 */
export const GROUP_PAGE_SIZE = 50;

/** Where a page of the group rows sits among all of them (the total row always covers them all). */
export interface GroupPage {
  page: number;
  pageCount: number;
  /** Every group row, on every page. */
  total: number;
  /** Of `total`, the rows that are one organisation or value (not "Not in a PCN" and the like). */
  named: number;
  pageSize: number;
}

/**
 * One page of a summary's group rows, in the summary's order. A page past the end is the last
 * page (a link kept from a wider filter still shows rows); the total row and `costByYear` are
 * left as they are: they cover every group.
 */
export function pageOfGroups(
  summary: GroupSummary,
  page: number,
  pageSize = GROUP_PAGE_SIZE,
): { summary: GroupSummary; groupPage: GroupPage } {
  const { rows, total, page: current, pageCount } = pageOfList(summary.rows, page, pageSize);
  return {
    summary: { ...summary, rows },
    groupPage: { page: current, pageCount, total, named: summary.rows.filter((r) => r.key !== NONE).length, pageSize },
  };
}

/** One page of an already sorted list; a page past the end is empty (the total still shows). */
export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): T[] {
  return rows.slice((page - 1) * pageSize, page * pageSize);
}

/** Financial years a user can pick: two back to three ahead of today's, plus any already chosen. */
export function financialYearChoices(currentYear: number, chosen?: number): number[] {
  const years = new Set<number>();
  for (let y = currentYear - 2; y <= currentYear + 3; y++) years.add(y);
  if (chosen !== undefined) years.add(chosen);
  return [...years].sort((a, b) => a - b);
}

/** What an estimate shows: pounds, or "No estimate" with what is missing (never £0). */
/** "2 × replace a desktop (costed under DEV-02)": work a gap needs that other gaps cost. */
export const describeElsewhere = (list: readonly { quantity: number; label: string; under: string; replaced: boolean }[]) =>
  list
    .map(
      (x) =>
        `${x.quantity} × ${x.label.charAt(0).toLowerCase()}${x.label.slice(1)} (${x.replaced ? `not needed: replaced under ${x.under}` : `costed under ${x.under}`})`,
    )
    .join("; ");

export function describeMissing(missing: readonly { label: string; why: string }[]): string {
  return missing.map((m) => `${m.label}: ${m.why}`).join("; ");
}
