import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * A change stamp for figures kept per ICB between loads (the dashboard, the ICB compliance summary), in
 * one statement of index lookups (about 1 ms whatever the ICB's size). Every change made through
 * the product writes an audit event in its own transaction (estate edits and imports, funding
 * decisions, prices, policy, OS lifecycle), every evaluation that is not such a change's own
 * records an evaluation run, and a gap that opens gets a new id; so the newest of each moves
 * whenever a cached figure could. The ICB's practices (list sizes, PCNs, from the ODS import)
 * are hashed directly, and so is the price list (count and newest id). Coarse on purpose: any
 * change in England moves the stamp, and the next load recomputes.
 *
 * An earlier version hashed every estate and gap row's version for the ICB: exact, but a scan
 * of the device and gap tables (130 ms for the largest ICB on a busy machine), which cost more
 * than the gaps summary it saved.
 */
export async function icbChangeStamp(db: Db, icbCode: string): Promise<string> {
  const row = await sql<{ stamp: string }>`
    select concat_ws('|',
      (select concat(count(*), ':', coalesce(sum(hashtext(concat(ods_code, pcn_code, list_size, clinical_system, status, updated_at))::bigint), 0)) from practice where icb_code = ${icbCode}),
      (select coalesce(max(id), 0) from audit_event),
      (select coalesce(max(id), 0) from evaluation_run),
      (select coalesce(max(id), 0) from gap),
      (select concat(count(*), ':', coalesce(max(id), 0)) from price_list_entry where icb_code is null or icb_code = ${icbCode})
    ) as stamp`.execute(db);
  return row.rows[0].stamp;
}

/**
 * Figures kept per ICB between loads, keyed on the date and the change stamp above, so a warm
 * load is that statement alone.
 *
 * The stamp moves with any audited change (estate edits and imports, funding decisions, prices,
 * policy, OS lifecycle), any evaluation run, any new gap, the ICB's practices and a new day, so
 * the next load recomputes. One entry per ICB in each cache (at most 42); concurrent loads of
 * the same ICB share one computation. Rows changed behind the product's back (a seed, SQL by
 * hand) are seen after the next audited change or the next day, or a restart.
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

  clear() {
    this.entries.clear();
  }
}

