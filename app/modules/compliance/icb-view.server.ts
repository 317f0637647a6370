import type { Db } from "#db/connect";
import { listAuditForEntity } from "~/modules/audit/repository.server";
import { findIcb } from "~/modules/org/repository.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { notFound } from "~/utils/errors";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { canManagePolicy, scopeCoversIcb, type Scope } from "~/utils/permissions";
import { DOMAINS, requirementById, type Domain } from "~/modules/catalogue";
import { listHref, SCORE_BANDS } from "./display";
import { describePolicyValue, isPolicyKey, POLICY_KEYS, type PolicyDefinition } from "~/modules/catalogue/policy";
import { getPolicy } from "./policy.server";
import { resultView } from "./practice-view.server";
import { frameworkVersionsView, requirementView } from "./requirement-view";
import * as repo from "./repository.server";
import { STATUSES, type Status } from "~/modules/catalogue/rule-types";
import type { IcbComplianceFilters, IcbSort } from "./schema";
import { emptyCounts, type ScoreSummary } from "./scoring";
import { getIcbSummary, getRequirementAcrossIcb } from "./service.server";
import { icbChangeStamp, PerIcbCache } from "~/utils/icb-cache.server";

/** An ICB the user may see (else 404, as the ICB page does, so nothing leaks). */
export async function findIcbInScope(db: Db, scope: Scope, rawCode: string | undefined) {
  const code = OdsCodeSchema.safeParse(rawCode ?? "");
  if (!code.success || !scopeCoversIcb(scope, code.data)) throw notFound("ICB");
  const icb = await findIcb(db, code.data);
  if (!icb) throw notFound("ICB");
  return { code: icb.code, name: icb.name };
}

// canManagePolicy lives in utils/permissions.ts (the price list and budgets ask it too); re-exported for the policy routes.
export { canManagePolicy };

/**
 * Re-checking a whole ICB is for the people who set its local policy: the run applies that
 * policy to every practice.
 */
export const canRecheckIcb = canManagePolicy;

/** Sums score summaries exactly as scoring every underlying result together would. */
function combine(list: readonly ScoreSummary[]): ScoreSummary {
  const counts = emptyCounts();
  let earned = 0;
  let possible = 0;
  let total = 0;
  for (const s of list) {
    earned += s.earned;
    possible += s.possible;
    total += s.total;
    for (const k of STATUSES) counts[k] += s.counts[k];
  }
  return { score: possible ? Math.round((earned / possible) * 1000) / 10 : null, earned, possible, counts, total };
}

export interface IcbPracticeRow {
  ods_code: string;
  name: string;
  pcn_code: string | null;
  pcn_name: string | null;
  list_size: number | null;
  /** The extract date of the list size, shown as its month. */
  list_size_date: string | null;
  checked: boolean;
  /** Overall, or the filtered domain's. */
  score: number | null;
  counts: Record<Status, number> | null;
}

const pcnKey = (code: string | null) => code ?? "none";

function sortValue(r: IcbPracticeRow, sort: IcbSort): string | number | null {
  switch (sort) {
    case "name":
      return r.name;
    case "ods":
      return r.ods_code;
    case "pcn":
      return r.pcn_name ?? r.pcn_code;
    case "list_size":
      return r.list_size;
    case "score":
      return r.score;
    default:
      return r.counts ? r.counts[sort] : null;
  }
}

/** Stable order: the chosen column (missing values last either way), then ODS code. */
function makeComparator(sort: IcbSort, dir: "asc" | "desc") {
  return (a: IcbPracticeRow, b: IcbPracticeRow) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else {
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "en-GB");
      if (c !== 0) return dir === "asc" ? c : -c;
    }
    return a.ods_code.localeCompare(b.ods_code);
  };
}

/*
 * One comparator per sort and direction, kept: a comparator made on each request would lose its
 * optimized code at every full collection, V8 keeping it only while one is alive, and be compiled
 * again (docs/performance.md, session 16, optimized code dropped at every full collection). The
 * same goes for the module-level helpers of getIcbCompliancePage below, which take the page's
 * values as parameters rather than closing over them.
 */
const comparators = new Map<string, (a: IcbPracticeRow, b: IcbPracticeRow) => number>();

function compareRows(sort: IcbSort, dir: "asc" | "desc") {
  const key = `${sort} ${dir}`;
  let compare = comparators.get(key);
  if (!compare) comparators.set(key, (compare = makeComparator(sort, dir)));
  return compare;
}

// Statuses in force change only with an evaluation run or an audited change (verifying an answer,
// policy), both of which move the change stamp: the summary is kept per ICB between loads.
const summaryCache = new PerIcbCache<Awaited<ReturnType<typeof getIcbSummary>>>();

async function keptIcbSummary(db: Db, icbCode: string, asOf: string) {
  const stamp = await icbChangeStamp(db, icbCode);
  return (await summaryCache.get(icbCode, `${asOf}|${stamp}`, () => getIcbSummary(db, icbCode, asOf))).value;
}

/** For tests that measure a cold load. */
export const clearIcbSummaryCache = () => summaryCache.clear();

/**
 * An ICB's compliance on `asOf`: every open practice (checked or not) filtered, sorted and paged,
 * the headline counts, and the PCN × domain heat map. Every number that links somewhere is
 * computed from the same rows the link lists, so a count always equals the rows it leads to.
 */
export async function getIcbCompliancePage(
  db: Db,
  icb: { code: string; name: string | null },
  filters: IcbComplianceFilters,
  page: number,
  today: string,
) {
  const asOf = filters.as_of ?? today;
  const [summary, open, lastRun, lastPolicyChange] = await Promise.all([
    keptIcbSummary(db, icb.code, asOf),
    repo.listOpenPractices(db, icb.code),
    repo.latestIcbRun(db, icb.code),
    repo.latestPolicyChange(db, icb.code),
  ]);
  const links: IcbLinks = { base: `/icbs/${icb.code}/compliance`, asOf: asOf !== today ? asOf : null };
  const all = withResults(open, summary.practices);

  // The list: each practice's overall or one domain's score and counts.
  const q = filters.q?.toLowerCase();
  const rows: IcbPracticeRow[] = [];
  for (const p of all) {
    if (q && !`${p.ods_code} ${p.name}`.toLowerCase().includes(q)) continue;
    if (filters.pcn && pcnKey(p.pcn_code) !== filters.pcn) continue;
    if (filters.checked === "yes" && !p.result) continue;
    if (filters.checked === "no" && p.result) continue;
    const s = !p.result
      ? null
      : filters.domain
        ? (p.result.byDomain[filters.domain] ?? null)
        : { score: p.result.score, counts: p.result.counts };
    if (filters.domain && !s) continue;
    const score = s?.score ?? null;
    if (filters.min !== undefined && (score === null || score < filters.min)) continue;
    if (filters.max !== undefined && (score === null || score > filters.max)) continue;
    rows.push({
      ods_code: p.ods_code,
      name: p.name,
      pcn_code: p.pcn_code,
      pcn_name: p.pcn_name,
      list_size: p.list_size,
      list_size_date: p.list_size_date,
      checked: !!p.result,
      score,
      counts: s?.counts ?? null,
    });
  }
  rows.sort(compareRows(filters.sort, filters.dir));
  const start = (page - 1) * PAGE_SIZE;

  // Headline counts, each with the list it leads to.
  const checked = checkedOnly(all);
  const bands = scoreBands(checked, links);

  // Heat map: PCN × domain, from the same per-practice summaries the list shows.
  const domainKeys = domainsChecked(checked);
  const heatmap = heatRows(checked, domainKeys, links);
  const pcns = pcnChoices(open);

  return {
    icb,
    asOf,
    isToday: asOf === today,
    filters,
    overall: summary.overall.overall,
    openPractices: open.length,
    checked: { practices: checked.length, href: icbHref(links, { checked: "yes" }) },
    notChecked: { practices: open.length - checked.length, href: icbHref(links, { checked: "no" }) },
    bands,
    domains: domainLabels(domainKeys),
    heatmap,
    pcns,
    page: toPage(rows.slice(start, start + PAGE_SIZE), rows.length, page),
    lastRun: lastRun ? { asOf: lastRun.as_of, finishedAt: lastRun.finished_at } : null,
    policyChangedSinceRun: !!lastPolicyChange && (!lastRun?.finished_at || lastPolicyChange.occurred_at > lastRun.finished_at),
    lastPolicyChange: lastPolicyChange?.occurred_at ?? null,
  };
}

type OpenPractice = Awaited<ReturnType<typeof repo.listOpenPractices>>[number];
type PracticeSummary = Awaited<ReturnType<typeof getIcbSummary>>["practices"][number];
type WithResult = OpenPractice & { result: PracticeSummary | null };
type Checked = OpenPractice & { result: PracticeSummary };

/** The ICB page's links: its list filtered, with the results date when not today. */
type IcbLinks = { base: string; asOf: string | null };

const icbHref = (links: IcbLinks, params: Record<string, string | number | undefined>) => listHref(links.base, params, links.asOf);

/** Every open practice with its summary, or null when it has not been checked. */
function withResults(open: readonly OpenPractice[], practices: readonly PracticeSummary[]): WithResult[] {
  const results = new Map<string, PracticeSummary>();
  for (const p of practices) results.set(p.ods_code, p);
  const all: WithResult[] = [];
  for (const p of open) all.push({ ...p, result: results.get(p.ods_code) ?? null });
  return all;
}

function checkedOnly(all: readonly WithResult[]): Checked[] {
  const checked: Checked[] = [];
  for (const p of all) if (p.result) checked.push(p as Checked);
  return checked;
}

function scoreBands(checked: readonly Checked[], links: IcbLinks) {
  const bands = [];
  for (const b of SCORE_BANDS) {
    let practices = 0;
    for (const p of checked) if (p.result.score !== null && p.result.score >= b.min && p.result.score <= b.max) practices++;
    bands.push({ ...b, practices, href: icbHref(links, { min: b.min, max: b.max }) });
  }
  return bands;
}

/** The domains in which some checked practice has results, in the catalogue's order. */
function domainsChecked(checked: readonly Checked[]): Domain[] {
  const keys: Domain[] = [];
  for (const d of Object.keys(DOMAINS) as Domain[]) {
    for (const p of checked) {
      if (p.result.byDomain[d]) {
        keys.push(d);
        break;
      }
    }
  }
  return keys;
}

function domainLabels(keys: readonly Domain[]) {
  const out = [];
  for (const key of keys) out.push({ key, label: DOMAINS[key] });
  return out;
}

/** A row a PCN ("none" for practices in none), last "none" and the others by name. */
function heatRows(checked: readonly Checked[], domainKeys: readonly Domain[], links: IcbLinks) {
  const byPcn = new Map<string, Checked[]>();
  for (const p of checked) byPcn.set(pcnKey(p.pcn_code), [...(byPcn.get(pcnKey(p.pcn_code)) ?? []), p]);
  const rows = [];
  for (const [key, practices] of byPcn) rows.push(heatRow(key, practices, domainKeys, links));
  return rows.sort(comparePcnRows);
}

function heatRow(key: string, practices: readonly Checked[], domainKeys: readonly Domain[], links: IcbLinks) {
  const summaries: ScoreSummary[] = [];
  for (const p of practices) summaries.push(summaryOf(p.result));
  const overall = combine(summaries);
  const cells = [];
  for (const d of domainKeys) cells.push(heatCell(key, practices, d, links));
  return {
    pcn: key,
    pcn_name: key === "none" ? "No PCN" : (practices[0].pcn_name ?? key),
    practices: practices.length,
    score: overall.score,
    href: icbHref(links, { pcn: key, checked: "yes" }),
    cells,
  };
}

function heatCell(key: string, practices: readonly Checked[], d: Domain, links: IcbLinks) {
  const inDomain: ScoreSummary[] = [];
  for (const p of practices) {
    const s = p.result.byDomain[d];
    if (s) inDomain.push(s);
  }
  const s = combine(inDomain);
  return {
    domain: d,
    practices: inDomain.length,
    score: s.score,
    unknown: s.counts.unknown,
    counts: s.counts,
    href: icbHref(links, { pcn: key, domain: d }),
  };
}

function comparePcnRows(a: { pcn: string; pcn_name: string }, b: { pcn: string; pcn_name: string }) {
  return a.pcn === "none" ? 1 : b.pcn === "none" ? -1 : a.pcn_name.localeCompare(b.pcn_name, "en-GB");
}

const compareByName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, "en-GB");

/** The PCN filter's choices: each PCN by name, then "No PCN" if some practice is in none. */
function pcnChoices(open: readonly OpenPractice[]) {
  const names = new Map<string, string>();
  let nonePcn = false;
  for (const p of open) {
    if (p.pcn_code) names.set(p.pcn_code, p.pcn_name ?? p.pcn_code);
    else nonePcn = true;
  }
  const pcns: { code: string; name: string }[] = [];
  for (const [code, name] of names) pcns.push({ code, name });
  pcns.sort(compareByName);
  if (nonePcn) pcns.push({ code: "none", name: "No PCN" });
  return pcns;
}

/** A practice's overall summary, rebuilt from its domains (they partition its results). */
const summaryOf = (p: { byDomain: Record<string, ScoreSummary> }): ScoreSummary => combine(Object.values(p.byDomain));

const WORST_FIRST: Record<Status, number> = { not_met: 0, partial: 1, unknown: 2, met: 3, not_applicable: 4 };

/** One requirement across an ICB's open practices on `asOf`: counts by status and the practices, worst first. */
export async function getIcbRequirementPage(
  db: Db,
  icb: { code: string; name: string | null },
  requirementId: string | undefined,
  filters: { status?: Status; as_of?: string },
  page: number,
  today: string,
) {
  const requirement = requirementId ? requirementById(requirementId) : undefined;
  if (!requirement) throw notFound("requirement");
  const asOf = filters.as_of ?? today;
  const [results, open] = await Promise.all([
    requirement.automatic ? getRequirementAcrossIcb(db, icb.code, requirement.id, asOf) : Promise.resolve([]),
    repo.listOpenPractices(db, icb.code),
  ]);
  const facts = new Map(open.map((p) => [p.ods_code, p]));
  const counts = emptyCounts();
  for (const r of results) counts[r.result.status]++;
  const base = `/icbs/${icb.code}/compliance/${requirement.id}`;
  const link = (status?: Status) => {
    const qs = new URLSearchParams();
    if (status) qs.set("status", status);
    if (asOf !== today) qs.set("as_of", asOf);
    const s = qs.toString();
    return s ? `${base}?${s}` : base;
  };
  const rows = results
    .filter((r) => !filters.status || r.result.status === filters.status)
    .map((r) => ({
      ods_code: r.ods_code,
      name: r.name,
      pcn_name: facts.get(r.ods_code)?.pcn_name ?? r.pcn_code,
      list_size: facts.get(r.ods_code)?.list_size ?? null,
      list_size_date: facts.get(r.ods_code)?.list_size_date ?? null,
      result: resultView(r.result),
    }))
    .sort((a, b) => WORST_FIRST[a.result.status] - WORST_FIRST[b.result.status] || a.ods_code.localeCompare(b.ods_code));
  const start = (page - 1) * PAGE_SIZE;
  return {
    icb,
    asOf,
    isToday: asOf === today,
    status: filters.status ?? null,
    requirement: requirementView(requirement),
    counts: STATUSES.map((s) => ({ status: s, practices: counts[s], href: link(s) })),
    checked: results.length,
    allHref: link(),
    notChecked: open.length - results.length,
    page: toPage(rows.slice(start, start + PAGE_SIZE), rows.length, page),
  };
}

/**
 * An ICB's local policy page: every value beside its national default, grouped, with who changed
 * it and when; for the value being edited, its history of changes; after a change, that value
 * and the number of practices a re-check would cover.
 */
export async function getPolicyPage(db: Db, icbCode: string, opts: { edit?: string | null; changed?: string | null } = {}) {
  const [{ entries }, openPractices] = await Promise.all([getPolicy(db, icbCode), repo.countOpenPractices(db, icbCode)]);
  const names = await repo.userNames(
    db,
    entries.flatMap((e) => (e.setBy ? [e.setBy] : [])),
  );
  const view = entries.map((e) => {
    const def: PolicyDefinition = e.definition;
    return {
      key: e.key,
      label: def.label,
      group: def.group,
      hint: def.hint ?? null,
      kind: def.kind,
      unit: def.kind === "number" ? def.unit : null,
      min: def.kind === "number" ? def.min : null,
      max: def.kind === "number" ? def.max : null,
      step: def.kind === "number" ? (def.step ?? 1) : null,
      choices: def.kind === "choice" ? Object.entries(def.choices).map(([value, label]) => ({ value, label })) : null,
      value: e.value,
      valueText: describePolicyValue(e.key, e.value),
      default: e.default,
      defaultText: describePolicyValue(e.key, e.default),
      overridden: e.overridden,
      unconfirmed: e.unconfirmed,
      source: e.source,
      version: e.version,
      updatedAt: e.updatedAt,
      setBy: e.setBy ? (names.get(e.setBy) ?? null) : null,
    };
  });
  const groups = [...new Set(view.map((v) => v.group))].map((group) => ({ group, entries: view.filter((v) => v.group === group) }));
  const find = (key: string | null | undefined) => (key && isPolicyKey(key) ? (view.find((v) => v.key === key) ?? null) : null);
  const editing = find(opts.edit);
  const changed = find(opts.changed);
  const history = editing ? await listAuditForEntity(db, "icb_policy", `${icbCode}:${editing.key}`) : [];
  return {
    groups,
    editing,
    history,
    changed: changed ? { key: changed.key, label: changed.label, text: changed.valueText, overridden: changed.overridden } : null,
    openPractices,
    overridden: view.filter((v) => v.overridden).length,
    total: POLICY_KEYS.length,
    frameworkVersions: frameworkVersionsView(String(view.find((v) => v.key === "framework_version")?.value ?? "")),
  };
}
