import type { Db } from "#db/connect";
import { toPage } from "~/utils/pagination";
import type { Scope } from "~/utils/permissions";
import { englandChangeStamp, icbChangeStamps } from "~/utils/icb-cache.server";
import type { EstateDeviceFilters } from "./estate-list";
import { countEstateDevices, estateDevicePage } from "./estate-list-repository.server";

/**
 * One page of every device in a scope, filtered and sorted in the database: the page's 25 rows
 * (an index walk for the asset tag and warranty end orders, migration 2026-12-03T19-20-00) and the
 * total, counted once and kept while nothing in the scope changes (`deviceTotal`). Blanks sort
 * last either way; ties keep id order. Past the first page the total comes first, so a page in
 * the second half can be read from the end (estateDevicePage). A device written between the two
 * reads can shift such a page by a row, as it can shift any page between two loads.
 */
export async function listEstateDevices(db: Db, scope: Scope, f: EstateDeviceFilters, today: string, page: number) {
  // The first page is never read from the end, so it need not wait for the total.
  const [rows, total] =
    page === 1
      ? await Promise.all([estateDevicePage(db, scope, f, today, page), deviceTotal(db, scope, f, today)])
      : await deviceTotal(db, scope, f, today).then(async (n) => [await estateDevicePage(db, scope, f, today, page, n), n] as const);
  // A loop, not rows.map with a closure made per request (docs/performance.md, session 17, load scaling).
  const out: (PageRow & { warrantyExpired: boolean })[] = [];
  for (const r of rows) out.push({ ...r, warrantyExpired: r.warranty_end !== null && r.warranty_end < today });
  return toPage(out, total, page);
}

/** Totals kept per scope and filter (the page and sort do not change them), at most this many. */
const MAX_TOTALS = 500;
const totals = new Map<string, { stamp: string; n: number }>();

/** For tests: forget the kept totals. */
export function clearDeviceTotals() {
  totals.clear();
}

/**
 * How many devices the filters select in the scope. Counting all of England's devices reads the
 * whole table (0.2 s on a busy machine), so for all of England or whole ICBs the count is kept on
 * their change stamps (device rows move them: migration 2026-12-03T14-30-00), read in one
 * statement, leaving out price changes (no price decides a count of devices); a practice user's
 * count is small and always counted. The "warranty expired" filter depends on the date, which is
 * part of the key.
 */
async function deviceTotal(db: Db, scope: Scope, f: EstateDeviceFilters, today: string): Promise<number> {
  const count = () => countEstateDevices(db, scope, f, today);
  if (!scope.all && (scope.practiceCodes.length > 0 || scope.icbCodes.length === 0)) return count();
  const stamp = scope.all
    ? await englandChangeStamp(db, { prices: false })
    : [...(await icbChangeStamps(db, [...scope.icbCodes].sort(), { prices: false }))].map(([c, v]) => `${c}=${v}`).join(";");
  const { sort: _sort, dir: _dir, ...filters } = f;
  const key = JSON.stringify([scope.all ? "*" : [...scope.icbCodes].sort(), filters, today]);
  const hit = totals.get(key);
  if (hit && hit.stamp === stamp) return hit.n;
  const n = await count();
  totals.delete(key);
  totals.set(key, { stamp, n });
  if (totals.size > MAX_TOTALS) totals.delete(totals.keys().next().value!);
  return n;
}

type PageRow = Awaited<ReturnType<typeof estateDevicePage>>[number];

export type EstateDeviceRow = Awaited<ReturnType<typeof listEstateDevices>>["rows"][number];
