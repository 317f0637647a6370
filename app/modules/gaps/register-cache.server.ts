import { availableParallelism } from "node:os";
import type { Db } from "#db/connect";
import { icbChangeTables, type StampTable } from "~/utils/icb-cache.server";
import type { Scope } from "~/utils/permissions";
import type { GapQuery } from "./costed.server";
import type { GapGroup } from "./register";
import type { GapStatus } from "#db/types";
import { codeDigest, keepFigures, readKeptFigures } from "~/modules/kept-figures/service.server";
import { LARGE_WORK_ROWS, reduceHeap } from "~/utils/reduce-heap.server";
import { cubeAnswers, packCube, rollUpCube, unpackCube, type CubePracticeCells } from "./register-cube";
import {
  aggregateGaps,
  CUBE_END_YEARS,
  cubePractices,
  DEFAULT_STATUSES,
  gapCubeByIcb,
  priceDigests,
  type CubePractice,
  type GroupAggregate,
} from "./repository.server";

/**
 * The gap register's figures kept between loads (issue 12: all of England for an administrator
 * is 141,000 open gaps, 1-1.5 s to price and add up). Everything the register reads (gaps,
 * practices, PCN names, the catalogue, prices) has per-ICB change-stamp triggers (migration
 * 2026-12-03T14-30-00_icb_change), so:
 * - the totals come from a cube kept per ICB on its stamp (register-cube.ts): each practice's gaps
 *   added up by domain, category, funder, status and deadline year. Every filter and grouping
 *   the register offers is a sum of its cells, so a new filter or grouping is added up in the
 *   server (tens of milliseconds for England) instead of pricing every gap again; after a change
 *   in one ICB only that ICB's cube is read again (one indexed statement); each half (open gaps,
 *   closed gaps) is kept on the ICB's stamp without prices and the prices it is priced at
 *   (`halfStamps`): today's for the open gaps, those of each closing day for the closed ones;
 * - the page of rows and the filter choices are kept on the stamp of the whole scope, so any
 *   change in it reads them again, except a change to a price list (its own stamps, migration
 *   2026-12-07T10-00-00_price_change_stamp), which decides neither unless the page is in cost order;
 * - stamps live in the database, so every server process agrees on them; each cube is also kept
 *   in the database (kept_figure, kind 'gap_cube', under its stamp and code digest), so another
 *   process, or this one after a restart, reads it (0.15-0.3 s for England) instead of pricing.
 * Only scopes made of whole ICBs (or all of England) are kept; a practice user's register is small
 * and added up by one statement (`aggregateGaps`, which also states the rule the cube follows).
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
  cubes.clear();
  practicesKept.clear();
}

/** Whether the register's figures for this scope are kept between loads (whole ICBs or England). */
function cacheable(scope: Scope): boolean {
  return scope.all || (scope.icbCodes.length > 0 && scope.practiceCodes.length === 0);
}

/**
 * Each ICB part's stamp for the scope (and, for all of England, the part of practices in no ICB,
 * on the England-wide stamp), with price changes and without. One statement.
 */
async function partStamps(db: Db, scope: Scope): Promise<Record<"withPrices" | "withoutPrices", Map<string, string>>> {
  const tables = await icbChangeTables(db);
  const codes = scope.all ? tables.withPrices.codes : [...scope.icbCodes];
  const stampsOf = (table: StampTable) => {
    const stamps = new Map(codes.map((c) => [c, table.of(c)]));
    if (scope.all) stamps.set(NO_ICB, table.england);
    return stamps;
  };
  return { withPrices: stampsOf(tables.withPrices), withoutPrices: stampsOf(tables.withoutPrices) };
}

/** What, besides the scope's ICBs, tells one query's figures from another's. */
const queryKey = (query: GapQuery, extra: Record<string, unknown>) => JSON.stringify({ ...query, scope: undefined, ...extra });

export interface RegisterCacheView {
  /** The group totals (as `aggregateGaps` gives them), added up from each ICB's kept cube. */
  aggregate: (by: GapGroup) => Promise<GroupAggregate[]>;
  /**
   * A value over the whole scope, kept while no ICB in it changes; with `prices: false` a change to
   * a price list leaves it kept (for figures no price decides).
   */
  whole: <T>(what: string, compute: () => Promise<T>, opts?: { prices?: boolean }) => Promise<T>;
}

/**
 * The cube is kept in two halves: the open gaps (every register view but "closed" and "all") and
 * the closed ones, whose number only grows and which most views leave out.
 */
const HALVES = { open: DEFAULT_STATUSES, closed: ["closed"] } as const satisfies Record<string, readonly GapStatus[]>;
type Half = keyof typeof HALVES;

/**
 * The stamp each half of each part in `practiceStamps` is kept on: the part's stamp without price
 * changes, and the prices its gaps can be priced at (`priceDigests`: the national list's and the
 * ICB's own; every list's for the part in no ICB, which also takes practices of ICBs with no stamp
 * yet): for the open half the prices in force today, for the closed half those in force by the
 * day each gap closed. So the usual change to a price list, an entry for a later date, or to a
 * column no pricing reads, prices no gap again; nor does a new day, unless a price takes effect
 * on it. Keeping the halves on the price lists' own change stamps instead priced every closed gap
 * again at every price change (docs/performance.md, session 24), and every open gap again on the
 * first load of each day (session 25).
 */
async function halfStamps(db: Db, practiceStamps: ReadonlyMap<string, string>, today: string): Promise<Record<Half, Map<string, string>>> {
  const digests = await priceDigests(db, today);
  const stampsOn = (lists: ReadonlyMap<string, string>) => {
    const everyList = [...lists]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([icb, d]) => `${icb}:${d}`)
      .join(",");
    const national = lists.get("") ?? "";
    const pricesOf = (icb: string) => (icb === NO_ICB ? everyList : `${national}:${lists.get(icb) ?? ""}`);
    return new Map([...practiceStamps].map(([icb, stamp]) => [icb, `${stamp}+${pricesOf(icb)}`]));
  };
  return { open: stampsOn(digests.today), closed: stampsOn(digests.closing) };
}

/** Each ICB's cube halves (one entry per half and ICB: bounded by the number of ICBs). */
const cubes = new Map<string, { stamp: string; practices: CubePracticeCells[] }>();
/** Cubes being added up now, so two first loads at once share one statement. */
const inFlight = new Map<string, Promise<void>>();

/**
 * The practices of the parts last read, on their stamps without prices, so a change to a price list
 * (which moves every ICB's stamp and prices every open gap again) does not read England's 8,655
 * practices again beside the pricing; and the read in flight, so the open and the closed half of
 * the same parts read them once. A few entries (England's parts, and an ICB or two changed since).
 */
const practicesKept = new Map<string, Promise<CubePractice[]>>();
const MAX_PRACTICE_READS = 8;

/** `cubePractices`, shared by the loads asking for the same parts on the same stamps (at once or later). */
function sharedPractices(db: Db, parts: Parameters<typeof cubePractices>[1], stamp: string): Promise<CubePractice[]> {
  const key = JSON.stringify([parts, stamp]);
  let read = practicesKept.get(key);
  if (read) {
    practicesKept.delete(key);
  } else {
    // A read that fails is not kept: the next load reads again.
    read = cubePractices(db, parts);
    read.catch(() => {
      if (practicesKept.get(key) === read) practicesKept.delete(key);
    });
  }
  practicesKept.set(key, read);
  if (practicesKept.size > MAX_PRACTICE_READS) practicesKept.delete(practicesKept.keys().next().value!);
  return read;
}

/** Adds up the cube half of the `stale` ICB parts (all of `stamps` at once when all are stale) and keeps it. */
async function addUpCube(
  db: Db,
  half: Half,
  stamps: ReadonlyMap<string, string>,
  practiceStamps: ReadonlyMap<string, string>,
  stale: readonly string[],
  today: string,
) {
  // The part "in no ICB" also takes practices in an ICB with no stamp yet (data older than the
  // stamps): nothing is left out, and that part moves with any change in England.
  const codes = stale.filter((c) => c !== NO_ICB);
  const outside = stale.includes(NO_ICB) ? [...stamps.keys()].filter((c) => c !== NO_ICB) : undefined;
  const parts = stale.length === stamps.size && outside ? null : { codes, outside };
  // Every ICB at once (a first load, or a change in England): in slices of practices, one statement
  // a core, so the database prices them in parallel.
  const slices = parts === null ? Math.min(2, availableParallelism()) : 1;
  // On the stamps without prices (no price decides a practice's name or list size), the same for both halves.
  const practices = sharedPractices(db, parts, stale.map((c) => practiceStamps.get(c)).join(";"));
  // Each slice's cells are put with their practices as the slice arrives, while the database
  // still prices the others (about 40 ms for England's 87,000 cells, no longer after the last).
  const byCode = practices.then((list) => new Map<string, CubePracticeCells>(list.map((p) => [p.code, { ...p, cells: [] }])));
  // Its failure reaches this load through the slices that wait for it; this only marks it handled
  // when every slice failed first (an unhandled rejection would end the process).
  byCode.catch(() => undefined);
  let cellCount = 0;
  await Promise.all(
    Array.from({ length: slices }, async (_, index) => {
      const cells = await gapCubeByIcb(db, HALVES[half], today, parts, { index, count: slices });
      const practiceOf = await byCode;
      cellCount += cells.length;
      let p: CubePracticeCells | undefined;
      for (const c of cells) {
        if (p?.code !== c.practiceCode) p = practiceOf.get(c.practiceCode);
        p?.cells.push(c);
      }
    }),
  );
  const byIcb = new Map<string, CubePracticeCells[]>(stale.map((c) => [c, []]));
  for (const p of (await byCode).values()) if (p.cells.length > 0) (byIcb.get(p.icb ?? NO_ICB) ?? byIcb.get(NO_ICB))?.push(p);
  for (const [icb, list] of byIcb) cubes.set(`${half}|${icb}`, { stamp: stamps.get(icb)!, practices: list });
  // Kept for other processes once this load has gone on its way (packing and storing England's
  // cube, about 7 MB, takes longer than reading it back, and nothing this load shows depends on it).
  // One ICB at a time, the event loop let through before each: packed in one go (about 150 ms for
  // England) it ran before the page that priced it had been written, and held that page back.
  const storing: Promise<void> = (async () => {
    const packed = [];
    for (const [icb, list] of byIcb) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      packed.push({ owner: `${half}|${icb}`, key: keptKey(stamps, icb), value: packCube(list) });
    }
    await keepFigures(db, "gap_cube", packed);
  })()
    .then(async () => {
      // Pricing England (about 90,000 cells from 130,000 gaps) grew this process's heap by far more
      // than the cube it keeps (about 16 MiB): give it back, as after a large import, once the
      // cube is stored. Rare (a first load, a national change), and after the page was answered.
      if (cellCount >= LARGE_WORK_ROWS) await reduceHeap(`gap register cube of ${cellCount} cells`);
    })
    .finally(() => storingCubes.delete(storing));
  storingCubes.add(storing);
}

const storingCubes = new Set<Promise<void>>();

/** Waits until every cube being kept in the database is stored (tests, and a server closing). */
export async function cubesStored() {
  while (storingCubes.size > 0) await Promise.all(storingCubes);
}

/**
 * A kept cube part is read only on the same stamp (`halfStamps`: its gaps and practices, and the
 * prices they are priced at) and code, on any day.
 */
const keptKey = (stamps: ReadonlyMap<string, string>, icb: string) => `${stamps.get(icb)}|${codeDigest()}`;

/** The cube half of every ICB part in `stamps`, adding up (in one statement) those not kept on their stamp. */
async function cubeHalf(
  db: Db,
  half: Half,
  stamps: ReadonlyMap<string, string>,
  practiceStamps: ReadonlyMap<string, string>,
  today: string,
): Promise<CubePracticeCells[][]> {
  const isKept = (icb: string) => cubes.get(`${half}|${icb}`)?.stamp === stamps.get(icb);
  let stale = [...stamps.keys()].filter((icb) => !isKept(icb)).sort();
  if (stale.length > 0) {
    // Parts another process (or this one before a restart) kept in the database on the same stamp.
    const found = await readKeptFigures(
      db,
      "gap_cube",
      stale.map((icb) => ({ owner: `${half}|${icb}`, key: keptKey(stamps, icb) })),
    );
    for (const icb of stale) {
      const practices = found.has(`${half}|${icb}`) ? unpackCube(found.get(`${half}|${icb}`), CUBE_END_YEARS.length) : null;
      if (practices) cubes.set(`${half}|${icb}`, { stamp: stamps.get(icb)!, practices });
    }
    stale = stale.filter((icb) => !isKept(icb));
  }
  if (stale.length > 0) {
    const key = `${half}|${today}|${stale.map((c) => `${c}=${stamps.get(c)}`).join(";")}`;
    let work = inFlight.get(key);
    if (!work) {
      work = addUpCube(db, half, stamps, practiceStamps, stale, today).finally(() => inFlight.delete(key));
      inFlight.set(key, work);
    }
    await work;
  }
  return [...stamps.keys()].map((icb) => cubes.get(`${half}|${icb}`)?.practices ?? []);
}

/**
 * The cache for one query in one scope: reads the stamps once (one statement); for a scope that is
 * not kept (practice users) it computes everything afresh.
 */
export async function registerCache(db: Db, query: GapQuery, today: string): Promise<RegisterCacheView> {
  const { scope } = query;
  if (!cacheable(scope) || !cubeAnswers(query)) {
    return {
      aggregate: (by) => aggregateGaps(db, query, by, today),
      whole: (_what, compute) => compute(),
    };
  }
  const { withPrices: all, withoutPrices } = await partStamps(db, scope);
  const scopeKey = scope.all ? "*" : [...scope.icbCodes].sort().join(",");
  const wholeStampOf = (stamps: ReadonlyMap<string, string>) =>
    [...stamps]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([c, s]) => `${c}=${s}`)
      .join(";");
  // A query naming an ICB adds up that ICB's part alone (none when it is outside the scope).
  const named = query.icb;
  const stamps = named ? new Map(all.has(named) || scope.all ? [[named, all.get(named) ?? all.get(NO_ICB)!]] : []) : all;
  const statuses = query.statuses ?? DEFAULT_STATUSES;
  const halves = (Object.keys(HALVES) as Half[]).filter((h) => HALVES[h].some((s) => statuses.includes(s)));
  // Each part's stamp without price changes (for a named ICB with no stamp yet, the part in no ICB's, as above).
  const practiceStamps = new Map([...stamps.keys()].map((c) => [c, withoutPrices.get(c) ?? withoutPrices.get(NO_ICB)!]));
  return {
    async aggregate(by) {
      // The rows of this query and grouping are kept too, on the stamps of the parts they add up.
      const key = `roll|${queryKey(query, { by, today })}`;
      const stamp = [...stamps].map(([c, s]) => `${c}=${s}`).join(";");
      const hit = entries.get(key);
      if (hit && hit.stamp === stamp) return hit.value as GroupAggregate[];
      const kept = await halfStamps(db, practiceStamps, today);
      const parts = await Promise.all(halves.map(async (h) => (await cubeHalf(db, h, kept[h], practiceStamps, today)).flat()));
      const rows = rollUpCube(parts, query, by, DEFAULT_STATUSES, CUBE_END_YEARS);
      remember(key, stamp, rows);
      return rows;
    },
    async whole<T>(what: string, compute: () => Promise<T>, opts: { prices?: boolean } = {}) {
      const key = `whole|${scopeKey}|${what}`;
      const wholeStamp = wholeStampOf(opts.prices === false ? withoutPrices : all);
      const hit = entries.get(key);
      if (hit && hit.stamp === wholeStamp) return hit.value as T;
      const value = await compute();
      remember(key, wholeStamp, value);
      return value;
    },
  };
}

export { queryKey as gapQueryKey };
