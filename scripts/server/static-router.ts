/**
 * React-router's `createStaticRouter` (react-router-dom/server), which Remix's `RemixServer` calls
 * for every page it renders, without an object literal of getters.
 *
 * Why: the library returns `{ get state() {…}, get routes() {…}, … }`, a new literal for every
 * request whose getters are closures over the request's data (the static handler's context with
 * every loader's data, the routes built for the request, the matches). V8 keeps a getter and
 * setter in an AccessorPair that it allocates in the old generation, so each request left old
 * objects pointing at its young closures; the young-generation collector treats every old object
 * as alive, so the closures and all they reach (the request's loader data, routes, rendering
 * state) were kept past two scavenges, copied into the old generation, and freed only by a full
 * collection (docs/performance.md, session 16, "getters made per request").
 *
 * Here the router is an instance of a class whose getters live once on its prototype; they answer
 * exactly as the library's (a fresh `state` and `future` on every read), and the methods throw the
 * library's messages. `createHref` and `encodeLocation` are the library's own functions, taken from
 * one router it makes at install. test/unit/static-router.test.ts compares the two.
 *
 * `installStaticRouter()` replaces the `createStaticRouter` export of the one react-router-dom/server
 * module instance, which @remix-run/react's server entry calls through the module object
 * (`server.createStaticRouter(...)`), as route-matching.ts does for `matchRoutes`.
 */
import { createRequire } from "node:module";

interface RouteLike {
  id?: string;
  children?: RouteLike[];
}

interface MatchLike {
  route: RouteLike;
}

/** The parts of the static handler's context the router reads (react-router's StaticHandlerContext). */
interface StaticContext {
  basename: string;
  location: unknown;
  matches: MatchLike[];
  loaderData: unknown;
  actionData: unknown;
  errors: unknown;
}

interface StaticRouterOptions {
  future?: { v7_partialHydration?: boolean; v7_relativeSplatPath?: boolean };
}

type CreateStaticRouter = (routes: RouteLike[], context: StaticContext, opts?: StaticRouterOptions) => object;

export interface RouterLibraries {
  /** @remix-run/router */
  router: {
    UNSAFE_convertRoutesToDataRoutes(
      routes: RouteLike[],
      mapRouteProperties: unknown,
      parentPath: undefined,
      manifest: Record<string, RouteLike>,
    ): RouteLike[];
    Action: { Pop: string };
    IDLE_NAVIGATION: unknown;
    IDLE_FETCHER: unknown;
    IDLE_BLOCKER: unknown;
  };
  /** react-router */
  reactRouter: { UNSAFE_mapRouteProperties: unknown };
  /** react-router-dom/server */
  server: { createStaticRouter: CreateStaticRouter };
}

const msg = (method: string) => `You cannot use router.${method}() on the server because it is a stateless environment`;

/** A `createStaticRouter` answering as `libs.server.createStaticRouter` (the library's, as given). */
export function createStaticRouterWithoutGetters(libs: RouterLibraries, original: CreateStaticRouter): CreateStaticRouter {
  const { router, reactRouter } = libs;
  // The library's module-level createHref and encodeLocation (not exported): from one router of its own.
  const sample = original([], { basename: "/", location: {}, matches: [], loaderData: {}, actionData: null, errors: null }) as {
    createHref: unknown;
    encodeLocation: unknown;
  };
  const { createHref, encodeLocation } = sample;

  class StaticRouter {
    readonly #context: StaticContext;
    readonly #routes: RouteLike[];
    readonly #matches: MatchLike[];
    readonly #opts: StaticRouterOptions;
    readonly createHref = createHref;
    readonly encodeLocation = encodeLocation;
    readonly _internalFetchControllers = new Map();
    readonly _internalActiveDeferreds = new Map();

    constructor(context: StaticContext, routes: RouteLike[], matches: MatchLike[], opts: StaticRouterOptions) {
      this.#context = context;
      this.#routes = routes;
      this.#matches = matches;
      this.#opts = opts;
    }

    get basename() {
      return this.#context.basename;
    }
    get future() {
      return {
        v7_fetcherPersist: false,
        v7_normalizeFormMethod: false,
        v7_partialHydration: this.#opts.future?.v7_partialHydration === true,
        v7_prependBasename: false,
        v7_relativeSplatPath: this.#opts.future?.v7_relativeSplatPath === true,
        v7_skipActionErrorRevalidation: false,
      };
    }
    get state() {
      const context = this.#context;
      return {
        historyAction: router.Action.Pop,
        location: context.location,
        matches: this.#matches,
        loaderData: context.loaderData,
        actionData: context.actionData,
        errors: context.errors,
        initialized: true,
        navigation: router.IDLE_NAVIGATION,
        restoreScrollPosition: null,
        preventScrollReset: false,
        revalidation: "idle",
        fetchers: new Map(),
        blockers: new Map(),
      };
    }
    get routes() {
      return this.#routes;
    }
    get window() {
      return undefined;
    }
    initialize(): never {
      throw msg("initialize");
    }
    subscribe(): never {
      throw msg("subscribe");
    }
    enableScrollRestoration(): never {
      throw msg("enableScrollRestoration");
    }
    navigate(): never {
      throw msg("navigate");
    }
    fetch(): never {
      throw msg("fetch");
    }
    revalidate(): never {
      throw msg("revalidate");
    }
    getFetcher() {
      return router.IDLE_FETCHER;
    }
    deleteFetcher(): never {
      throw msg("deleteFetcher");
    }
    dispose(): never {
      throw msg("dispose");
    }
    getBlocker() {
      return router.IDLE_BLOCKER;
    }
    deleteBlocker(): never {
      throw msg("deleteBlocker");
    }
    patchRoutes(): never {
      throw msg("patchRoutes");
    }
    _internalSetRoutes(): never {
      throw msg("_internalSetRoutes");
    }
  }

  return (routes, context, opts = {}) => {
    // As the library: data routes built from the routes given, and the context's matches pointed at them.
    const manifest: Record<string, RouteLike> = {};
    const dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);
    const matches = context.matches.map((match) => ({ ...match, route: manifest[match.route.id as string] || match.route }));
    return new StaticRouter(context, dataRoutes, matches, opts);
  };
}

/** The three module instances @remix-run/react's server entry uses. */
export function routerLibraries(): RouterLibraries {
  const require = createRequire(import.meta.url);
  return {
    router: require("@remix-run/router") as RouterLibraries["router"],
    reactRouter: require("react-router") as RouterLibraries["reactRouter"],
    server: require("react-router-dom/server") as RouterLibraries["server"],
  };
}

let installed = false;

/** Puts the router without getters in place of react-router-dom/server's `createStaticRouter` for this process. */
export function installStaticRouter() {
  if (installed) return;
  const libs = routerLibraries();
  libs.server.createStaticRouter = createStaticRouterWithoutGetters(libs, libs.server.createStaticRouter);
  installed = true;
}
