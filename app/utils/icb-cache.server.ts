import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Price changes are noted as '$' + the ICB's code ('$*' for the national price list; migration
 * 2026-12-07T10-00-00_price_change_stamp), so figures no price decides (the gap register's rows
 * and filter choices, the device list) can be kept across them. Every stamp here folds them into
 * the ICB's (or the national) stamp unless asked not to.
 */
const PRICE_PREFIX = "$";

export interface StampOptions {
  /** Whether price list changes move the stamp (default true: most figures show money). */
  prices?: boolean;
}

/**
 * A change stamp for figures kept per ICB between loads (the dashboard, the ICB compliance
 * summary): one index-only read of the `icb_change` rows for the ICB and for national reference
 * data ('*'). Triggers on every table those figures read append a row, in the writer's own
 * transaction, naming the ICB each statement touched (see migration 2026-12-03T14-30-00), so:
 * - a change in one ICB leaves every other ICB's stamp (and cached figures) alone;
 * - national reference data (OS lifecycle, emission factors, the national price list, the
 *   catalogue, organisation names) moves every ICB's stamp;
 * - the stamp lives in the database, so each server process sees the same change whichever
 *   process made it.
 * sum(weight) moves with every committed change even when transactions commit out of id order;
 * max(id) tells apart a fold of the rows from no change.
 *
 * Earlier versions used England-wide max(audit_event.id), max(evaluation_run.id) and max(gap.id):
 * any audited change anywhere in England made every ICB's next load cold.
 */
export async function icbChangeStamp(db: Db, icbCode: string): Promise<string> {
  const row = await sql<{ stamp: string }>`
    select concat(coalesce(sum(weight), 0), ':', coalesce(max(id), 0)) as stamp
    from icb_change where icb_code in (${icbCode}, '*', ${PRICE_PREFIX + icbCode}, ${PRICE_PREFIX + "*"})`.execute(db);
  return row.rows[0].stamp;
}

/** The stamp for figures over all of England: any change anywhere moves it. */
export async function englandChangeStamp(db: Db, opts: StampOptions = {}): Promise<string> {
  const row = await sql<{ stamp: string }>`
    select concat(coalesce(sum(weight), 0), ':', coalesce(max(id), 0)) as stamp from icb_change
    ${opts.prices === false ? sql`where icb_code not like ${PRICE_PREFIX + "%"}` : sql``}`.execute(db);
  return row.rows[0].stamp;
}

/** Per ICB code ('*' for national changes; '$' before either for price changes): the sum of change weights and the last change id. */
async function icbChangeTotals(db: Db) {
  const rows = await sql<{ icb_code: string; s: string; m: string }>`
    select icb_code, coalesce(sum(weight), 0)::text as s, coalesce(max(id), 0)::text as m from icb_change group by icb_code`.execute(db);
  return rows.rows;
}

export interface StampTable {
  /** The stamp of any ICB code (an ICB with no change of its own has the national stamp). */
  of(code: string): string;
  /** The ICBs with changes of their own. */
  codes: string[];
  /** The stamp of all of England: every row. */
  england: string;
}

function stampTable(rows: readonly { icb_code: string; s: string; m: string }[], prices: boolean): StampTable {
  const by = new Map<string, { s: bigint; m: bigint }>();
  for (const r of rows) {
    const isPrice = r.icb_code.startsWith(PRICE_PREFIX);
    if (isPrice && !prices) continue;
    const code = isPrice ? r.icb_code.slice(PRICE_PREFIX.length) : r.icb_code;
    const was = by.get(code);
    const s = BigInt(r.s);
    const m = BigInt(r.m);
    by.set(code, was ? { s: was.s + s, m: was.m > m ? was.m : m } : { s, m });
  }
  const zero = { s: 0n, m: 0n };
  const national = by.get("*") ?? zero;
  let s = 0n;
  let m = 0n;
  for (const v of by.values()) {
    s += v.s;
    if (v.m > m) m = v.m;
  }
  return {
    of(code: string) {
      const own = by.get(code) ?? zero;
      return `${own.s + national.s}:${own.m > national.m ? own.m : national.m}`;
    },
    codes: [...by.keys()].filter((c) => c !== "*"),
    england: `${s}:${m}`,
  };
}

/**
 * Every ICB's stamps from one statement: with price changes (as `icbChangeStamp` gives them) and
 * without (for figures no price decides).
 */
export async function icbChangeTables(db: Db): Promise<{ withPrices: StampTable; withoutPrices: StampTable }> {
  const rows = await icbChangeTotals(db);
  return { withPrices: stampTable(rows, true), withoutPrices: stampTable(rows, false) };
}

/**
 * Every ICB's stamp in one statement (equal to icbChangeStamp for each code), so a view over
 * many ICBs can reuse each ICB's kept part and recompute only those that changed.
 */
export async function icbChangeStamps(db: Db, icbCodes: readonly string[], opts: StampOptions = {}): Promise<Map<string, string>> {
  const table = stampTable(await icbChangeTotals(db), opts.prices !== false);
  return new Map(icbCodes.map((code) => [code, table.of(code)]));
}

/**
 * Figures kept per ICB between loads, keyed on the date and the change stamp above, so a warm
 * load is that statement alone. One entry per ICB in each cache (at most 42, or one key such as
 * "*" for all of England); concurrent loads of the same ICB share one computation.
 */
export class PerIcbCache<T> {
  private readonly entries = new Map<string, { key: string; value: Promise<T> }>();

  async get(icb: string, key: string, compute: () => Promise<T>, fresh = false): Promise<{ value: T; cached: boolean }> {
    const hit = this.entries.get(icb);
    if (hit && hit.key === key && !fresh) return { value: await hit.value, cached: true };
    const value = compute();
    this.entries.set(icb, { key, value });
    value.catch(() => {
      if (this.entries.get(icb)?.value === value) this.entries.delete(icb);
    });
    return { value: await value, cached: false };
  }

  /** Whether `key` is what is kept for `icb` (so a get would not compute). */
  has(icb: string, key: string) {
    return this.entries.get(icb)?.key === key;
  }

  clear() {
    this.entries.clear();
  }
}
