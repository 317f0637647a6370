import { createCookie, redirect } from "@remix-run/node";
import { getSessionUser, type SessionUser } from "./service.server";
import { getDb } from "~/utils/db.server";
import { getEnv, type Env } from "~/utils/env.server";

/**
 * One cookie object for as long as the environment it was made from: `createCookie` returns an
 * object with getters, which V8 allocates in the old generation, so making one for every request
 * left old objects behind each request for a full collection to free (docs/performance.md,
 * session 16, "getters made per request").
 */
let made: { env: Env; cookie: ReturnType<typeof createCookie> } | undefined;

function sessionCookie() {
  const env = getEnv();
  if (made?.env !== env) made = { env, cookie: newSessionCookie(env) };
  return made.cookie;
}

function newSessionCookie(env: Env) {
  return createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.NODE_ENV === "production",
    secrets: [env.SESSION_SECRET],
    maxAge: env.SESSION_TTL_HOURS * 3600,
  });
}

export async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export const commitSessionId = (id: string) => sessionCookie().serialize(id);
export const clearSessionCookie = () => sessionCookie().serialize("", { maxAge: 0 });

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  const id = await readSessionId(request);
  return id ? getSessionUser(getDb(), id) : null;
}

/** Signed-in user or a redirect to sign-in that brings them back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

export { clientAddress } from "~/utils/client-address.server";
