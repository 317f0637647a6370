import { createElement, type ReactNode } from "react";

/** What a route's component reads through Remix's hooks when a test renders it: set before each render. */
export interface RenderState {
  loaderData: unknown;
  location: { pathname: string; search: string };
}

type P = { to?: string; children?: ReactNode; className?: unknown; end?: boolean; [k: string]: unknown };
// NavLink's className may be a function of its state: rendered as not active.
const cls = (c: unknown) => (typeof c === "function" ? c({ isActive: false }) : c);

/**
 * `@remix-run/react` for rendering a route's component with renderToStaticMarkup from its real
 * loader data: the router hooks answer from `state`, and links and forms are plain elements. For
 * `vi.mock("@remix-run/react", async (importOriginal) => remixForRender(await importOriginal(), state))`
 * with `state` made by `vi.hoisted`, so the factory can see it.
 */
export function remixForRender<T extends object>(actual: T, state: RenderState) {
  return {
    ...actual,
    useLoaderData: () => state.loaderData,
    useLocation: () => state.location,
    useNavigation: () => ({ state: "idle" }),
    Link: ({ to, children, className, ...p }: P) => createElement("a", { href: to, className: cls(className), ...p }, children),
    NavLink: ({ to, children, className, end: _end, ...p }: P) =>
      createElement("a", { href: to, className: cls(className), ...p }, children),
    Form: ({ children, method, action, ...p }: P) => createElement("form", { method, action, ...p }, children),
  };
}
