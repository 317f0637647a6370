import type { PriceBasis, PriceFinance, PriceRecurrence } from "#db/types";
import { UNIT_KINDS, type UnitKind } from "~/modules/catalogue/units";
import { annualLastYear } from "./annual-limits";
import type { AnnualEnds } from "./financial-year";
import { vatOf } from "./money";

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
  /** Prices are ex VAT; this is the rate to add (20 = standard rate). */
  vatRatePercent: number;
  finance: PriceFinance;
  recurrence: PriceRecurrence;
}

export interface UnitNeed {
  kind: string;
  quantity: number;
  /** Quantity 0: this work is costed under another requirement's gap (or not needed: the device is replaced there). */
  costedUnder?: string;
  replacedUnder?: string;
  covered?: number;
}

export interface CostLine {
  kind: string;
  label: string;
  quantity: number;
  basis: PriceBasis;
  unitCostPence: number;
  /** The line's cost ex VAT, rounded to the penny once (half up). */
  pence: number;
  /** VAT on the line, rounded half up to the penny; the line costs pence + vatPence inc VAT. */
  vatPence: number;
  vatRatePercent: number;
  finance: PriceFinance;
  recurrence: PriceRecurrence;
  priceId: number;
  localEstimate: boolean;
}

/** Work a gap needs that another gap costs: shown at £0 with where it is costed. */
export interface CostedElsewhere {
  kind: string;
  label: string;
  quantity: number;
  under: string;
  /** True when the work is not needed because the device is replaced under `under`. */
  replaced: boolean;
}

/** An estimate's money split the ways a finance team reads it (all ex VAT, in pence). */
export interface EstimateSplit {
  capitalPence: number;
  revenuePence: number;
  /** Bought once. */
  oneOffPence: number;
  /** Paid every year the remedy is kept (the first year is in `pence`). */
  annualPence: number;
  /** Of `annualPence`, the units sold for a limited number of years (ESU), by their last financial year; absent when none. */
  annualEnds?: AnnualEnds;
}

/**
 * A gap's estimate. `pence` is null whenever any unit could not be priced (no price in force,
 * or a per-patient price for a practice whose list size is not known): such a gap shows "no
 * estimate" and what is missing, never £0. `knownPence` is the part that could be priced.
 */
export interface Estimate {
  /** Ex VAT: one-off costs plus the first year of annual ones. */
  pence: number | null;
  /** VAT on `pence` (the sum of the lines' VAT); null with `pence`. */
  vatPence: number | null;
  knownPence: number;
  lines: CostLine[];
  missing: { kind: string; label: string; why: string }[];
  elsewhere: CostedElsewhere[];
  /** Of the priced lines. */
  split: EstimateSplit;
  /** True when any line relies on a local estimate rather than a sourced figure. */
  usesLocalEstimate: boolean;
  /**
   * What the remedy is: priced units (`priced`), work wholly costed under other gaps
   * (`elsewhere`, £0 here) or no unit the price list covers (`none`: `missing` says why).
   */
  remedy: "priced" | "elsewhere" | "none";
}

/** An estimate of nothing: a change that adds no work. */
export const ZERO_ESTIMATE: Estimate = {
  pence: 0,
  vatPence: 0,
  knownPence: 0,
  lines: [],
  missing: [],
  elsewhere: [],
  usesLocalEstimate: false,
  remedy: "priced",
  split: { capitalPence: 0, revenuePence: 0, oneOffPence: 0, annualPence: 0 },
};

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
    for (const list of this.byKey.values())
      list.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : 0));
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
    const own = icbCode ? (this.byKey.get(`${icbCode}|${unitKind}`) ?? []) : [];
    const national = this.byKey.get(`|${unitKind}`) ?? [];
    return [...own, ...national].sort((a, b) =>
      a.effectiveFrom < b.effectiveFrom ? 1 : a.effectiveFrom > b.effectiveFrom ? -1 : a.icbCode ? -1 : 1,
    );
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
  /** Why a gap with no units has no priced remedy (per requirement: remedies.ts). */
  noUnitsWhy = "the requirement names no work that the price list covers",
): Estimate {
  const lines: CostLine[] = [];
  const missing: Estimate["missing"] = [];
  const elsewhere: CostedElsewhere[] = [];
  for (const need of needs) {
    const label = unitLabel(need.kind);
    const under = need.costedUnder ?? need.replacedUnder;
    if (need.quantity <= 0) {
      if (under) elsewhere.push({ kind: need.kind, label, quantity: need.covered ?? 0, under, replaced: !need.costedUnder });
      continue;
    }
    const price = book.priceFor(practice.icbCode, need.kind, onDate);
    if (!price) {
      missing.push({
        kind: need.kind,
        label,
        why: `no price for "${label}" in ${practice.icbCode ? `${practice.icbCode}'s price list or ` : ""}the national defaults on ${onDate}`,
      });
      continue;
    }
    let pence: number;
    if (price.basis === "each") pence = price.unitCostPence * need.quantity;
    else if (practice.listSize === null) {
      missing.push({ kind: need.kind, label, why: "priced per 1,000 patients, but the practice's list size is not known" });
      continue;
    } else pence = roundPence((price.unitCostPence * need.quantity * practice.listSize) / 1000);
    lines.push({
      kind: need.kind,
      label,
      quantity: need.quantity,
      basis: price.basis,
      unitCostPence: price.unitCostPence,
      pence,
      vatPence: vatOf(pence, price.vatRatePercent),
      vatRatePercent: price.vatRatePercent,
      finance: price.finance,
      recurrence: price.recurrence,
      priceId: price.id,
      localEstimate: price.localEstimate,
    });
  }
  const sum = (f: (l: CostLine) => boolean) => lines.filter(f).reduce((s, l) => s + l.pence, 0);
  const knownPence = sum(() => true);
  const ends: Record<number, number> = {};
  for (const l of lines) {
    const last = l.recurrence === "annual" ? annualLastYear(l.kind) : null;
    if (last !== null) ends[last] = (ends[last] ?? 0) + l.pence;
  }
  const remedy: Estimate["remedy"] = lines.length || missing.length ? "priced" : elsewhere.length ? "elsewhere" : "none";
  if (remedy === "none") missing.push({ kind: "", label: "No priced remedy", why: noUnitsWhy });
  return {
    pence: missing.length ? null : knownPence,
    vatPence: missing.length ? null : lines.reduce((s, l) => s + l.vatPence, 0),
    knownPence,
    lines,
    missing,
    elsewhere,
    split: {
      capitalPence: sum((l) => l.finance === "capital"),
      revenuePence: sum((l) => l.finance === "revenue"),
      oneOffPence: sum((l) => l.recurrence === "one_off"),
      annualPence: sum((l) => l.recurrence === "annual"),
      ...(Object.keys(ends).length ? { annualEnds: ends } : {}),
    },
    usesLocalEstimate: lines.some((l) => l.localEstimate),
    remedy,
  };
}
