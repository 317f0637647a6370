import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * The 49,000 most common passwords (zxcvbn-ts's list, drawn from breach corpora), kept on the
 * server only: the browser checks length and shape with the same zod schema, the server adds
 * this check so the list is never shipped to every page.
 */
let common: Set<string> | undefined;
function list() {
  common ??= new Set(dictionary["passwords-common"].map((p) => String(p).toLowerCase()));
  return common;
}

/**
 * True when the password, ignoring case, is on the list — or is a listed password with digits
 * or symbols stuck on either end ("Password1234!", "!!qwertyuiop"), the usual way people stretch
 * a short common password to a length rule.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.normalize("NFKC").trim().toLowerCase();
  const core = lower.replace(/^[\d\W_]+/u, "").replace(/[\d\W_]+$/u, "");
  const candidates = [lower, lower.replace(/[\d\W_]+$/u, ""), lower.replace(/^[\d\W_]+/u, ""), core];
  const words = list();
  return candidates.some((c) => c.length > 0 && words.has(c));
}
