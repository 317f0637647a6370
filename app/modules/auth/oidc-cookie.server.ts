import { createCookie } from "@remix-run/node";
import { z } from "zod";
import type { OidcTransient } from "./oidc.server";
import { getEnv } from "~/utils/env.server";

/**
 * The state, nonce and PKCE verifier of a single sign-on in progress. Signed (so it cannot be
 * forged), httpOnly, only sent to /auth/oidc…, and gone after ten minutes or the callback. It is
 * SameSite=Lax because the provider sends the browser back with a cross-site top-level GET,
 * which Lax cookies accompany; Strict ones would not.
 */
const TransientSchema = z.object({
  state: z.string().min(16).max(128),
  nonce: z.string().min(16).max(128),
  verifier: z.string().min(43).max(128),
  redirectUri: z.string().url().max(2048),
  redirectTo: z.string().max(2048),
});

export const OIDC_TRANSIENT_MINUTES = 10;

function transientCookie() {
  const env = getEnv();
  return createCookie("__oidc", {
    httpOnly: true,
    sameSite: "lax",
    path: "/auth/oidc",
    secure: env.NODE_ENV === "production",
    secrets: [env.SESSION_SECRET],
    maxAge: OIDC_TRANSIENT_MINUTES * 60,
  });
}

export const commitOidcTransient = (t: OidcTransient) => transientCookie().serialize(t);
export const clearOidcTransient = () => transientCookie().serialize("", { maxAge: 0 });

/** The sign-in this browser started, or null when missing, expired, unsigned or forged. */
export async function readOidcTransient(request: Request): Promise<OidcTransient | null> {
  const parsed = TransientSchema.safeParse(await transientCookie().parse(request.headers.get("Cookie")));
  return parsed.success ? parsed.data : null;
}
