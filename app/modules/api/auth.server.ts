import type { SessionUser } from "~/modules/auth/service.server";
import { findPracticeKey } from "~/modules/org/repository.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { getDb } from "~/utils/db.server";
import { scopeCoversPractice, scopeFor, scopeIsEmpty, type Permission, type Scope } from "~/utils/permissions";
import { ApiProblem } from "./problem";
import { hashToken, TOKEN_PREFIX } from "./token.server";
import * as repo from "./token-repository.server";

/**
 * Bearer-token authentication for /api/v1. Cookies are never read here: an API call carries
 * its credential in the Authorization header, which a browser never adds by itself, so there
 * is nothing for another site to forge and no CSRF check to make.
 */

export interface ApiAuth {
  user: SessionUser;
  tokenId: number;
  tokenName: string;
}

const UNAUTHENTICATED = { headers: { "WWW-Authenticate": 'Bearer realm="api"' } };

/** Tests move the clock; production uses the real one. */
let clock = () => new Date();
export const setApiClock = (fn: (() => Date) | null) => {
  clock = fn ?? (() => new Date());
};

export async function authenticateApi(request: Request): Promise<ApiAuth> {
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new ApiProblem(401, "Send an API token in the Authorization header: Authorization: Bearer <token>.", UNAUTHENTICATED);
  const token = m[1];
  const now = clock();
  const rows = token.startsWith(TOKEN_PREFIX) && token.length < 200 ? await repo.findLiveToken(getDb(), hashToken(token), now) : [];
  if (rows.length === 0) throw new ApiProblem(401, "This API token is not recognised.", UNAUTHENTICATED);
  const first = rows[0];
  if (first.revoked_at) throw new ApiProblem(401, "This API token has been revoked.", UNAUTHENTICATED);
  if (first.expires_at <= now)
    throw new ApiProblem(401, "This API token has expired. Make a new one on your account page.", UNAUTHENTICATED);
  if (!first.is_active) throw new ApiProblem(401, "The account this API token belongs to is switched off.", UNAUTHENTICATED);

  const use = await repo.countRequest(getDb(), first.token_id, now);
  if (use.count > use.limit) {
    const retryAfter = Math.max(1, Math.ceil((use.windowStart.getTime() + 60_000 - now.getTime()) / 1000));
    throw new ApiProblem(429, `This token may make ${use.limit} requests a minute. Try again in ${retryAfter} seconds.`, {
      headers: { "Retry-After": String(retryAfter) },
      retryAfter,
    });
  }
  const memberships = rows
    .filter((r) => r.role !== null)
    .map((r) => ({ role: r.role!, icb_code: r.icb_code, practice_code: r.practice_code }));
  return {
    user: { id: first.id, email: first.email, name: first.name, memberships },
    tokenId: first.token_id,
    tokenName: first.token_name,
  };
}

/** The token's scope for a permission; 403 when its owner holds it nowhere. */
export function requireApiPermission(auth: ApiAuth, permission: Permission): Scope {
  const scope = scopeFor(auth.user.memberships, permission);
  if (scopeIsEmpty(scope)) throw new ApiProblem(403, "This token's account does not have permission to do that.");
  return scope;
}

export interface ApiPractice {
  practice: { ods_code: string; name: string; icb_code: string | null };
  scope: Scope;
}

/**
 * As requirePracticeAccess does for the pages: outside the read scope a practice does not
 * exist (404); in view but not the token's to change, 403.
 */
export async function requireApiPractice(
  auth: ApiAuth,
  rawOds: string | undefined,
  write?: Extract<Permission, "estate.icb:write" | "estate.practice:write">,
): Promise<ApiPractice> {
  const scope = requireApiPermission(auth, "org:read");
  const code = OdsCodeSchema.safeParse(rawOds ?? "");
  const practice = code.success ? await findPracticeKey(getDb(), code.data) : undefined;
  if (!practice || !scopeCoversPractice(scope, practice)) throw new ApiProblem(404, `We could not find practice ${rawOds ?? ""}.`);
  if (write && !scopeCoversPractice(scopeFor(auth.user.memberships, write), practice)) {
    throw new ApiProblem(
      403,
      write === "estate.icb:write"
        ? "Only the GP IT delivery partner for this practice can change this."
        : "Only this practice's manager can change this.",
    );
  }
  return { practice, scope };
}
