import type { Db } from "#db/connect";
import { icbChangeStamp } from "~/utils/icb-cache.server";
import { practiceEstateStamps } from "~/utils/practice-stamp.server";
import { ensureLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { ensureCatalogue } from "./catalogue.server";
import { checkPracticeFreshness } from "./evaluate.server";

type Freshness = Awaited<ReturnType<typeof checkPracticeFreshness>>;

/** Practices whose check is kept in this process: the most recently checked. */
const KEPT = 2_000;
const kept = new Map<string, { key: string; value: Promise<Freshness> }>();

/**
 * Whether a practice's stored results still match the registers, as its compliance page shows on
 * every load for today (checkPracticeFreshness: the practice's registers read and judged again,
 * about a third of the page's server time). Kept per practice under the date and the stamps of
 * everything the check reads: the ICB's change stamp (the practice's estate, its stored results
 * and attestations, the ICB's policy, the catalogue and OS lifecycle), and the practice's estate
 * stamp with the reference digest (Cyber Essentials, cloud telephony months and publications,
 * which the ICB stamp does not cover). Two small reads instead of some fifteen queries and the
 * rules; any change to what the check reads moves a stamp, in every server process alike.
 */
export async function practiceFreshness(db: Db, ods: string, icbCode: string | null, asOf: string): Promise<Freshness> {
  if (!icbCode) return checkPracticeFreshness(db, ods, asOf);
  const keyOf = async () => {
    const [icbStamp, { stamps, digest }] = await Promise.all([icbChangeStamp(db, icbCode), practiceEstateStamps(db, [ods], icbCode)]);
    return `${asOf}|${icbStamp}|${stamps.get(ods)}|${digest}`;
  };
  let key = await keyOf();
  const hit = kept.get(ods);
  if (hit && hit.key === key) {
    // Most recently used last, so the oldest goes first.
    kept.delete(ods);
    kept.set(ods, hit);
    return hit.value;
  }
  // The check (and the page's costs beside it) first bring reference data up to date: the
  // catalogue, the OS lifecycle table, the national default prices. Done here and the stamps read
  // again, a first sync does not move them under the key just read (the next load would miss).
  await ensureCatalogue(db);
  await ensureLifecycleReference(db);
  await ensureDefaultPrices(db);
  key = await keyOf();
  const value = checkPracticeFreshness(db, ods, asOf);
  kept.delete(ods);
  kept.set(ods, { key, value });
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  value.catch(() => {
    if (kept.get(ods)?.value === value) kept.delete(ods);
  });
  return value;
}
