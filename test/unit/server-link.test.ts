import { Link as RemixLink } from "@remix-run/react";
import { createElement as h, useId, type ReactElement } from "react";
import { renderToStaticMarkup, renderToString } from "react-dom/server";
import { Route, Routes } from "react-router-dom";
import { StaticRouter } from "react-router-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Link, ServerLink } from "~/components/Link";

// app/components/Link.tsx renders the <a> on the server itself instead of through Remix's link;
// the page must not change by a byte. Each link is rendered both ways, inside a route (so relative
// links have route matches to resolve against), and the markup compared.

type Props = Record<string, unknown> & { to: unknown };

function render(component: typeof RemixLink, links: Props[], opts: { basename?: string; location?: string } = {}) {
  const basename = opts.basename ?? "/";
  const location = opts.location ?? `${basename === "/" ? "" : basename}/practices/P82001/compliance/`;
  const page = (): ReactElement => h("div", null, ...links.map((p, i) => h(component as never, { key: i, ...p })));
  return renderToStaticMarkup(
    h(
      StaticRouter,
      { location, basename },
      h(Routes, null, h(Route, { path: "/practices/:ods/*", element: h(page) }), h(Route, { path: "*", element: h(page) })),
    ),
  );
}

const PATHS = [
  "/",
  "/practices/P82001",
  "/practices/P82001/",
  "/practices/P82001/compliance?domain=devices&status=not_met",
  "/practices/P82001/compliance?domain=devices#requirements",
  "/icbs/QOP/compliance#practices",
  "/a#x?y",
  "/a?",
  "/a#",
  "/a?#",
  "/a/?b=1",
  "/a/./b",
  "/a/../b",
  "/a/b/..",
  "/a/b/../",
  "/..",
  "/a//b",
  "/a///b/",
  "/estate/devices?type=desktop&sort=warranty_end&dir=asc&page=2486",
  "/requirements?version=3",
  "/search?q=%20caf%C3%A9&x=a+b",
  "/café/ä b",
  "/a%2Fb",
  "/a?b=/c//d#e/../f",
];

// Everything else is left to Remix's link; these must come out the same too.
const NOT_ABSOLUTE: unknown[] = [
  "",
  ".",
  "..",
  "../x",
  "devices",
  "./devices?x=1",
  "?domain=devices",
  "#top",
  "//example.com/x",
  "/\\example.com",
  "https://example.com/a",
  "mailto:someone@example.com",
  { pathname: "/a", search: "?b=1", hash: "#c" },
  { search: "?b=1" },
];

const PROP_SETS: Record<string, unknown>[] = [
  {},
  { children: "Devices" },
  { className: "nhsuk-link", children: ["3", h("span", { key: "s" }, " not met")] },
  { discover: "none", children: "x" },
  { discover: "render", className: "a" },
  { reloadDocument: true, children: "Download" },
  { reloadDocument: true, discover: "none", children: "Download" },
  { target: "_blank", rel: "noreferrer", children: "New tab" },
  { id: "l", title: "T", "aria-current": "page", "aria-label": "Label", tabIndex: -1, style: { color: "red" }, "data-x": "1" },
  { prefetch: "intent", children: "p" },
  { prefetch: "render", children: "p" },
  { prefetch: "viewport", children: "p" },
  { prefetch: "none", children: "p" },
  { replace: true, state: { a: 1 }, preventScrollReset: true, viewTransition: true, relative: "path", children: "r" },
  { onClick: () => {}, onFocus: () => {}, onMouseEnter: () => {}, children: "handlers" },
  { download: "file.csv", hrefLang: "en", type: "text/csv", children: "d" },
];

// Attribute order follows the props' order: the same props in another order must match too.
const withToAt = (to: unknown, props: Record<string, unknown>, first: boolean): Props => (first ? { to, ...props } : { ...props, to });

describe("the server's Link renders what Remix's Link renders", () => {
  // react-router warns of each "//" it makes one; both links see the same paths.
  beforeAll(() => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });

  it("is the server's link where there is no document (the server, these tests)", () => {
    expect(Link).toBe(ServerLink);
  });

  it("for absolute paths with every kind of prop, in either order", () => {
    const links = PATHS.flatMap((to) => PROP_SETS.flatMap((p) => [withToAt(to, p, true), withToAt(to, p, false)]));
    const ours = render(ServerLink, links);
    expect(ours).toBe(render(RemixLink, links));
    // The check is not empty: the links are there, discovery attributes and all.
    expect(ours.match(/<a /g)).toHaveLength(links.length);
    expect(ours).toContain('<a data-discover="true" href="/practices/P82001/compliance?domain=devices&amp;status=not_met">');
    expect(ours).toContain('href="/a/b/"');
  });

  it("for relative, external and object destinations (left to Remix's link)", () => {
    const links = NOT_ABSOLUTE.flatMap((to) => PROP_SETS.map((p) => withToAt(to, p, true)));
    expect(render(ServerLink, links)).toBe(render(RemixLink, links));
  });

  it("under another basename (left to Remix's link)", () => {
    const links = [...PATHS, ...NOT_ABSOLUTE].map((to) => ({ to, children: "x" }));
    const ours = render(ServerLink, links, { basename: "/app" });
    expect(ours).toBe(render(RemixLink, links, { basename: "/app" }));
    expect(ours).toContain('href="/app/practices/P82001"');
  });

  it("at other locations, with and without a trailing slash", () => {
    const links = [...PATHS, ...NOT_ABSOLUTE].map((to) => ({ to, children: "x" }));
    for (const location of ["/", "/icbs/QOP/compliance", "/practices/P82001", "/practices/P82001/devices/12/"])
      expect(render(ServerLink, links, { location })).toBe(render(RemixLink, links, { location }));
  });

  it("gives ids made by useId inside a link the ids Remix's link gives them", () => {
    // useId derives an id from the element's place in the tree: Remix's link renders its <a>
    // beside a slot for prefetch links, so what is inside the <a> sits one fork deeper, and the
    // browser's hydration expects the ids that place gives.
    function Labelled() {
      return h("span", { id: useId() }, "x");
    }
    const page = (component: typeof RemixLink) =>
      renderToString(h(StaticRouter, { location: "/" }, h("div", null, h(component as never, { to: "/a" }, h(Labelled)), h(Labelled))));
    expect(page(ServerLink)).toBe(page(RemixLink));
  });
});
