/**
 * UK telephone numbers as practices write them. Pure functions (no server imports), shared by the
 * telephony form, its page and the compliance rules.
 */

/**
 * Number ranges that cost callers more than a local call, which the GP contract does not allow
 * for a practice's number: 084 and 087 (service charge), 09 (premium rate) and 070 (personal
 * numbering, often mistaken for a mobile).
 */
export const PREMIUM_PREFIXES = ["084", "087", "09", "070"] as const;

/**
 * The digits of a UK number in national form (`020 7946 0000`, `+44 (0)20 7946 0000`,
 * `0044 20 7946 0000` → `02079460000`). Anything that is not a digit is dropped.
 */
export function normaliseUkNumber(input: string): string {
  let s = input.trim().replace(/\(0\)/g, "");
  const international = s.startsWith("+");
  s = s.replace(/\D/g, "");
  if (international && s.startsWith("44")) return `0${s.slice(2)}`;
  if (s.startsWith("0044")) return `0${s.slice(4)}`;
  return s;
}

/** UK national numbers have 10 or 11 digits including the leading 0 (for example 0800 123456, 020 7946 0000). */
export function isUkNumberLength(input: string): boolean {
  const digits = normaliseUkNumber(input);
  return /^0\d{9,10}$/.test(digits);
}

/** True when a number starts with a prefix that charges callers more than a local call. */
export function isPremiumNumber(input: string | null | undefined): boolean {
  if (!input) return false;
  const digits = normaliseUkNumber(input);
  return PREMIUM_PREFIXES.some((p) => digits.startsWith(p));
}
