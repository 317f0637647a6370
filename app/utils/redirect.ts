/** Longest redirect target accepted; anything longer is not a path this app produced. */
const MAX_REDIRECT_LENGTH = 2048;
const DUMMY_ORIGIN = "http://redirect.invalid";

/**
 * Only same-origin paths may be redirect targets, so a crafted link cannot send people elsewhere.
 *
 * Browsers forgive a lot when they read a Location header: they drop tab, CR and LF anywhere,
 * trim other control characters and spaces at the ends, and read `\` as `/`. So `/\t/evil` or
 * `/\evil` becomes `//evil`, a link to another site. We apply the same clean-up first, then let
 * the WHATWG URL parser (the one browsers use) resolve the result against a dummy origin, and
 * accept it only if it stays on that origin. What we return is the parser's own serialisation
 * of the path, never the raw input.
 */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > MAX_REDIRECT_LENGTH) return fallback;
  const cleaned = to
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001F\u007F]/g, "")
    .trim()
    .replace(/\\/g, "/");
  if (!cleaned.startsWith("/") || cleaned.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(cleaned, DUMMY_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== DUMMY_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can collapse to `//host` (`/.//evil`): a protocol-relative link once more.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
