/**
 * Route matching that keeps its work between requests.
 *
 * Why: @remix-run/router 1.x's `matchRoutes` flattens the whole route tree (121 routes), sorts the
 * branches by rank and compiles a regular expression for every path segment it tries, on every
 * call, and a document request calls it five to seven times: once to find the request's routes
 * (server-runtime), once while rendering (react-router's static router), and once for the path
 * and each of its parents in Remix's lazy route discovery (`getPartialManifest`, which sends the
 * page's part of the route manifest). Profiled under 50 users on the national dataset that was
 * 14% of a server process's CPU (docs/performance.md, session 11). None of that work depends on
 * the URL: the ranked branches depend only on the shape of the route tree, and a segment's
 * expression only on its path. This module keeps both and matches exactly as the library does.
 *
 * `installRouteMatchingCache()` replaces the `matchRoutes` export of the one @remix-run/router
 * module instance, which Remix's server runtime, its lazy route discovery and react-router all
 * call through the module object (`router.matchRoutes(...)`) — so those callers use it. The
 * router's own internal calls are untouched. The matching below follows router.cjs.js 1.23
 * (MIT, Remix Software Inc.) line for line; test/unit/route-matching.test.ts compares it with the
 * library's own function on every route of the app and on paths that match nothing.
 */
import { createRequire } from "node:module";

interface RouteLike {
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}

interface RouteMatch {
  params: Record<string, string | undefined>;
  pathname: string;
  pathnameBase: string;
  route: RouteLike;
}

type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => RouteMatch[] | null;

interface RouterModule {
  matchRoutes: MatchRoutes;
  parsePath(path: string): { pathname?: string };
  stripBasename(pathname: string, basename: string): string | null;
  joinPaths(paths: string[]): string;
  normalizePathname(pathname: string): string;
}

interface Meta {
  relativePath: string;
  caseSensitive: boolean;
  /** Index among its parent's children: how the route object is found again in another tree of the same shape. */
  childrenIndex: number;
}

interface Branch {
  path: string;
  score: number;
  metas: Meta[];
}

type Compiled = [RegExp, { paramName: string; isOptional?: boolean }[]];

const paramRe = /^:[\w-]+$/;
const isSplat = (s: string) => s === "*";

function computeScore(path: string, index: boolean | undefined): number {
  const segments = path.split("/");
  let initialScore = segments.length;
  if (segments.some(isSplat)) initialScore += -2;
  if (index) initialScore += 2;
  return segments
    .filter((s) => !isSplat(s))
    .reduce((score, segment) => score + (paramRe.test(segment) ? 3 : segment === "" ? 1 : 10), initialScore);
}

function explodeOptionalSegments(path: string): string[] {
  const segments = path.split("/");
  if (segments.length === 0) return [];
  const [first, ...rest] = segments;
  const isOptional = first.endsWith("?");
  const required = first.replace(/\?$/, "");
  if (rest.length === 0) return isOptional ? [required, ""] : [required];
  const restExploded = explodeOptionalSegments(rest.join("/"));
  const result: string[] = [];
  result.push(...restExploded.map((subpath) => (subpath === "" ? required : [required, subpath].join("/"))));
  if (isOptional) result.push(...restExploded);
  return result.map((exploded) => (path.startsWith("/") && exploded === "" ? "/" : exploded));
}

function compareIndexes(a: number[], b: number[]): number {
  const siblings = a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);
  return siblings ? a[a.length - 1] - b[b.length - 1] : 0;
}

export function createCachedMatchRoutes(router: RouterModule): MatchRoutes {
  const original = router.matchRoutes;
  const { joinPaths, normalizePathname, parsePath, stripBasename } = router;

  function flatten(routes: RouteLike[], branches: Branch[] = [], parents: Meta[] = [], parentPath = ""): Branch[] {
    const flattenRoute = (route: RouteLike, index: number, relativePath?: string) => {
      const meta: Meta = {
        relativePath: relativePath === undefined ? route.path || "" : relativePath,
        caseSensitive: route.caseSensitive === true,
        childrenIndex: index,
      };
      // The library checks this (and throws) when the tree is first seen: see shapeOf's caller.
      if (meta.relativePath.startsWith("/")) meta.relativePath = meta.relativePath.slice(parentPath.length);
      const path = joinPaths([parentPath, meta.relativePath]);
      const metas = parents.concat(meta);
      if (route.children && route.children.length > 0) flatten(route.children, branches, metas, path);
      if (route.path == null && !route.index) return;
      branches.push({ path, score: computeScore(path, route.index), metas });
    };
    routes.forEach((route, index) => {
      if (route.path === "" || !route.path?.includes("?")) flattenRoute(route, index);
      else for (const exploded of explodeOptionalSegments(route.path)) flattenRoute(route, index, exploded);
    });
    return branches;
  }

  /** What ranking depends on: paths, index and case flags, and the order of children. */
  const shapes = new WeakMap<RouteLike[], string>();
  function shapeOf(routes: RouteLike[]): string {
    let shape = shapes.get(routes);
    if (shape === undefined) {
      shape = routes
        .map(
          (r) =>
            `${r.path === undefined ? "\u0001" : r.path}\u0002${r.index ? 1 : 0}${r.caseSensitive === true ? 1 : 0}(${r.children ? shapeOf(r.children) : ""})`,
        )
        .join(",");
      shapes.set(routes, shape);
    }
    return shape;
  }

  const ranked = new Map<string, Branch[]>();
  function branchesOf(routes: RouteLike[]): Branch[] {
    const shape = shapeOf(routes);
    let branches = ranked.get(shape);
    if (!branches) {
      // The library's own pass over a new tree, for its checks (it throws on an invalid tree).
      original(routes, "/");
      branches = flatten(routes);
      branches.sort((a, b) =>
        a.score !== b.score
          ? b.score - a.score
          : compareIndexes(
              a.metas.map((m) => m.childrenIndex),
              b.metas.map((m) => m.childrenIndex),
            ),
      );
      // A handful of trees in a process (the server's and the renderer's have the same shape).
      if (ranked.size >= 16) ranked.clear();
      ranked.set(shape, branches);
    }
    return branches;
  }

  const compiledPaths = new Map<string, Compiled>();
  function compilePath(path: string, caseSensitive: boolean, end: boolean): Compiled {
    const key = `${caseSensitive ? 1 : 0}${end ? 1 : 0}${path}`;
    let compiled = compiledPaths.get(key);
    if (compiled) return compiled;
    const params: Compiled[1] = [];
    let regexpSource =
      "^" +
      path
        .replace(/\/*\*?$/, "")
        .replace(/^\/*/, "/")
        .replace(/[\\.*+^${}|()[\]]/g, "\\$&")
        .replace(/\/:([\w-]+)(\?)?/g, (_: string, paramName: string, isOptional: string | undefined) => {
          params.push({ paramName, isOptional: isOptional != null });
          return isOptional ? "/?([^\\/]+)?" : "/([^\\/]+)";
        });
    if (path.endsWith("*")) {
      params.push({ paramName: "*" });
      regexpSource += path === "*" || path === "/*" ? "(.*)$" : "(?:\\/(.+)|\\/*)$";
    } else if (end) {
      regexpSource += "\\/*$";
    } else if (path !== "" && path !== "/") {
      regexpSource += "(?:(?=\\/|$))";
    }
    compiled = [new RegExp(regexpSource, caseSensitive ? undefined : "i"), params];
    if (compiledPaths.size >= 4096) compiledPaths.clear();
    compiledPaths.set(key, compiled);
    return compiled;
  }

  function matchPath(meta: Meta, end: boolean, pathname: string) {
    const [matcher, compiledParams] = compilePath(meta.relativePath, meta.caseSensitive, end);
    const match = pathname.match(matcher);
    if (!match) return null;
    const matchedPathname = match[0];
    let pathnameBase = matchedPathname.replace(/(.)\/+$/, "$1");
    const captureGroups = match.slice(1);
    const params: Record<string, string | undefined> = {};
    compiledParams.forEach(({ paramName, isOptional }, index) => {
      if (paramName === "*") {
        const splatValue = captureGroups[index] || "";
        pathnameBase = matchedPathname.slice(0, matchedPathname.length - splatValue.length).replace(/(.)\/+$/, "$1");
      }
      const value = captureGroups[index];
      params[paramName] = isOptional && !value ? undefined : (value || "").replace(/%2F/g, "/");
    });
    return { params, pathname: matchedPathname, pathnameBase };
  }

  function matchBranch(branch: Branch, routes: RouteLike[], pathname: string): RouteMatch[] | null {
    const matchedParams: Record<string, string | undefined> = {};
    let matchedPathname = "/";
    const matches: RouteMatch[] = [];
    let siblings: RouteLike[] = routes;
    for (let i = 0; i < branch.metas.length; ++i) {
      const meta = branch.metas[i];
      const end = i === branch.metas.length - 1;
      const remainingPathname = matchedPathname === "/" ? pathname : pathname.slice(matchedPathname.length) || "/";
      const match = matchPath(meta, end, remainingPathname);
      if (!match) return null;
      const route = siblings[meta.childrenIndex];
      siblings = route.children ?? [];
      Object.assign(matchedParams, match.params);
      matches.push({
        params: matchedParams,
        pathname: joinPaths([matchedPathname, match.pathname]),
        pathnameBase: normalizePathname(joinPaths([matchedPathname, match.pathnameBase])),
        route,
      });
      if (match.pathnameBase !== "/") matchedPathname = joinPaths([matchedPathname, match.pathnameBase]);
    }
    return matches;
  }

  function decodePath(value: string): string {
    try {
      return value
        .split("/")
        .map((v) => decodeURIComponent(v).replace(/\//g, "%2F"))
        .join("/");
    } catch {
      return value;
    }
  }

  return (routes, locationArg, basename = "/") => {
    const location = typeof locationArg === "string" ? parsePath(locationArg) : locationArg;
    const pathname = stripBasename(location.pathname || "/", basename);
    if (pathname == null) return null;
    const branches = branchesOf(routes);
    const decoded = decodePath(pathname);
    let matches: RouteMatch[] | null = null;
    for (let i = 0; matches == null && i < branches.length; ++i) matches = matchBranch(branches[i], routes, decoded);
    return matches;
  };
}

let installed = false;

/** Puts the keeping matcher in place of @remix-run/router's `matchRoutes` for this process. */
export function installRouteMatchingCache() {
  if (installed) return;
  const router = createRequire(import.meta.url)("@remix-run/router") as RouterModule;
  router.matchRoutes = createCachedMatchRoutes(router);
  installed = true;
}
