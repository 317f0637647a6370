import type { Estimate } from "~/modules/pricing/costing";
import { formatPence, vatOf } from "~/modules/pricing/money";

/**
 * A funding request's amount split into the budget's two pots, and its VAT (docs/money.md,
 * "Funding requests and budgets"). Pure: the service passes the estimates of the request's gaps
 * as they are priced when the request is made or changed, and stores what this returns.
 *
 * - Capital and revenue come from the gaps' priced lines (each price version says which it is).
 *   When the amount equals the estimates' priced total, the split is exactly theirs. When it
 *   differs (the requester gave a reason), the amount is shared in the same proportion: capital =
 *   amount x priced capital / priced total, rounded half up; revenue is the rest.
 * - With nothing priced, the whole amount is revenue: the NHS counts spend as revenue unless it
 *   is shown to be capital, and nothing here shows it.
 * - VAT: the priced lines' VAT (each at its own rate) in the same proportion; with nothing priced,
 *   the standard rate (20%).
 */
export interface RequestSplit {
  capitalPence: number;
  revenuePence: number;
  vatPence: number;
}

export const STANDARD_VAT_RATE = 20;

const share = (amount: number, part: number, whole: number) => (whole === 0 ? 0 : Math.floor((amount * part * 2 + whole) / (whole * 2)));

export function splitRequestAmount(amountPence: number, estimates: readonly Pick<Estimate, "lines">[]): RequestSplit {
  let capital = 0;
  let priced = 0;
  let vat = 0;
  for (const e of estimates) {
    for (const l of e.lines) {
      priced += l.pence;
      vat += l.vatPence;
      if (l.finance === "capital") capital += l.pence;
    }
  }
  if (priced === 0) return { capitalPence: 0, revenuePence: amountPence, vatPence: vatOf(amountPence, STANDARD_VAT_RATE) };
  const capitalPence = share(amountPence, capital, priced);
  return { capitalPence, revenuePence: amountPence - capitalPence, vatPence: share(amountPence, vat, priced) };
}

export type Pot = "capital" | "revenue";
export const POT_LABELS: Record<Pot, string> = { capital: "capital", revenue: "revenue" };

/** One pot of a year's budget: its amount (null: not set) and what is committed against it. */
export interface PotPosition {
  budgetPence: number | null;
  committedPence: number;
  remainingPence: number | null;
}

export const potPosition = (budgetPence: number | null, committedPence: number): PotPosition => ({
  budgetPence,
  committedPence,
  remainingPence: budgetPence === null ? null : budgetPence - committedPence,
});

/**
 * Why approving a request needs an explicit override, per pot, or an empty list when it fits:
 * a pot the request draws on that is not set, or that the approval would take over its amount
 * (naming the pot and the shortfall). A pot the request does not draw on is never a reason.
 */
export function potOverrides(
  pots: Record<Pot, PotPosition>,
  request: { capitalPence: number; revenuePence: number },
  yearLabel: string,
): string[] {
  const out: string[] = [];
  for (const pot of ["capital", "revenue"] as const) {
    const need = pot === "capital" ? request.capitalPence : request.revenuePence;
    if (need <= 0) continue;
    const p = pots[pot];
    if (p.budgetPence === null) {
      out.push(`No ${pot} budget is set for ${yearLabel}, and this request needs ${formatPence(need)} of ${pot}.`);
      continue;
    }
    const after = p.committedPence + need;
    if (after > p.budgetPence) {
      out.push(
        `The ${pot} budget for ${yearLabel} is short by ${formatPence(after - p.budgetPence)}: this request needs ${formatPence(need)} of ${pot}, and ${formatPence(Math.max(0, p.budgetPence - p.committedPence))} of the ${formatPence(p.budgetPence)} is left after approved, funded and delivered requests.`,
      );
    }
  }
  return out;
}

/** Financial years after the request's that its gaps' annual costs are shown recurring in. */
export const LATER_YEARS = 2;

/** What "Check the split" shows before a request is saved: the stored split, and the annual costs that come back later. */
export interface SplitPreview {
  year: number;
  amountPence: number;
  split: RequestSplit;
  /** The gaps' annual lines (ex VAT) paid again in each of the next LATER_YEARS years: not part of this request. */
  later: { year: number; pence: number; capitalPence: number; revenuePence: number }[];
}

/**
 * The preview of a request for `amountPence` in financial year `year`: the split is
 * `splitRequestAmount` itself, the function the save stores; the later years repeat the priced
 * annual lines (warranty, ESU year, rental, licences) of the gaps' estimates.
 */
export function previewSplit(amountPence: number, year: number, estimates: readonly Pick<Estimate, "lines">[]): SplitPreview {
  let annual = 0;
  let annualCapital = 0;
  for (const e of estimates)
    for (const l of e.lines) {
      if (l.recurrence !== "annual") continue;
      annual += l.pence;
      if (l.finance === "capital") annualCapital += l.pence;
    }
  return {
    year,
    amountPence,
    split: splitRequestAmount(amountPence, estimates),
    later: Array.from({ length: LATER_YEARS }, (_, i) => ({
      year: year + i + 1,
      pence: annual,
      capitalPence: annualCapital,
      revenuePence: annual - annualCapital,
    })),
  };
}
