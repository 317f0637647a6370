import type { Db } from "#db/connect";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { getPolicy } from "~/modules/compliance/policy.server";
import { listOpenPractices } from "~/modules/compliance/repository.server";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { findListSize } from "~/modules/org/repository.server";
import { conflict, notFound } from "~/utils/errors";
import type { FieldErrors, FormFailure } from "~/utils/forms";
import {
  addMonthsYm,
  carbonForActivity,
  lastCompleteMonth,
  last12Months,
  lloydGeorgeCounts,
  monthlyCarbon,
  monthOf,
  monthsBetween,
  per1000,
  rolling12,
  savings,
  splitTrajectoryTarget,
  yearlyCarbon,
  NET_ZERO_DIRECT_YEAR,
  NET_ZERO_PLUS_YEAR,
  NET_ZERO_YEAR,
} from "./carbon";
import { FACTORS, factorsOn, type FactorKey, type FactorVersion } from "./factors";
import * as repo from "./repository.server";
import {
  ACTIVITY_COLUMNS,
  ACTIVITY_LABELS,
  type FactorVersionInput,
  type LloydGeorgeInput,
  type PaperActivityInput,
  type PaperActivityRow,
} from "./schema";

/** Lloyd George records and paper activity are filed under the practice code in the audit trail. */
export const PAPER_ENTITY = "paper";
/** How far back the practice page looks. */
export const HISTORY_MONTHS = 36;

const LG_CHANGED =
  "Someone else changed this practice's Lloyd George records since you opened this page, so nothing was saved. Reload the page to see their changes, then make yours again.";
const ACTIVITY_CHANGED =
  "Someone else changed this month's paper figures since you opened this page, so nothing was saved. Reload the page to see their changes, then make yours again.";

const lgAuditable = (r: repo.LloydGeorgeRow | undefined) => {
  if (!r) return undefined;
  const { updated_at: _u, updated_by: _b, practice_code: _p, ...rest } = r;
  return rest;
};
const activityAuditable = (r: repo.ActivityRow | undefined) => {
  if (!r) return undefined;
  const { updated_at: _u, practice_code: _p, ...rest } = r;
  return rest;
};

/** Everything the "Paper and carbon" page shows, for the as-of date and a chosen baseline year. */
export async function getPaperPage(
  db: Db,
  practice: { ods_code: string; icb_code: string | null },
  asOf: string,
  baselineParam?: string | null,
) {
  await repo.ensureEmissionFactors(db);
  const lastMonth = lastCompleteMonth(asOf);
  const from = addMonthsYm(lastMonth, -(HISTORY_MONTHS - 1));
  const [lg, sites, activity, versions, policy, history, listSize] = await Promise.all([
    repo.getLloydGeorge(db, practice.ods_code),
    repo.listSites(db, practice.ods_code),
    repo.listActivity(db, [practice.ods_code], `${from}-01`),
    repo.listFactorVersions(db),
    getPolicy(db, practice.icb_code),
    listAuditForEntity(db, PAPER_ENTITY, practice.ods_code, 30),
    findListSize(db, practice.ods_code),
  ]);
  const firstRecorded = activity.length ? monthOf(activity[0].period_start) : lastMonth;
  const start = [firstRecorded, last12Months(asOf)[0]].sort()[0];
  const months = monthsBetween(start < from ? from : start, lastMonth);
  const monthly = monthlyCarbon(activity, versions, months);
  const years = yearlyCarbon(monthly, lastMonth);
  const rolling = rolling12(monthly, asOf);

  // Baseline: the chosen year if it has a figure, else the earliest year with one.
  const withFigure = years.filter((y) => y.annualised !== null);
  const chosen = Number(baselineParam);
  const baseline = withFigure.find((y) => y.year === chosen) ?? withFigure[0] ?? null;
  // The baseline's printing energy (directly controlled) falls to zero by 2040; the rest (paper,
  // post, messages: supply chain) by 2045, scaled to a full year like the baseline itself.
  const directKg = baseline
    ? (monthly
        .filter((m) => m.month.startsWith(`${baseline.year}-`) && m.month <= lastMonth)
        .reduce((s, m) => s + (m.parts?.printing ?? 0), 0) *
        12) /
      baseline.months
    : 0;
  const trajectory = baseline
    ? {
        baselineYear: baseline.year,
        baselineKg: baseline.annualised!,
        baselineDirectKg: directKg,
        netZeroYear: NET_ZERO_YEAR,
        netZeroDirectYear: NET_ZERO_DIRECT_YEAR,
        netZeroPlusYear: NET_ZERO_PLUS_YEAR,
        // Every year from the baseline to net zero, so the chart's years are evenly spaced.
        rows: Array.from({ length: Math.max(1, NET_ZERO_YEAR - baseline.year + 1) }, (_, i) => baseline.year + i).map((year) => {
          const actual = years.find((y) => y.year === year);
          return {
            year,
            target: splitTrajectoryTarget(baseline.year, baseline.annualised!, directKg, year),
            actual: actual?.annualised ?? null,
            partYear: actual ? actual.months < 12 : false,
            recorded: actual ? `${actual.recorded} of ${actual.months}` : null,
          };
        }),
      }
    : null;
  const openSites = sites.filter((s) => (!s.open_date || s.open_date <= asOf) && (!s.close_date || s.close_date > asOf));
  const storageKnown = openSites.some((s) => s.records_storage_m2 !== null);
  const storageM2 = storageKnown ? openSites.reduce((s, x) => s + Number(x.records_storage_m2 ?? 0), 0) : null;
  const save = savings({ lg: lg ?? null, storageM2, monthly, asOf, versions, targetShare: policy.values.digital_message_share_target });
  const inForce = [...factorsOn(versions, asOf).values()].sort((a, b) => a.key.localeCompare(b.key));
  return {
    asOf,
    lastMonth,
    listSize: listSize?.list_size ?? null,
    listSizeDate: listSize?.list_size_date ?? null,
    lloydGeorge: lg ?? null,
    counts: lloydGeorgeCounts(lg ?? null),
    sites: sites.map((s) => ({ ...s, records_storage_m2: s.records_storage_m2 === null ? null : Number(s.records_storage_m2) })),
    storageM2,
    activity,
    monthly,
    years,
    rolling,
    per1000: per1000(rolling.kg, listSize?.list_size ?? null),
    baselineOptions: withFigure.map((y) => y.year),
    trajectory,
    savings: save,
    versions,
    factors: inForce.map((f) => ({ ...f, label: FACTORS[f.key as FactorKey]?.label ?? f.key })),
    history,
  };
}

/** Creates or updates the practice's Lloyd George record (version 0 = new), audited and re-evaluated in one transaction. */
export async function saveLloydGeorge(db: Db, actorId: number, ods: string, input: LloydGeorgeInput) {
  const { version, ...facts } = input;
  return db.transaction().execute(async (trx) => {
    const before = await repo.getLloydGeorge(trx, ods);
    let after: repo.LloydGeorgeRow | undefined;
    if (version === 0) {
      if (before) throw conflict(LG_CHANGED);
      after = await repo.insertLloydGeorge(trx, ods, facts, actorId);
    } else {
      after = before ? await repo.updateLloydGeorge(trx, ods, version, facts, actorId) : undefined;
    }
    if (!after) throw conflict(LG_CHANGED);
    await recordAudit(trx, {
      userId: actorId,
      action: before ? "lloyd_george.update" : "lloyd_george.create",
      entityType: PAPER_ENTITY,
      entityId: ods,
      before: lgAuditable(before),
      after: lgAuditable(after),
    });
    await reevaluateAfterChange(trx, ods, actorId);
    return after;
  });
}

const monthName = (ym: string) =>
  new Date(`${ym}-01T00:00:00Z`).toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** Checks a period against the practice's sites and its other records; field errors, or none. */
async function checkPeriod(db: Db, ods: string, row: PaperActivityRow, siteCodes: Set<string>): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (row.site_code && !siteCodes.has(row.site_code)) errors.site_code = `Site ${row.site_code} is not one of this practice's sites`;
  const clash = await repo.overlapping(db, ods, row.site_code, row.period_start, row.period_end!);
  if (clash.length) {
    const c = clash[0];
    const span =
      monthOf(c.period_start) === monthOf(c.period_end)
        ? monthName(monthOf(c.period_start))
        : `${monthName(monthOf(c.period_start))} to ${monthName(monthOf(c.period_end))}`;
    errors.period_start = `This period overlaps the figures already recorded for ${span}${row.site_code ? ` at site ${row.site_code}` : ""}; change that record instead`;
  }
  return errors;
}

/** The practice's site codes (one query). */
async function siteCodesOf(db: Db, ods: string) {
  return new Set((await repo.listSites(db, ods)).map((s) => s.code));
}

/** The record for a month (and site) for the entry form, if any. */
export async function getActivity(db: Db, ods: string, periodStart: string, site: string | null) {
  return (await repo.findActivity(db, ods, site, periodStart)) ?? null;
}

/**
 * Records (or corrects) a period of paper activity. Version 0 means the form was opened for a new
 * period; a record already there for it is then a conflict, never overwritten.
 */
export async function savePaperActivity(
  db: Db,
  actorId: number,
  ods: string,
  input: PaperActivityInput,
): Promise<FormFailure | { ok: true; row: repo.ActivityRow }> {
  const { version, ...row } = input;
  return db.transaction().execute(async (trx) => {
    const errors = await checkPeriod(trx, ods, row, await siteCodesOf(trx, ods));
    if (Object.keys(errors).length) return { ok: false as const, fieldErrors: errors };
    const before = await repo.findActivity(trx, ods, row.site_code, row.period_start);
    let after: repo.ActivityRow | undefined;
    if (version === 0) {
      if (before)
        throw conflict(
          `Figures for ${monthName(monthOf(row.period_start))}${row.site_code ? ` at site ${row.site_code}` : ""} are already recorded. Open that month to change them.`,
        );
      after = await repo.insertActivity(trx, ods, row, actorId);
    } else {
      after = before && before.version === version ? await repo.updateActivity(trx, before.id, version, row, actorId) : undefined;
    }
    if (!after) throw conflict(ACTIVITY_CHANGED);
    await recordAudit(trx, {
      userId: actorId,
      action: before ? "paper_activity.update" : "paper_activity.create",
      entityType: PAPER_ENTITY,
      entityId: ods,
      before: activityAuditable(before),
      after: activityAuditable(after),
    });
    await reevaluateAfterChange(trx, ods, actorId);
    return { ok: true as const, row: after };
  });
}

// Emission factors.

export async function listFactors(db: Db) {
  await repo.ensureEmissionFactors(db);
  const versions = await repo.listFactorVersions(db);
  return (Object.keys(FACTORS) as FactorKey[]).map((key) => ({
    key,
    ...FACTORS[key],
    versions: versions.filter((v) => v.key === key).sort((a, b) => b.effective_from.localeCompare(a.effective_from)),
  }));
}

/** Adds a version of a factor from its effective date; earlier versions stay as they were. */
export async function addFactorVersion(
  db: Db,
  actorId: number,
  input: FactorVersionInput,
): Promise<FormFailure | { ok: true; version: FactorVersion }> {
  const key = input.key as FactorKey;
  return db.transaction().execute(async (trx) => {
    await repo.ensureEmissionFactors(trx);
    const created = await repo.insertFactorVersion(
      trx,
      {
        key,
        value: input.value!,
        unit: FACTORS[key].unit,
        source: input.source!,
        year: input.year,
        is_assumption: input.is_assumption ?? false,
        effective_from: input.effective_from!,
      },
      actorId,
    );
    if (!created)
      return {
        ok: false as const,
        fieldErrors: { effective_from: "A version of this factor already applies from that date; choose another date" },
      };
    await recordAudit(trx, {
      userId: actorId,
      action: "emission_factor.add",
      entityType: "emission_factor",
      entityId: key,
      after: created,
    });
    return { ok: true as const, version: created };
  });
}

// The ICB sustainability view.

/** Practices a page in the view's ranking table (issue 12: every list that can grow is paged; QOP has 408). */
export const PRACTICE_PAGE_SIZE = 50;

export interface RankedPractice {
  ods_code: string;
  name: string;
  pcn_code: string | null;
  pcn_name: string | null;
  list_size: number | null;
  /** The month the list size was counted (YYYY-MM): files from different years are mixed in ODS imports. */
  list_size_month: string | null;
  kg: number | null;
  per1000: number | null;
  recorded: number;
  missing: string | null;
}

/**
 * The months the list sizes behind a figure were counted in, oldest first, and whether they mix
 * (issue #13 item 8: the national files hold 2021 counts beside 2026 ones). Unknown months count
 * as a vintage of their own ("not known").
 */
export function listSizeVintages(rows: readonly { list_size_month: string | null }[]): {
  months: string[];
  unknown: number;
  mixed: boolean;
} {
  const months = [...new Set(rows.map((r) => r.list_size_month).filter((m): m is string => m !== null))].sort();
  const unknown = rows.filter((r) => r.list_size_month === null).length;
  return { months, unknown, mixed: months.length + (unknown ? 1 : 0) > 1 };
}

/**
 * Practices and PCNs of an ICB ranked by kg CO2e per 1,000 registered patients over the last 12
 * whole months. A practice with a month missing, or no list size, is shown as missing (with
 * why), never as zero. A PCN's figure covers its practices with complete data and says how many.
 */
export async function getIcbSustainability(db: Db, icbCode: string, asOf: string, pcnCode?: string | null) {
  await repo.ensureEmissionFactors(db);
  const months = last12Months(asOf);
  const [inIcb, activity, versions] = await Promise.all([
    listOpenPractices(db, icbCode),
    repo.listIcbActivity(db, icbCode, `${months[0]}-01`),
    repo.listFactorVersions(db),
  ]);
  // Optionally one PCN of the ICB: its month-by-month figures and its practices.
  const pcn = pcnCode ? inIcb.find((p) => p.pcn_code === pcnCode) : undefined;
  if (pcnCode && !pcn) throw notFound("PCN in this ICB");
  const practices = pcn ? inIcb.filter((p) => p.pcn_code === pcnCode) : inIcb;
  const byPractice = new Map<string, typeof activity>();
  for (const a of activity) byPractice.set(a.practice_code, [...(byPractice.get(a.practice_code) ?? []), a]);
  // Each month across the ICB: the practices with that month recorded (and a list size), never
  // counting a missing month as zero.
  const perMonth = months.map((month) => ({ month, kg: 0, patients: 0, reporting: 0 }));
  const rows: RankedPractice[] = practices.map((p) => {
    const records = byPractice.get(p.ods_code) ?? [];
    const monthly = monthlyCarbon(records, versions, months);
    monthly.forEach((m, i) => {
      if (m.status !== "ok" || !p.list_size) return;
      perMonth[i].kg += m.kg!;
      perMonth[i].patients += p.list_size;
      perMonth[i].reporting++;
    });
    const r = rolling12(monthly, asOf);
    const missing =
      r.kg === null
        ? records.length === 0
          ? "No months recorded"
          : `${12 - r.recorded} of 12 months missing or incomplete`
        : !p.list_size
          ? "List size not known"
          : null;
    return {
      ods_code: p.ods_code,
      name: p.name,
      pcn_code: p.pcn_code,
      pcn_name: p.pcn_name,
      list_size: p.list_size,
      list_size_month: p.list_size_date?.slice(0, 7) ?? null,
      kg: r.kg,
      per1000: per1000(r.kg, p.list_size),
      recorded: r.recorded,
      missing,
    };
  });
  const rank = <T extends { per1000: number | null }>(list: T[], name: (t: T) => string) =>
    [...list].sort(
      (a, b) =>
        (a.per1000 === null ? 1 : 0) - (b.per1000 === null ? 1 : 0) ||
        (a.per1000 ?? 0) - (b.per1000 ?? 0) ||
        name(a).localeCompare(name(b)),
    );
  const pcnMap = new Map<string, RankedPractice[]>();
  for (const r of rows) if (r.pcn_code) pcnMap.set(r.pcn_code, [...(pcnMap.get(r.pcn_code) ?? []), r]);
  const pcns = [...pcnMap.entries()].map(([code, list]) => {
    const complete = list.filter((r) => r.per1000 !== null);
    const kg = complete.reduce((s, r) => s + r.kg!, 0);
    const patients = complete.reduce((s, r) => s + r.list_size!, 0);
    return {
      code,
      name: list[0].pcn_name ?? code,
      practices: list.length,
      complete: complete.length,
      listSizes: listSizeVintages(complete),
      kg: complete.length ? kg : null,
      per1000: complete.length ? per1000(kg, patients) : null,
      missing:
        complete.length === 0
          ? "No practice has 12 months recorded"
          : complete.length < list.length
            ? `${list.length - complete.length} of ${list.length} practices missing`
            : null,
    };
  });
  const complete = rows.filter((r) => r.per1000 !== null);
  const total = complete.reduce((s, r) => s + r.kg!, 0);
  const patients = complete.reduce((s, r) => s + r.list_size!, 0);
  return {
    asOf,
    from: months[0],
    to: months[11],
    pcn: pcn ? { code: pcn.pcn_code!, name: pcn.pcn_name ?? pcn.pcn_code! } : null,
    monthly: perMonth.map((m) => ({ month: m.month, reporting: m.reporting, per1000: m.reporting ? per1000(m.kg, m.patients) : null })),
    // Each practice's rank over all of them (the whole ICB, or the PCN asked for), worked out
    // here before the page takes its slice: the missing sort last and have none.
    practices: rank(rows, (r) => r.name).map((r, i) => ({ ...r, rank: r.per1000 === null ? null : i + 1 })),
    pcns: rank(pcns, (p) => p.name),
    totals: {
      practices: rows.length,
      complete: complete.length,
      kg: complete.length ? total : null,
      per1000: complete.length ? per1000(total, patients) : null,
      // The list sizes behind the ranked figures: when they were counted, and whether they mix.
      listSizes: listSizeVintages(complete),
    },
  };
}

// Exports.

const round = (n: number | null, dp = 2) => (n === null ? null : Math.round(n * 10 ** dp) / 10 ** dp);

/**
 * One row per recorded period with the import's own columns (so the file imports again as it
 * is), then its carbon by part and the factor versions it was worked out with.
 */
export function practiceExportRows(activity: repo.ActivityRow[], versions: FactorVersion[]) {
  const columns = [
    ...ACTIVITY_COLUMNS,
    "kg_co2e_paper",
    "kg_co2e_printing",
    "kg_co2e_post",
    "kg_co2e_digital",
    "kg_co2e_total",
    "missing",
    "factor_version_ids",
  ];
  const rows = activity.map((a) => {
    const c = carbonForActivity(a, factorsOn(versions, a.period_start));
    const ok = c.status === "ok" ? c : null;
    return [
      ...ACTIVITY_COLUMNS.map((k) => a[k]),
      round(ok?.parts.paper ?? null, 3),
      round(ok?.parts.printing ?? null, 3),
      round(ok?.parts.post ?? null, 3),
      round(ok?.parts.digital ?? null, 3),
      round(ok?.kg ?? null, 3),
      c.status === "missing" ? c.missing.join("; ") : null,
      ok?.factorIds.join(" ") ?? null,
    ];
  });
  return { columns, rows };
}

export function icbExportRows(data: Awaited<ReturnType<typeof getIcbSustainability>>) {
  const columns = [
    "rank",
    "practice_ods_code",
    "practice_name",
    "pcn_code",
    "pcn_name",
    "list_size",
    "list_size_month",
    "months_recorded",
    "kg_co2e_12_months",
    "kg_co2e_per_1000_patients",
    "missing",
  ];
  const rows = data.practices.map((p) => [
    p.rank,
    p.ods_code,
    p.name,
    p.pcn_code,
    p.pcn_name,
    p.list_size,
    p.list_size_month,
    p.recorded,
    round(p.kg, 2),
    round(p.per1000, 2),
    p.missing,
  ]);
  return { columns, rows };
}

export { ACTIVITY_LABELS };
