import type { Db } from "#db/connect";
import { icbChangeTotals } from "~/utils/icb-cache.server";
import type { Scope } from "~/utils/permissions";
import type { GapQuery } from "./costed.server";
import type { GapGroup } from "./register";
import { aggregateGapsByIcb, mergeIcbParts, type GroupAggregate, type IcbGroupAggregate } from "./repository.server";

/**
 * The gap register's figures kept between loads (issue 12: all of England for an administrator
 * is 141,000 open gaps, about 2 s to add up on a busy machine). Everything the register reads
 * (gaps, practices, PCN names, the catalogue, prices) has per-ICB change-stamp triggers
 * (migration 2026-12-03T14-30-00_icb_change), so:
 * - the totals are kept per ICB and per query, each part on its ICB's stamp: after a change in
 *   one ICB only that ICB's part is added up again (one indexed statement), and the national
 *   totals are the sum of the parts (a practice is in one ICB);
 * - the page of rows and the filter choices are kept on the stamp of the whole scope, so any
 *   change in it reads them again;
 * - stamps live in the database, so every server process agrees on them.
 * Only scopes made of whole ICBs (or all of England) are kept; a practice user's register is small.
 */

/** Practices in no ICB: their part moves with any change in England. */
const NO_ICB = "";
/** Bounds the memory: parts are a few rows each; pages 25 rows; oldest entries go first. */
const MAX_ENTRIES = 4000;

const entries = new Map<string, { stamp: string; value: unknown }>();

function remember(key: string, stamp: string, value: unknown) {
  entries.delete(key);
  entries.set(key, { stamp, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** For tests: forget everything kept. */
export function clearGapRegisterCache() {
  entries.clear();
}

/** Whether the register's figures for this scope are kept between loads (whole ICBs or England). */
function cacheable(scope: Scope): boolean {
  return scope.all || (scope.icbCodes.length > 0 && scope.practiceCodes.length === 0);
}

/**
 * Each ICB part's stamp for the scope (and, for all of England, the part of practices in no ICB,
 * on the England-wide stamp). One statement.
 */
async function partStamps(db: Db, scope: Scope): Promise<Map<string, string>> {
  const rows = await icbChangeTotals(db);
  const by = new Map(rows.map((r) => [r.icb_code, { s: BigInt(r.s), m: BigInt(r.m) }]));
  const zero = { s: 0n, m: 0n };
  const national = by.get("*") ?? zero;
  const stampOf = (code: string) => {
    const own = by.get(code) ?? zero;
    return `${own.s + national.s}:${own.m > national.m ? own.m : national.m}`;
  };
  const codes = scope.all ? [...by.keys()].filter((c) => c !== "*") : [...scope.icbCodes];
  const stamps = new Map(codes.map((c) => [c, stampOf(c)]));
  if (scope.all) {
    let s = 0n;
    let m = 0n;
    for (const v of by.values()) {
      s += v.s;
      if (v.m > m) m = v.m;
    }
    stamps.set(NO_ICB, `${s}:${m}`);
  }
  return stamps;
}

/** What, besides the scope's ICBs, tells one query's figures from another's. */
const queryKey = (query: GapQuery, extra: Record<string, unknown>) => JSON.stringify({ ...query, scope: undefined, ...extra });

export interface RegisterCacheView {
  /** The group totals (as `aggregateGaps` gives them), reusing each unchanged ICB part. */
  aggregate: (by: GapGroup) => Promise<GroupAggregate[]>;
  /** A value over the whole scope, kept while no ICB in it changes. */
  whole: <T>(what: string, compute: () => Promise<T>) => Promise<T>;
}

/**
 * The cache for one query in one scope: reads the stamps once (one statement); for a scope that is
 * not kept (practice users) it computes everything afresh.
 */
export async function registerCache(db: Db, query: GapQuery, today: string): Promise<RegisterCacheView> {
  const { scope } = query;
  if (!cacheable(scope)) {
    return {
      aggregate: async (by) => mergeIcbParts(await aggregateGapsByIcb(db, query, by, today, null)),
      whole: (_what, compute) => compute(),
    };
  }
  const all = await partStamps(db, scope);
  const scopeKey = scope.all ? "*" : [...scope.icbCodes].sort().join(",");
  const wholeStamp = [...all]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([c, s]) => `${c}=${s}`)
    .join(";");
  // A query naming an ICB adds up that ICB's part alone (none when it is outside the scope).
  const named = query.icb;
  const stamps = named ? new Map(all.has(named) || scope.all ? [[named, all.get(named) ?? all.get(NO_ICB)!]] : []) : all;
  return {
    async aggregate(by) {
      const qk = queryKey(query, { by, today });
      const kept: IcbGroupAggregate[] = [];
      const stale: string[] = [];
      for (const [icb, stamp] of stamps) {
        const hit = entries.get(`agg|${qk}|${icb}`);
        if (hit && hit.stamp === stamp) kept.push(...(hit.value as IcbGroupAggregate[]));
        else stale.push(icb);
      }
      if (stale.length > 0) {
        // Every part at once when all are stale (the first load), else only the stale ICBs.
        // The part "in no ICB" also takes practices in an ICB with no stamp yet (data older than
        // the stamps): nothing is left out, and that part moves with any change in England.
        const codes = stale.filter((c) => c !== NO_ICB);
        const outside = stale.includes(NO_ICB) ? [...stamps.keys()].filter((c) => c !== NO_ICB) : undefined;
        const fresh = await aggregateGapsByIcb(db, query, by, today, stale.length === stamps.size && outside ? null : { codes, outside });
        const byIcb = new Map<string, IcbGroupAggregate[]>(stale.map((c) => [c, []]));
        for (const row of fresh) (byIcb.get(row.icb ?? NO_ICB) ?? byIcb.get(NO_ICB))?.push(row);
        for (const [icb, rows] of byIcb) {
          remember(`agg|${qk}|${icb}`, stamps.get(icb)!, rows);
          kept.push(...rows);
        }
      }
      return mergeIcbParts(kept);
    },
    async whole<T>(what: string, compute: () => Promise<T>) {
      const key = `whole|${scopeKey}|${what}`;
      const hit = entries.get(key);
      if (hit && hit.stamp === wholeStamp) return hit.value as T;
      const value = await compute();
      remember(key, wholeStamp, value);
      return value;
    },
  };
}

export { queryKey as gapQueryKey };
