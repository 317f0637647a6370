import type { SessionUser } from "./service.server";
import { forbidden } from "~/utils/errors";
import { scopeFor, scopeIsEmpty, type Permission, type Scope } from "~/utils/permissions";
import { requireUser } from "./session.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests that a browser says came from another origin. The session
 * cookie is SameSite=Lax as well; this covers same-site but cross-origin pages and old browsers.
 */
export function assertSameOrigin(request: Request) {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const expected = new URL(request.url).host;
  const origin = request.headers.get("origin");
  const referer = request.headers.get("referer");
  const source = origin && origin !== "null" ? origin : referer;
  if (origin === "null") throw forbidden("This request came from another site and was refused.");
  if (!source) return; // Not a browser form post (no Origin or Referer): nothing to compare.
  let host: string;
  try {
    host = new URL(source).host;
  } catch {
    throw forbidden("This request came from another site and was refused.");
  }
  if (host !== expected) throw forbidden("This request came from another site and was refused.");
}

export interface Authorised {
  user: SessionUser;
  scope: Scope;
}

/**
 * The first call in every loader and action: signed in, same origin for changes, and holding the
 * permission somewhere. Callers then narrow to a record with the returned scope.
 */
export async function requirePermission(request: Request, permission: Permission): Promise<Authorised> {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const scope = scopeFor(user.memberships, permission);
  if (scopeIsEmpty(scope)) throw forbidden();
  return { user, scope };
}
