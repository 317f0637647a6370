import { sql } from "kysely";
import type { Db } from "#db/connect";

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
    from icb_change where icb_code in (${icbCode}, '*')`.execute(db);
  return row.rows[0].stamp;
}

/** The stamp for figures over all of England: any change anywhere moves it. */
export async function englandChangeStamp(db: Db): Promise<string> {
  const row = await sql<{ stamp: string }>`
    select concat(coalesce(sum(weight), 0), ':', coalesce(max(id), 0)) as stamp from icb_change`.execute(db);
  return row.rows[0].stamp;
}

/** Per ICB code ('*' for national changes): the sum of change weights and the last change id, as text (bigint). */
export async function icbChangeTotals(db: Db) {
  const rows = await sql<{ icb_code: string; s: string; m: string }>`
    select icb_code, coalesce(sum(weight), 0)::text as s, coalesce(max(id), 0)::text as m from icb_change group by icb_code`.execute(db);
  return rows.rows;
}

/**
 * Every ICB's stamp in one statement (equal to icbChangeStamp for each code), so a view over
 * many ICBs can reuse each ICB's kept part and recompute only those that changed.
 */
export async function icbChangeStamps(db: Db, icbCodes: readonly string[]): Promise<Map<string, string>> {
  const rows = await icbChangeTotals(db);
  const by = new Map(rows.map((r) => [r.icb_code, { s: BigInt(r.s), m: BigInt(r.m) }]));
  const national = by.get("*") ?? { s: 0n, m: 0n };
  return new Map(
    icbCodes.map((code) => {
      const own = by.get(code) ?? { s: 0n, m: 0n };
      return [code, `${own.s + national.s}:${own.m > national.m ? own.m : national.m}`];
    }),
  );
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
