/**
 * The production server's static router (scripts/server/static-router.ts) must answer exactly as
 * react-router-dom/server's own createStaticRouter does, and must not define getters on each
 * router it makes (V8 keeps those in old-generation AccessorPairs, which kept every request's
 * loader data past two young-generation collections: docs/performance.md, session 16).
 */
import { createRequire } from "node:module";
import { createElement } from "react";
import { Outlet } from "react-router";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createStaticRouterWithoutGetters, installStaticRouter, routerLibraries } from "../../scripts/server/static-router";

const require = createRequire(import.meta.url);
const server = require("react-router-dom/server") as {
  createStaticRouter: (...args: unknown[]) => Record<string, unknown>;
  StaticRouterProvider: (props: Record<string, unknown>) => unknown;
};
const original = server.createStaticRouter;

const Root = () => createElement("main", null, "root ", createElement(Outlet));
const Page = () => createElement("p", null, "page");
const Oops = () => createElement("p", null, "oops");

function routes() {
  return [
    {
      id: "root",
      path: "",
      Component: Root,
      loader: () => null,
      children: [
        { id: "routes/_index", index: true, Component: Page },
        { id: "routes/practices.$ods", path: "practices/:ods", Component: Page, ErrorBoundary: Oops, loader: () => null },
      ],
    },
  ];
}

function context() {
  return {
    basename: "/",
    location: { pathname: "/practices/A81001", search: "?x=1", hash: "", state: null, key: "default" },
    matches: [
      { params: { ods: "A81001" }, pathname: "/", pathnameBase: "/", route: { id: "root" } },
      {
        params: { ods: "A81001" },
        pathname: "/practices/A81001",
        pathnameBase: "/practices/A81001",
        route: { id: "routes/practices.$ods" },
      },
    ],
    loaderData: { root: { user: "someone" }, "routes/practices.$ods": { name: "A practice" } },
    actionData: null,
    errors: null,
    statusCode: 200,
    loaderHeaders: {},
    actionHeaders: {},
    activeDeferreds: null,
  };
}

const METHODS = [
  "initialize",
  "subscribe",
  "enableScrollRestoration",
  "navigate",
  "fetch",
  "revalidate",
  "deleteFetcher",
  "dispose",
  "deleteBlocker",
  "patchRoutes",
  "_internalSetRoutes",
];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return "nothing thrown";
}

describe("the static router without getters", () => {
  const ours = createStaticRouterWithoutGetters(routerLibraries() as never, original as never) as unknown as typeof original;

  for (const opts of [undefined, {}, { future: { v7_partialHydration: true, v7_relativeSplatPath: true } }]) {
    it(`answers as the library's (options ${JSON.stringify(opts)})`, () => {
      const ctxA = context();
      const ctxB = context();
      const rs = routes();
      const theirs = original(rs, ctxA, opts);
      const mine = ours(rs, ctxB, opts) as Record<string, unknown>;
      for (const key of ["basename", "future", "state", "routes", "window", "_internalFetchControllers", "_internalActiveDeferreds"]) {
        expect(mine[key], key).toEqual(theirs[key]);
      }
      // A fresh state and future on every read, as the library's getters give.
      expect(mine.state).not.toBe(mine.state);
      expect(mine.future).not.toBe(mine.future);
      // The state's matches lead to the router's own data routes, as the library's do.
      const state = mine.state as { matches: { route: unknown }[]; loaderData: unknown };
      const dataRoutes = mine.routes as { children: unknown[] }[];
      expect(state.matches[0].route).toBe(dataRoutes[0]);
      expect(state.matches[1].route).toBe(dataRoutes[0].children[1]);
      expect(state.loaderData).toBe(ctxB.loaderData);
      for (const m of METHODS) {
        expect(
          thrown(() => (mine[m] as () => unknown)()),
          m,
        ).toEqual(thrown(() => (theirs[m] as () => unknown)()));
      }
      expect(mine.createHref).toBe(theirs.createHref);
      expect(mine.encodeLocation).toBe(theirs.encodeLocation);
      expect((mine.getFetcher as () => unknown)()).toBe((theirs.getFetcher as () => unknown)());
      expect((mine.getBlocker as () => unknown)()).toBe((theirs.getBlocker as () => unknown)());
      // Every name the library's router has, ours has too (its getters and methods on the prototype).
      for (const key of Object.keys(theirs)) expect(key in mine, key).toBe(true);
    });
  }

  it("renders the same markup through react-router's StaticRouterProvider", () => {
    const sharedRoutes = routes();
    const render = (make: typeof original) => {
      const ctx = context();
      const router = make(sharedRoutes, ctx, { future: { v7_partialHydration: true } });
      return renderToString(createElement(server.StaticRouterProvider as never, { router, context: ctx, hydrate: false }));
    };
    const html = render(original);
    expect(html).toContain("page");
    expect(render(ours)).toBe(html);
  });

  it("is what react-router-dom/server's createStaticRouter makes once installed, with no getter of its own", () => {
    installStaticRouter();
    const router = server.createStaticRouter(routes(), context(), {});
    const accessors = Object.entries(Object.getOwnPropertyDescriptors(router)).filter(([, d]) => d.get || d.set);
    expect(accessors.map(([k]) => k)).toEqual([]);
    expect((router.state as { loaderData: unknown }).loaderData).toEqual(context().loaderData);
  });
});
