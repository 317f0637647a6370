import type { Db } from "#db/connect";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { DOMAINS, type Domain } from "~/modules/catalogue";
import { loadLifecycleRows } from "~/modules/compliance/repository.server";
import type { Status } from "~/modules/catalogue/rule-types";
import { emptyCounts, type ScoreSummary } from "~/modules/compliance/scoring";
import { OPEN_STATUSES } from "~/modules/gaps/costed.server";
import { indexLifecycle, supportStatus } from "~/modules/os-lifecycle/support";
import { forbidden } from "~/utils/errors";
import { icbChangeStamps, PerIcbCache } from "~/utils/icb-cache.server";
import type { Scope } from "~/utils/permissions";
import * as repo from "./repository.server";
import { codeDigest, keepFigures, readKeptFigures } from "~/modules/kept-figures/service.server";

/** Only a national scope (admins) sees all of England; anyone else gets 403, as on the admin pages. */
export function assertNationalScope(scope: Scope) {
  if (!scope.all) throw forbidden("Only users whose scope is all of England can see the national view.");
}

const CREDIT: Partial<Record<Status, number>> = { met: 1, partial: 0.5, not_met: 0 };

/** A score from counts and weights per status, exactly as scoring.ts scores the results one by one. */
class Tally {
  counts = emptyCounts();
  earned = 0;
  possible = 0;
  total = 0;
  add(status: Status, n: number, weight: number) {
    this.counts[status] += n;
    this.total += n;
    const credit = CREDIT[status];
    if (credit === undefined) return;
    this.earned += credit * weight;
    this.possible += weight;
  }
  summary(): ScoreSummary {
    return {
      score: this.possible ? Math.round((this.earned / this.possible) * 1000) / 10 : null,
      earned: this.earned,
      possible: this.possible,
      counts: { ...this.counts },
      total: this.total,
    };
  }
}

export interface EnglandIcbRow {
  code: string;
  name: string | null;
  regionName: string | null;
  practices: number;
  patients: number;
  practicesChecked: number;
  score: number | null;
  counts: Record<Status, number>;
  openGaps: number;
  devicesInUse: number;
  unsupported: number;
  analogueTelephony: number;
}

/** One ICB's share of the national figures, kept between loads on that ICB's change stamp. */
interface IcbPart {
  statuses: { domain: string; status: Status; n: number; weight: number }[];
  checked: number;
  openGaps: number;
  devicesInUse: number;
  unsupported: number;
}

async function computeParts(db: Db, codes: string[], today: string): Promise<Map<string, IcbPart>> {
  const [statuses, gaps, groups, lifecycle] = await Promise.all([
    repo.statusTotals(db, today, codes),
    repo.openGapCounts(db, OPEN_STATUSES, codes),
    repo.deviceOsGroupsByIcb(db, codes),
    loadLifecycleRows(db),
  ]);
  const parts = new Map<string, IcbPart>(
    codes.map((c) => [c, { statuses: [], checked: 0, openGaps: gaps.get(c) ?? 0, devicesInUse: 0, unsupported: 0 }]),
  );
  for (const r of statuses) {
    const part = parts.get(r.icb_code)!;
    if (r.status === null) part.checked = r.n;
    else part.statuses.push({ domain: r.domain ?? "", status: r.status, n: r.n, weight: r.weight ?? 0 });
  }
  // Support is decided per operating-system group by the function the device pages use.
  const index = indexLifecycle(lifecycle);
  for (const g of groups) {
    const part = parts.get(g.icb_code)!;
    part.devicesInUse += g.n;
    if (supportStatus(g, index, today).state === "unsupported") part.unsupported += g.n;
  }
  return parts;
}

// Each ICB's part is kept between loads on the date and that ICB's change stamp, so after a
// change in one ICB the next national load recomputes that ICB alone (one statement per kind
// for all the stale ICBs together), and a load with nothing changed is two small statements.
// Parts are also kept in the database (kept_figure), so a new server process reads them instead
// of working out every ICB.
const partCache = new PerIcbCache<IcbPart>();
export const clearEnglandCache = () => partCache.clear();

async function englandParts(db: Db, codes: string[], today: string) {
  const stamps = await icbChangeStamps(db, codes);
  const parts = new Map<string, IcbPart>();
  let reused = 0;
  let pending: Promise<Map<string, IcbPart>> | null = null;
  const stale: string[] = [];
  const key = (code: string) => `${today}|${stamps.get(code)}|${codeDigest()}`;
  // First pass: which ICBs need working out (one batch for all of them), after the parts another
  // process (or this one before a restart) kept in the database under the same key.
  for (const code of codes) if (!partCache.has(code, key(code))) stale.push(code);
  if (stale.length) {
    const kept = await readKeptFigures(
      db,
      "england_part",
      stale.map((c) => ({ owner: c, key: key(c) })),
    );
    for (const [code, part] of kept) await partCache.get(code, key(code), async () => part as IcbPart);
    stale.splice(0, stale.length, ...stale.filter((c) => !kept.has(c)));
  }
  if (stale.length)
    pending = computeParts(db, stale, today).then(async (computed) => {
      await keepFigures(
        db,
        "england_part",
        stale.map((c) => ({ owner: c, key: key(c), value: computed.get(c)! })),
      );
      return computed;
    });
  for (const code of codes) {
    // (Another load may have replaced a kept part since the first pass: then this ICB alone.)
    const r = await partCache.get(code, key(code), async () =>
      (pending && stale.includes(code) ? await pending : await computeParts(db, [code], today)).get(code)!,
    );
    parts.set(code, r.value);
    if (r.cached && !stale.includes(code)) reused++;
  }
  return { parts, reused, recomputed: stale.length };
}

/** Compliance, gaps and estate risk for every ICB in England, for a national scope only. */
export async function getEnglandSummary(db: Db, scope: Scope, today: string) {
  assertNationalScope(scope);
  await ensureCatalogue(db);
  const facts = await repo.icbFacts(db);
  const { parts, reused, recomputed } = await englandParts(
    db,
    facts.map((f) => f.code),
    today,
  );
  const england = new Tally();
  const byDomain = new Map<string, Tally>();
  const icbs: EnglandIcbRow[] = facts.map((f) => {
    const part = parts.get(f.code)!;
    const tally = new Tally();
    for (const r of part.statuses) {
      tally.add(r.status, r.n, r.weight);
      england.add(r.status, r.n, r.weight);
      (byDomain.get(r.domain) ?? byDomain.set(r.domain, new Tally()).get(r.domain)!).add(r.status, r.n, r.weight);
    }
    const s = tally.summary();
    return {
      code: f.code,
      name: f.name,
      regionName: f.region_name,
      practices: f.practices,
      patients: f.patients,
      practicesChecked: part.checked,
      score: s.score,
      counts: s.counts,
      openGaps: part.openGaps,
      devicesInUse: part.devicesInUse,
      unsupported: part.unsupported,
      analogueTelephony: f.analogue_telephony,
    };
  });
  const sum = (k: "practices" | "patients" | "practicesChecked" | "openGaps" | "devicesInUse" | "unsupported" | "analogueTelephony") =>
    icbs.reduce((a, r) => a + r[k], 0);
  const overall = england.summary();
  return {
    today,
    icbs,
    total: {
      icbs: icbs.length,
      practices: sum("practices"),
      patients: sum("patients"),
      practicesChecked: sum("practicesChecked"),
      score: overall.score,
      counts: overall.counts,
      openGaps: sum("openGaps"),
      devicesInUse: sum("devicesInUse"),
      unsupported: sum("unsupported"),
      analogueTelephony: sum("analogueTelephony"),
    },
    byDomain: (Object.keys(DOMAINS) as Domain[])
      .filter((d) => byDomain.has(d))
      .map((d) => {
        const s = byDomain.get(d)!.summary();
        return { key: d, label: DOMAINS[d], score: s.score, counts: s.counts, total: s.total };
      }),
    /** ICBs whose part was reused from an earlier load, and how many were worked out now. */
    cache: { reused, recomputed },
  };
}

export type EnglandSummary = Awaited<ReturnType<typeof getEnglandSummary>>;
