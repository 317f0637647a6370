/**
 * Remix's `<Link>`, with a cheaper server render of the same markup. Use this one in the app
 * (ESLint refuses `Link` from @remix-run/react elsewhere).
 *
 * Why: a page like a practice's compliance page renders some 270 links, and on the server each
 * Remix link works its href out three times over (`useHref` in Remix's link and in react-router's,
 * `useResolvedPath` for its click handler), each time turning the route matches into JSON and
 * back. That was about a third of everything the server allocated for that page, and a quarter
 * over the benchmark's load mix (docs/performance.md, session 15): garbage the collector's
 * threads must clear beside every request. On the server a link is only its `<a>`: no click
 * handler, ref, prefetching or discovery runs there.
 *
 * So on the server a link to an absolute path (`to` a string starting with one "/") under the
 * root basename renders the `<a>` itself, with the attributes in the order Remix's and
 * react-router's links give them (their own props first, then `data-discover`, `href`,
 * `target`), and the href worked out as react-router works out an absolute path's. Anything else
 * (a relative or external `to`, an object, another basename, no router around it) is rendered by
 * Remix's link. In the browser it is Remix's link itself, so hydration and navigation are
 * unchanged: the browser gets the same HTML either way. test/unit/server-link.test.ts renders
 * both for many links and compares them.
 */
import { Link as RemixLink, type LinkProps } from "@remix-run/react";
import { forwardRef, useContext, type Ref } from "react";
import { UNSAFE_NavigationContext, createPath, resolvePath } from "react-router-dom";

/** On the server: the `<a>` Remix's link would render for an absolute path; Remix's link for anything else. */
function ServerLinkImpl(props: LinkProps, ref: Ref<HTMLAnchorElement>) {
  const navigation = useContext(UNSAFE_NavigationContext) as { basename: string } | null;
  const { to } = props;
  // Prefetching renders <link> elements beside the <a> on the server: Remix's link does that.
  const prefetches = props.prefetch !== undefined && props.prefetch !== "none";
  if (
    prefetches ||
    navigation === null ||
    navigation.basename !== "/" ||
    typeof to !== "string" ||
    to[0] !== "/" ||
    to[1] === "/" ||
    to[1] === "\\"
  ) {
    return <RemixLink ref={ref} {...props} />;
  }
  // Everything the two links take for themselves; the rest goes on the <a>, in its order.
  const {
    to: _to,
    prefetch: _prefetch,
    discover = "render",
    onClick: _onClick,
    relative: _relative,
    reloadDocument,
    replace: _replace,
    state: _state,
    target,
    preventScrollReset: _preventScrollReset,
    viewTransition: _viewTransition,
    ...rest
  } = props;
  // The link's text and children are in `rest`, as they are in react-router's own link. The <a>
  // has an empty slot beside it, where Remix's link puts its prefetch <link>s: useId derives ids
  // from that shape, so an id made inside the link matches the browser's when it hydrates.
  return (
    <>
      {/* eslint-disable-next-line jsx-a11y/anchor-has-content */}
      <a {...rest} data-discover={discover === "render" && !reloadDocument ? "true" : undefined} href={absoluteHref(to)} target={target} />
      {null}
    </>
  );
}

/**
 * Anything resolvePath or createPath would change: "//", a "." or ".." segment, "?" or "#" left
 * empty. It also matches some paths they would leave alone ("/.well-known"), which are then
 * resolved in full, to the same answer.
 */
const NEEDS_RESOLVING = /\/\/|\/\.|\?#|[?#]$/;

/**
 * The href react-router gives `<Link to>` for a path starting with "/" (resolveTo, then the static
 * navigator's createHref): the path's segments resolved from the root ("." and ".." dropped, "//"
 * made one), a trailing slash kept, an empty "?" or "#" dropped.
 */
export function absoluteHref(to: string): string {
  // Most links need none of that: no "//" or dot segment to resolve, no empty "?" or "#" to drop.
  if (!NEEDS_RESOLVING.test(to)) return to;
  const path = resolvePath(to);
  const end = to.search(/[?#]/);
  const pathname = end < 0 ? to : to.slice(0, end);
  if (pathname !== "/" && pathname.endsWith("/") && !path.pathname.endsWith("/")) path.pathname += "/";
  return createPath(path);
}

/** The server's link; exported for the test that compares it with Remix's. */
export const ServerLink = forwardRef(ServerLinkImpl) as typeof RemixLink;

export const Link: typeof RemixLink = typeof document === "undefined" ? ServerLink : RemixLink;
