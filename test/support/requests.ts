import { signIn } from "~/modules/auth/service.server";
import { getDb } from "~/utils/db.server";
import { commitSessionId, getOptionalUser } from "~/modules/auth/session.server";
import { TEST_PASSWORD } from "./factories";

export const BASE = "http://localhost:3000";

/** Signs in through the real service and returns the Cookie header a browser would send. */
export async function cookieFor(email: string): Promise<string> {
  const r = await signIn(getDb(), { email, password: TEST_PASSWORD, ip: "test", ttlHours: 1 });
  if (!r.ok) throw new Error(`sign-in failed for ${email}: ${r.message}`);
  return (await commitSessionId(r.sessionId)).split(";")[0];
}

/** Signs in each user in turn and returns their Cookie headers under the names given. */
export async function cookiesFor<K extends string>(emails: Record<K, string>): Promise<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const [k, email] of Object.entries(emails) as [K, string][]) out[k] = await cookieFor(email);
  return out;
}

export function get(path: string, cookie?: string) {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, fields: Record<string, string>, opts: { cookie?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (opts.cookie) headers.Cookie = opts.cookie;
  if (opts.origin !== null) headers.Origin = opts.origin ?? BASE;
  return new Request(`${BASE}${path}`, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
}

type Handler = (args: any) => unknown;

/** The data of a `json(...)` answer (a form failure answered 400, say), as the page would receive it; undefined otherwise. */
async function jsonBody(response: Response): Promise<any> {
  if (!response.headers.get("Content-Type")?.includes("application/json")) return undefined;
  return response.clone().json();
}

/** Calls a loader or action and reports what a browser would get: a status and, if any, data. */
export async function call(fn: Handler, request: Request, params: Record<string, string> = {}) {
  try {
    const result = await fn({ request, params, context: {} });
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location"), data: await jsonBody(result), response: result };
    return { status: 200, location: null, data: result as any, response: undefined };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, location: thrown.headers.get("Location"), data: undefined as any, response: thrown };
    throw thrown;
  }
}

/** The one-time message the next page shows this session (root's SuccessBanner), without taking it. */
export async function flashFor(cookie: string | undefined): Promise<string | null> {
  return (await getOptionalUser(get("/", cookie)))?.flash ?? null;
}

/** The notice the next page's own loader takes (redirectWithNotice), without taking it: its kind, path and detail. */
export async function noticeFor(
  cookie: string | undefined,
): Promise<{ notice: string; path: string; detail: Record<string, unknown> } | null> {
  const flash = await flashFor(cookie);
  return flash?.startsWith("{") ? JSON.parse(flash) : null;
}
