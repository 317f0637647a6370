import { z } from "zod";

/**
 * Money is held as whole pence (integers) everywhere, so totals are exact and equal the sum of
 * their rows; pounds appear only on screen and in exports.
 */
const GBP = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });
const GBP_WHOLE = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP", maximumFractionDigits: 0 });

/** "£1,234.56"; `whole` rounds to pounds for charts and headline figures. */
export function formatPence(pence: number, opts: { whole?: boolean } = {}): string {
  return (opts.whole ? GBP_WHOLE : GBP).format(pence / 100);
}

/**
 * VAT on an ex-VAT amount in pence at a whole-percent rate, rounded half up to the penny (exact
 * integer arithmetic). Inc VAT = ex + vatOf(ex); `exFromInc` gives back ex exactly.
 */
export function vatOf(exPence: number, ratePercent: number): number {
  return Math.floor((exPence * ratePercent + 50) / 100);
}
export const incVat = (exPence: number, ratePercent: number) => exPence + vatOf(exPence, ratePercent);
/**
 * The ex-VAT amount an inc-VAT amount came from: the nearest whole penny to inc / (1 + rate),
 * which is exact for any amount `incVat` produced (its rounding error is under half a penny, and
 * dividing by 1 + rate only shrinks it).
 */
export function exFromInc(incPence: number, ratePercent: number): number {
  return Math.floor((incPence * 200 + (100 + ratePercent)) / (2 * (100 + ratePercent)));
}

/** Pence as a pounds number for spreadsheets (1234.56), where the cell format adds the £. */
export const penceToPounds = (pence: number) => pence / 100;

/**
 * Reads an amount in pounds as people type it ("£1,250", "1250.5", "1,250.50") into pence.
 * Null when it is not a plain non-negative amount with at most two decimal places.
 */
export function parsePounds(input: string): number | null {
  const s = input.trim().replace(/^£/, "").replace(/,/g, "").trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ""] = s.split(".");
  const pence = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  return Number.isSafeInteger(pence) ? pence : null;
}

/** A required amount of money in pounds from a form, as pence. */
export const poundsField = (label: string, max = 1_000_000_000_00) =>
  z.string().transform((v, ctx) => {
    if (v.trim() === "") {
      ctx.addIssue({ code: "custom", message: `Enter ${label.toLowerCase()}` });
      return z.NEVER;
    }
    const pence = parsePounds(v);
    if (pence === null) {
      ctx.addIssue({ code: "custom", message: `${label} must be an amount in pounds, like 1,250 or 1250.50` });
      return z.NEVER;
    }
    if (pence > max) {
      ctx.addIssue({ code: "custom", message: `${label} must be ${formatPence(max, { whole: true })} or less` });
      return z.NEVER;
    }
    return pence;
  });

/** Pence as the text a pounds field shows ("1250.50", "1250"). */
export const penceToInput = (pence: number | null | undefined) =>
  pence === null || pence === undefined ? "" : pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);

/** "£750.00 ex VAT (£900.00 inc VAT at 20%)": every price and estimate is shown both ways. */
export function formatExInc(exPence: number, ratePercent: number): string {
  return `${formatPence(exPence)} ex VAT (${formatPence(incVat(exPence, ratePercent))} inc VAT at ${ratePercent}%)`;
}
