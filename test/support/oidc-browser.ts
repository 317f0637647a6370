/**
 * A browser, as far as single sign-on needs one: a cookie jar per site, redirects followed by
 * hand, and the local provider's sign-in and consent forms filled in. The app's side is called
 * through its real loaders and actions (test/support/requests.ts); the provider is a real
 * oidc-provider over HTTP (scripts/dev-idp).
 */
import { BASE, call as callRoute } from "./requests";

/** call() from ./requests, with a json() Response's body read into `data` as a browser would see it. */
export async function call(...args: Parameters<typeof callRoute>) {
  const r = await callRoute(...args);
  if (r.response && r.data === undefined && r.response.headers.get("Content-Type")?.includes("json"))
    r.data = await r.response.clone().json();
  return r;
}

export class CookieJar {
  private cookies = new Map<string, string>();
  store(setCookies: string[]) {
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split("=")[1]).getTime() < Date.now()),
      );
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string) {
    return this.cookies.get(name);
  }
}

/** Set-Cookie headers of a Response, one per cookie. */
export const setCookies = (res: Response | undefined) => res?.headers.getSetCookie() ?? [];

const formAction = (html: string, pattern: RegExp) =>
  pattern.exec(html)?.[1]?.replace(/&#(\d+);/g, (_m, n) => String.fromCharCode(Number(n)));

/**
 * Follows the provider's redirects from `url`, signing in as `login` and giving consent when
 * asked, until the provider sends the browser back to the app; returns that app URL.
 */
export async function throughProvider(url: string, jar: CookieJar, login: string, password: string): Promise<string> {
  let next: { url: string; method: "GET" | "POST"; body?: string } = { url, method: "GET" };
  for (let hops = 0; hops < 20; hops++) {
    if (next.url.startsWith(BASE)) return next.url;
    const res = await fetch(next.url, {
      method: next.method,
      redirect: "manual",
      headers: { Cookie: jar.header(), ...(next.body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
      body: next.body,
    });
    jar.store(res.headers.getSetCookie());
    if (res.status >= 300 && res.status < 400) {
      next = { url: new URL(res.headers.get("Location")!, next.url).toString(), method: "GET" };
      continue;
    }
    const html = await res.text();
    const loginAction = formAction(html, /action="(\/interaction\/[^"]+\/login)"/);
    const confirmAction = formAction(html, /action="(\/interaction\/[^"]+\/confirm)"/);
    if (res.status === 200 && loginAction && !html.includes('id="error"')) {
      next = { url: new URL(loginAction, next.url).toString(), method: "POST", body: new URLSearchParams({ login, password }).toString() };
    } else if (res.status === 200 && confirmAction) {
      next = { url: new URL(confirmAction, next.url).toString(), method: "POST", body: "" };
    } else {
      throw new Error(`provider answered ${res.status} at ${next.url}: ${html.slice(0, 500)}`);
    }
  }
  throw new Error("too many redirects at the provider");
}

/**
 * Signs in through the app's /auth/oidc and the provider, and calls the app's callback loader
 * with the cookies this browser holds. `tamper` may change the callback URL on the way back.
 */
export async function ssoSignIn(
  routes: { start: { loader: unknown }; callback: { loader: unknown } },
  opts: {
    login: string;
    password: string;
    appJar?: CookieJar;
    idpJar?: CookieJar;
    redirectTo?: string;
    tamper?: (u: URL) => void;
    ip?: string;
  },
) {
  const appJar = opts.appJar ?? new CookieJar();
  const idpJar = opts.idpJar ?? new CookieJar();
  const start = await call(
    routes.start.loader as never,
    new Request(`${BASE}/auth/oidc?redirectTo=${encodeURIComponent(opts.redirectTo ?? "/")}`, { headers: { Cookie: appJar.header() } }),
  );
  if (start.status !== 302) throw new Error(`/auth/oidc answered ${start.status}`);
  appJar.store(setCookies(start.response));
  const back = new URL(await throughProvider(start.location!, idpJar, opts.login, opts.password));
  opts.tamper?.(back);
  const headers: Record<string, string> = { Cookie: appJar.header() };
  if (opts.ip) headers["x-estate-peer-address"] = opts.ip;
  const result = await call(routes.callback.loader as never, new Request(back.toString(), { headers }));
  appJar.store(setCookies(result.response));
  return { result, appJar, idpJar, authorizationUrl: start.location!, callbackUrl: back };
}
