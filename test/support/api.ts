import { createToken } from "~/modules/api/token.server";
import { getDb } from "~/utils/db.server";
import { BASE } from "./requests";

export type TokenRole = "nobody" | "admin" | "icbLead" | "partnerIcb" | "partnerPractice" | "practiceManager";

/** A token for the user with this email, made through the real service (as the account page does). */
export async function tokenFor(email: string, opts: { days?: number; ratePerMinute?: number; name?: string } = {}) {
  const db = getDb();
  const user = await db.selectFrom("app_user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  const t = await createToken(db, {
    actorId: user.id,
    ownerId: user.id,
    input: { name: opts.name ?? "test", days: opts.days ?? 30 },
    ratePerMinute: opts.ratePerMinute ?? 10_000,
  });
  return t.token;
}

/** A request as a script would send it: no cookie, a bearer token, JSON. */
export function apiRequest(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { Accept: "application/json", ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined && !h["Content-Type"]) h["Content-Type"] = "application/json";
  return new Request(`${BASE}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

type Route = { loader?: unknown; action?: unknown };

/** Calls an API route's loader (GET) or action (anything else) and reads the JSON it answers. */
export async function callApi(route: Route, request: Request, params: Record<string, string> = {}) {
  const fn = (request.method === "GET" ? route.loader : route.action) as (args: unknown) => Promise<Response>;
  const res = await fn({ request, params, context: {} });
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}
