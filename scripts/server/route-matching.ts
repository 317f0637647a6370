/**
 * Route matching that remembers its answers between requests.
 *
 * Why: @remix-run/router 1.x's `matchRoutes` flattens the whole route tree (121 routes), ranks
 * every branch and compiles a regular expression for each path segment it tries, on every call,
 * and a document request calls it five to seven times: once to find the request's routes
 * (server-runtime), once while rendering (react-router's static router), and once for the path
 * and each of its parents in Remix's lazy route discovery (`getPartialManifest`). Profiled under
 * 50 users on the national dataset that was 14% of a server process's CPU (docs/performance.md,
 * session 11).
 *
 * The answer depends only on the tree's shape (each route's path, index and case flags and the
 * order of its children), the basename and the path. So the library's own function answers each
 * (shape, basename, path) once, and the answer is kept as places in the tree (the child index at
 * each level) with its params and pathnames; a later call, on this tree or another of the same
 * shape, is answered from the places with that tree's own route objects. Nothing of the
 * library's matching is rewritten here: a new path is always matched by the library itself.
 *
 * `installRouteMatchingCache()` replaces the `matchRoutes` export of the one @remix-run/router
 * module instance, which Remix's server runtime, its lazy route discovery and react-router all
 * call through the module object (`router.matchRoutes(...)`). The router's own internal calls
 * are untouched. test/unit/route-matching.test.ts compares the answers with the library's on
 * every route of the app.
 */
import { createRequire } from "node:module";

interface RouteLike {
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children?: RouteLike[];
}

type Params = Record<string, string | undefined>;

interface RouteMatch {
  params: Params;
  pathname: string;
  pathnameBase: string;
  route: RouteLike;
}

type MatchRoutes = (routes: RouteLike[], location: string | { pathname?: string }, basename?: string) => RouteMatch[] | null;

interface RouterModule {
  matchRoutes: MatchRoutes;
  parsePath(path: string): { pathname?: string };
}

/** A route's place in its tree: its index among its siblings at each level, from the top. */
type Place = number[];

/** A kept answer: null (no route matches) or each match's place and pathnames, and the params. */
type Kept = null | { params: Params; matches: { place: Place; pathname: string; pathnameBase: string }[] };

/** Paths kept per process; a new one past this drops the oldest. */
const MAX_KEPT = 2_000;

export function createCachedMatchRoutes(router: RouterModule): MatchRoutes {
  const original = router.matchRoutes;
  const shapeIds = new Map<string, number>();
  // Only a number per tree object. React-router's static router builds a new tree for every
  // request; a value that reached the request's route objects (as a map of their places did)
  // is held by the young-generation collector, which treats a WeakMap's values as strong, and
  // since those objects lead back to the key, the entry was never dropped there: each request's
  // routes, and the loader data and rendering state they lead to, went into the old generation
  // for a full collection to free (docs/performance.md, session 15, "what each request leaves
  // behind").
  const shapeOfTree = new WeakMap<RouteLike[], number>();
  const kept = new Map<string, Kept>();

  /** Small number standing for the tree's shape, so keys stay short; worked out once per tree object. */
  function shapeOf(routes: RouteLike[]): number {
    let shapeId = shapeOfTree.get(routes);
    if (shapeId !== undefined) return shapeId;
    const describe = (rs: RouteLike[]): string =>
      rs
        .map((r) => {
          const path = r.path === undefined ? "\u0001" : r.path;
          return `${JSON.stringify(path)}${r.index ? "i" : ""}${r.caseSensitive === true ? "c" : ""}(${r.children ? describe(r.children) : ""})`;
        })
        .join(",");
    const shape = describe(routes);
    shapeId = shapeIds.get(shape);
    if (shapeId === undefined) {
      shapeId = shapeIds.size;
      shapeIds.set(shape, shapeId);
    }
    shapeOfTree.set(routes, shapeId);
    return shapeId;
  }

  /** Where each route sits in the tree: needed only for a path not matched before. */
  function placesOf(routes: RouteLike[]): Map<RouteLike, Place> {
    const places = new Map<RouteLike, Place>();
    const walk = (rs: RouteLike[], parent: Place) =>
      rs.forEach((r, i) => {
        const place = [...parent, i];
        places.set(r, place);
        if (r.children) walk(r.children, place);
      });
    walk(routes, []);
    return places;
  }

  function routeAt(routes: RouteLike[], place: Place): RouteLike {
    let siblings = routes;
    let route = routes[place[0]];
    for (const i of place) {
      route = siblings[i];
      siblings = route.children ?? [];
    }
    return route;
  }

  return (routes, location, basename = "/") => {
    const shapeId = shapeOf(routes);
    const pathname = typeof location === "string" ? router.parsePath(location).pathname : location.pathname;
    const key = `${shapeId}\u0000${basename}\u0000${pathname ?? ""}`;
    const hit = kept.get(key);
    if (hit === null) return null;
    if (hit) {
      // As the library does, every match shares one params object; a fresh one each time, so a
      // caller that changes it changes nothing kept.
      const params = { ...hit.params };
      return hit.matches.map((m) => ({ params, pathname: m.pathname, pathnameBase: m.pathnameBase, route: routeAt(routes, m.place) }));
    }
    const answer = original(routes, location, basename);
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    const places = answer && placesOf(routes);
    kept.set(
      key,
      answer && {
        params: { ...answer[answer.length - 1].params },
        matches: answer.map((m) => ({ place: places!.get(m.route)!, pathname: m.pathname, pathnameBase: m.pathnameBase })),
      },
    );
    return answer;
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
