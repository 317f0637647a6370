import type { PriceBasis } from "#db/types";
import { UNIT_KINDS, type UnitKind } from "~/modules/compliance/units";

/** One version of a unit cost: national default (icbCode null) or an ICB's own price. */
export interface PriceEntry {
  id: number;
  icbCode: string | null;
  unitKind: string;
  basis: PriceBasis;
  unitCostPence: number;
  effectiveFrom: string;
  source: string;
  localEstimate: boolean;
}

export interface UnitNeed {
  kind: string;
  quantity: number;
}

export interface CostLine {
  kind: string;
  label: string;
  quantity: number;
  basis: PriceBasis;
  unitCostPence: number;
  /** The line's cost, rounded to the penny once (half up). */
  pence: number;
  priceId: number;
  localEstimate: boolean;
}

/**
 * A gap's estimate. `pence` is null whenever any unit could not be priced (no price in force,
 * or a per-patient price for a practice whose list size is not known): such a gap shows "no
 * estimate" and what is missing, never £0. `knownPence` is the part that could be priced.
 */
export interface Estimate {
  pence: number | null;
  knownPence: number;
  lines: CostLine[];
  missing: { kind: string; label: string; why: string }[];
  /** True when any line relies on a local estimate rather than a sourced figure. */
  usesLocalEstimate: boolean;
}

export const unitLabel = (kind: string) => UNIT_KINDS[kind as UnitKind] ?? kind;

/** Prices indexed for lookup: per unit kind, the ICB's and the national versions, newest first. */
export class PriceBook {
  private readonly byKey = new Map<string, PriceEntry[]>();

  constructor(entries: readonly PriceEntry[]) {
    for (const e of entries) {
      const key = `${e.icbCode ?? ""}|${e.unitKind}`;
      const list = this.byKey.get(key) ?? [];
      list.push(e);
      this.byKey.set(key, list);
    }
    for (const list of this.byKey.values()) list.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
  }

  /**
   * The price in force for a unit on a date: the ICB's own latest version effective on or before
   * the date, else the national default's. Null when neither has one in force.
   */
  priceFor(icbCode: string | null, unitKind: string, onDate: string): PriceEntry | null {
    const pick = (key: string) => this.byKey.get(key)?.find((e) => e.effectiveFrom <= onDate) ?? null;
    return (icbCode ? pick(`${icbCode}|${unitKind}`) : null) ?? pick(`|${unitKind}`);
  }

  /** Every version for an ICB's view of one unit (its own and the national ones), newest first. */
  history(icbCode: string | null, unitKind: string): PriceEntry[] {
    const own = icbCode ? this.byKey.get(`${icbCode}|${unitKind}`) ?? [] : [];
    const national = this.byKey.get(`|${unitKind}`) ?? [];
    return [...own, ...national].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : (a.icbCode ? -1 : 1)));
  }
}

/** Half-up rounding of a non-negative amount in pence. */
const roundPence = (x: number) => Math.floor(x + 0.5 + 1e-9);

/**
 * Prices the remediation units of one gap at one practice on one date. `each` is unit cost ×
 * quantity; `per_1000_patients` scales by the practice's list size (telephony migration, say).
 */
export function estimateUnits(
  needs: readonly UnitNeed[],
  practice: { icbCode: string | null; listSize: number | null },
  book: PriceBook,
  onDate: string,
): Estimate {
  const lines: CostLine[] = [];
  const missing: Estimate["missing"] = [];
  for (const need of needs) {
    if (need.quantity <= 0) continue;
    const label = unitLabel(need.kind);
    const price = book.priceFor(practice.icbCode, need.kind, onDate);
    if (!price) {
      missing.push({ kind: need.kind, label, why: "no unit cost in the price list" });
      continue;
    }
    let pence: number;
    if (price.basis === "each") pence = price.unitCostPence * need.quantity;
    else if (practice.listSize === null) {
      missing.push({ kind: need.kind, label, why: "priced per 1,000 patients, but the practice's list size is not known" });
      continue;
    } else pence = roundPence((price.unitCostPence * need.quantity * practice.listSize) / 1000);
    lines.push({ kind: need.kind, label, quantity: need.quantity, basis: price.basis, unitCostPence: price.unitCostPence, pence, priceId: price.id, localEstimate: price.localEstimate });
  }
  const knownPence = lines.reduce((s, l) => s + l.pence, 0);
  const nothingToPrice = lines.length === 0 && missing.length === 0;
  if (nothingToPrice) missing.push({ kind: "", label: "No remediation units", why: "the requirement names no work that the price list covers" });
  return {
    pence: missing.length ? null : knownPence,
    knownPence,
    lines,
    missing,
    usesLocalEstimate: lines.some((l) => l.localEstimate),
  };
}
