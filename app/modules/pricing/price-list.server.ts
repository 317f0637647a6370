import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { UNIT_COUNTED_AS, UNIT_KINDS, type UnitKind } from "~/modules/catalogue/units";
import { canManagePolicy } from "~/utils/permissions";
import type { SessionUser } from "~/modules/auth/service.server";
import { forbidden, notFound } from "~/utils/errors";
import { PriceBook } from "./costing";
import { ensureDefaultPrices, findPriceVersionOn, insertPriceVersion, listPriceEntries, toEntry } from "./repository.server";
import type { PriceVersionInput } from "./schema";

export const PRICE_ENTITY = "price_list_entry";

export const isUnitKind = (k: string | undefined): k is UnitKind => !!k && Object.prototype.hasOwnProperty.call(UNIT_KINDS, k);

/** Thrown as a field error: one ICB cannot have two versions of a unit's price on the same date. */
export class DuplicatePriceDate extends Error {}

async function loadEntries(db: Db, icbCode: string, unit?: string) {
  await ensureDefaultPrices(db);
  return listPriceEntries(db, icbCode, unit);
}

/**
 * Every unit kind with the price in force for this ICB today (its own or the national default),
 * and what comes next when a future version is already set. Units with no price say so: gaps
 * needing them show no estimate.
 */
export async function getPriceList(db: Db, icbCode: string, today: string) {
  const rows = await loadEntries(db, icbCode);
  const book = new PriceBook(rows.map(toEntry));
  return (Object.keys(UNIT_KINDS) as UnitKind[]).map((kind) => {
    const now = book.priceFor(icbCode, kind, today);
    const upcoming = book
      .history(icbCode, kind)
      .filter((e) => e.effectiveFrom > today)
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))[0];
    return {
      kind,
      label: UNIT_KINDS[kind],
      countedAs: UNIT_COUNTED_AS[kind],
      price: now ? { ...now, own: now.icbCode === icbCode } : null,
      upcoming: upcoming ? { ...upcoming, own: upcoming.icbCode === icbCode } : null,
    };
  });
}

/** One unit's versions (this ICB's and the national ones), newest first, with who set each. */
export async function getPriceHistory(db: Db, icbCode: string, unit: string, today: string) {
  if (!isUnitKind(unit)) throw notFound("unit");
  const rows = await loadEntries(db, icbCode, unit);
  const book = new PriceBook(rows.map(toEntry));
  const inForce = book.priceFor(icbCode, unit, today);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const versions = book.history(icbCode, unit).map((e) => {
    const r = byId.get(e.id)!;
    return {
      ...e,
      own: e.icbCode === icbCode,
      inForce: e.id === inForce?.id,
      future: e.effectiveFrom > today,
      createdAt: r.created_at,
      createdBy: r.created_by_name,
    };
  });
  return { kind: unit, label: UNIT_KINDS[unit], countedAs: UNIT_COUNTED_AS[unit], versions, inForce };
}

const isPriceKeyViolation = (e: unknown) =>
  (e as { code?: string })?.code === "23505" &&
  String((e as { constraint?: string; message?: string }).constraint ?? (e as Error).message).includes("price_list_entry_key");

/**
 * Adds a new version of an ICB's price for one unit (never updates a row), with its audit event in
 * the same transaction. Only the ICB's digital lead or an admin (policy:manage for the ICB).
 */
export async function addPriceVersion(db: Db, user: SessionUser, icbCode: string, unit: string, input: PriceVersionInput) {
  if (!isUnitKind(unit)) throw notFound("unit");
  if (!canManagePolicy(user.memberships, icbCode)) throw forbidden("Only the ICB's digital lead can change its price list.");
  try {
    return await db.transaction().execute(async (trx) => {
      if (await findPriceVersionOn(trx, icbCode, unit, input.effective_from)) throw new DuplicatePriceDate();
      const row = await insertPriceVersion(trx, {
        icb_code: icbCode,
        unit_kind: unit,
        basis: input.basis,
        unit_cost_pence: input.unit_cost,
        effective_from: input.effective_from,
        source: input.source,
        local_estimate: input.local_estimate,
        vat_rate_percent: input.vat_rate_percent,
        finance: input.finance,
        recurrence: input.recurrence,
        created_by: user.id,
      });
      await recordAudit(trx, {
        userId: user.id,
        action: "price.add",
        entityType: PRICE_ENTITY,
        entityId: `${icbCode}:${unit}`,
        after: row,
      });
      return row;
    });
  } catch (e) {
    if (e instanceof DuplicatePriceDate || isPriceKeyViolation(e)) throw new DuplicatePriceDate();
    throw e;
  }
}
