import type { Insertable } from "kysely";
import type { Db } from "#db/connect";
import type { PriceListEntryTable } from "#db/types";
import { PriceBook, type PriceEntry } from "./costing";
import { DEFAULT_PRICES, DEFAULT_PRICES_FROM } from "./defaults";

type Row = {
  id: number;
  icb_code: string | null;
  unit_kind: string;
  basis: PriceEntry["basis"];
  unit_cost_pence: number;
  effective_from: string;
  source: string;
  local_estimate: boolean;
  vat_rate_percent: number;
  finance: PriceEntry["finance"];
  recurrence: PriceEntry["recurrence"];
};

export const PRICE_COLUMNS = [
  "id",
  "icb_code",
  "unit_kind",
  "basis",
  "unit_cost_pence",
  "effective_from",
  "source",
  "local_estimate",
  "vat_rate_percent",
  "finance",
  "recurrence",
] as const;

export const toEntry = (r: Row): PriceEntry => ({
  id: r.id,
  icbCode: r.icb_code,
  unitKind: r.unit_kind,
  basis: r.basis,
  unitCostPence: r.unit_cost_pence,
  effectiveFrom: r.effective_from,
  source: r.source,
  localEstimate: r.local_estimate,
  vatRatePercent: r.vat_rate_percent,
  finance: r.finance,
  recurrence: r.recurrence,
});

const DEFAULT_KINDS = Object.keys(DEFAULT_PRICES).length;

/**
 * Writes the national default prices for any unit kind that has none (all of them the first
 * time; a unit kind added later on its own). Safe to call on every read: once every kind has a
 * national price it is one cheap query. Returns whether it wrote (which moves every ICB's change stamp).
 */
export async function ensureDefaultPrices(db: Db): Promise<boolean> {
  const have = await db
    .selectFrom("price_list_entry")
    .select((eb) => eb.fn.count<string>("unit_kind").distinct().as("kinds"))
    .where("icb_code", "is", null)
    .executeTakeFirstOrThrow();
  if (Number(have.kinds) >= DEFAULT_KINDS) return false;
  const rows = Object.entries(DEFAULT_PRICES).map(([unit_kind, p]) => ({
    icb_code: null,
    unit_kind,
    basis: p!.basis,
    unit_cost_pence: Math.round(p!.pounds * 100),
    effective_from: DEFAULT_PRICES_FROM,
    source: p!.source,
    local_estimate: p!.localEstimate,
    vat_rate_percent: p!.vatRatePercent,
    finance: p!.finance,
    recurrence: p!.recurrence,
  }));
  // Kinds that already have a national version keep it (the unique key skips them).
  await db
    .insertInto("price_list_entry")
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}

/** Every price version that matters to these ICBs (theirs and the national defaults), as one book. */
export async function loadPriceBook(
  db: Db,
  icbCodes: readonly string[] | "all",
  opts: { defaultsEnsured?: boolean } = {},
): Promise<PriceBook> {
  if (!opts.defaultsEnsured) await ensureDefaultPrices(db);
  let q = db.selectFrom("price_list_entry").select([...PRICE_COLUMNS]);
  if (icbCodes !== "all") {
    const codes = [...icbCodes];
    q = q.where((eb) => (codes.length ? eb.or([eb("icb_code", "is", null), eb("icb_code", "in", codes)]) : eb("icb_code", "is", null)));
  }
  return new PriceBook((await q.execute()).map(toEntry));
}

/** This ICB's and the national price versions (of one unit, if given), with who set each. */
export function listPriceEntries(db: Db, icbCode: string, unit?: string) {
  let q = db
    .selectFrom("price_list_entry as e")
    .leftJoin("app_user as u", "u.id", "e.created_by")
    .select([
      "e.id",
      "e.icb_code",
      "e.unit_kind",
      "e.basis",
      "e.unit_cost_pence",
      "e.effective_from",
      "e.source",
      "e.local_estimate",
      "e.vat_rate_percent",
      "e.finance",
      "e.recurrence",
      "e.created_at",
      "u.name as created_by_name",
    ])
    .where((eb) => eb.or([eb("e.icb_code", "is", null), eb("e.icb_code", "=", icbCode)]));
  if (unit) q = q.where("e.unit_kind", "=", unit);
  return q.execute();
}

/** The ICB's own version of a unit's price that takes effect on `effectiveFrom`, if there is one. */
export function findPriceVersionOn(db: Db, icbCode: string, unit: string, effectiveFrom: string) {
  return db
    .selectFrom("price_list_entry")
    .select("id")
    .where("icb_code", "=", icbCode)
    .where("unit_kind", "=", unit)
    .where("effective_from", "=", effectiveFrom)
    .executeTakeFirst();
}

/** Adds one price version (rows are never updated), returning it as the audit event records it. */
export function insertPriceVersion(db: Db, values: Insertable<PriceListEntryTable>) {
  return db.insertInto("price_list_entry").values(values).returning(PRICE_COLUMNS).executeTakeFirstOrThrow();
}
