/**
 * The production server's remembering route matcher (scripts/server/route-matching.ts) must answer
 * exactly as @remix-run/router's own matchRoutes does, for every route of this app.
 */
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createCachedMatchRoutes } from "../../scripts/server/route-matching";

const require = createRequire(import.meta.url);
const router = require("@remix-run/router") as Parameters<typeof createCachedMatchRoutes>[0];
const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
  flatRoutes(appDir: string): Record<string, { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean }>;
};

interface Route {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: Route[];
}

/** The app's route tree as Remix builds it: root (path "") and the flat routes under it. */
function appRoutes(): Route[] {
  type Entry = { id: string; parentId?: string; path?: string; index?: boolean };
  const manifest: Record<string, Entry> = { root: { id: "root", path: "" }, ...flatRoutes(path.resolve(import.meta.dirname, "../../app")) };
  const build = (parentId: string | undefined): Route[] =>
    Object.values(manifest)
      .filter((r) => r.parentId === parentId)
      .map((r) => {
        const children = build(r.id);
        return { id: r.id, path: r.path, index: r.index, ...(children.length ? { children } : {}) };
      });
  return build(undefined);
}

/** A few concrete paths for each route: its pattern filled in, with variations, and its parents. */
function samplePaths(routes: Route[]): string[] {
  const out = new Set<string>([
    "/",
    "",
    "/nothing/here",
    "/practices/A%2FB/compliance",
    "/practices/%E0%A4%A/x",
    "/PRACTICES/a81001",
    "//icbs//QOP//",
  ]);
  const walk = (rs: Route[], prefix: string) => {
    for (const r of rs) {
      const full = [prefix, r.path ?? ""].filter(Boolean).join("/");
      const filled = full
        .split("/")
        .map((s) => (s === "*" ? "some/where" : s.startsWith(":") ? "A81001" : s.replace(/\?$/, "")))
        .join("/");
      const p = `/${filled}`.replace(/\/+/g, "/");
      out.add(p).add(`${p}/`).add(`${p}/extra`).add(p.toUpperCase()).add(p.replace("A81001", "Q%20P"));
      const segments = p.split("/").filter(Boolean);
      while (segments.pop() !== undefined) out.add(`/${segments.join("/")}`);
      if (r.children) walk(r.children, full);
    }
  };
  walk(routes, "");
  return [...out];
}

const clone = (rs: Route[]): Route[] => rs.map((r) => ({ ...r, ...(r.children ? { children: clone(r.children) } : {}) }));

describe("the remembering route matcher", () => {
  const original = router.matchRoutes;
  const cached = createCachedMatchRoutes(router);
  const routes = appRoutes();
  const paths = samplePaths(routes);

  it("finds the app's routes", () => {
    expect(routes.length).toBe(1);
    expect(paths.length).toBeGreaterThan(300);
  });

  it("matches every sample path as the library does, route objects included", () => {
    let matched = 0;
    for (const p of paths) {
      const want = original(routes, p);
      // The first call is answered by the library, the second from what was kept.
      for (const got of [cached(routes, p), cached(routes, p)]) {
        expect(got, p).toEqual(want);
        want?.forEach((m, i) => expect(got![i].route).toBe(m.route));
        // As the library's, every match of one answer shares one params object.
        got?.forEach((m) => expect(m.params).toBe(got[0].params));
      }
      if (want) matched++;
    }
    expect(matched).toBeGreaterThan(200);
  });

  it("answers from the tree it is given when another of the same shape was seen first", () => {
    const other = clone(routes);
    for (const p of paths.slice(0, 80)) {
      const want = original(other, p);
      const got = cached(other, p);
      expect(got, p).toEqual(want);
      want?.forEach((m, i) => expect(got![i].route).toBe(m.route));
    }
  });

  it("tells trees of different shapes apart, and honours a basename and location objects", () => {
    const small: Route[] = [
      {
        id: "r",
        path: "",
        children: [
          { id: "a", path: "a/:x?" },
          { id: "b", path: "b/*", caseSensitive: true },
        ],
      },
    ];
    for (const p of ["/a", "/a/1", "/b/c/d", "/B/c", "/", "/c"]) {
      expect(cached(small, p), p).toEqual(original(small, p));
      expect(cached(small, { pathname: `/base${p}` }, "/base"), p).toEqual(original(small, { pathname: `/base${p}` }, "/base"));
    }
    expect(cached(small, "/x", "/base")).toBeNull();
    expect(cached(routes, "/practices/A81001")).toEqual(original(routes, "/practices/A81001"));
  });

  it("keeps nothing a caller changes", () => {
    const first = cached(routes, "/practices/F84003/compliance")!;
    first[0].params.ods = "CHANGED";
    first[0].pathname = "/changed";
    expect(cached(routes, "/practices/F84003/compliance")).toEqual(original(routes, "/practices/F84003/compliance"));
  });

  it("keeps only a number per tree object, never anything that leads back to the routes", () => {
    // V8's young-generation collector treats a WeakMap's values as strong: a value that reached
    // the request's route objects (which lead back to the key) was never dropped there, and every
    // request's routes and what they lead to went into the old generation (docs/performance.md,
    // session 15, "what each request leaves behind").
    const stored: unknown[] = [];
    const RealWeakMap = globalThis.WeakMap;
    globalThis.WeakMap = class<K extends WeakKey, V> extends RealWeakMap<K, V> {
      set(key: K, value: V) {
        stored.push(value);
        return super.set(key, value);
      }
    };
    let matcher: ReturnType<typeof createCachedMatchRoutes>;
    try {
      matcher = createCachedMatchRoutes(router);
    } finally {
      globalThis.WeakMap = RealWeakMap;
    }
    for (let i = 0; i < 3; i++) {
      const tree = appRoutes();
      for (const p of ["/practices/F84003/compliance", "/practices/A81001", "/nowhere/at/all"])
        expect(matcher(tree, p)).toEqual(original(tree, p));
    }
    expect(stored.length).toBeGreaterThan(0);
    for (const value of stored) expect(typeof value).toBe("number");
  });

  it("rejects an invalid tree as the library does", () => {
    const bad: Route[] = [{ id: "r", path: "one", children: [{ id: "c", path: "/two" }] }];
    expect(() => original(bad, "/")).toThrow();
    expect(() => cached(bad, "/")).toThrow();
  });
});
