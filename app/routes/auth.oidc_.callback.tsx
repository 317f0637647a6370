import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { SsoRefusalPage } from "~/components/SsoRefusalPage";
import { completeAuthorization, oidcSettings } from "~/modules/auth/oidc.server";
import type { SsoRefusalKind } from "~/modules/auth/sso-messages";
import { recordSsoFailure, signInWithSso, ssoThrottleWait } from "~/modules/auth/sso.server";
import { throttledMessage } from "~/modules/auth/throttle";
import { getDb } from "~/utils/db.server";
import { logFor } from "~/utils/log.server";
import { getEnv } from "~/utils/env.server";
import { notFound } from "~/utils/errors";
import { clearOidcTransient, readOidcTransient } from "~/modules/auth/oidc-cookie.server";
import { safeRedirect } from "~/utils/redirect";
import { clientAddress, commitSessionId } from "~/modules/auth/session.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Sign in – GP digital estate" }];

// The address carries the provider's one-time code: keep it out of Referer headers and caches.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" });

const STATUS: Record<SsoRefusalKind, number> = {
  no_email: 403,
  unverified: 403,
  uninvited: 403,
  inactive: 403,
  linked_elsewhere: 403,
  missing: 400,
  state: 400,
  expired: 400,
  token: 400,
  provider: 400,
  throttled: 429,
  unavailable: 503,
};

/**
 * The provider sends the browser here (a cross-site top-level GET, so only SameSite=Lax cookies
 * come with it). The transient cookie is cleared whatever happens: a code is good for one try.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const settings = oidcSettings();
  if (!settings) throw notFound();
  const db = getDb();
  const ip = clientAddress(request);
  const headers = new Headers({ "Set-Cookie": await clearOidcTransient() });
  const refuse = (kind: SsoRefusalKind, extra: { email?: string | null; wait?: number } = {}) => {
    if (extra.wait) headers.set("Retry-After", String(extra.wait));
    const waitText = extra.wait ? throttledMessage(extra.wait).replace(/^.*Wait (.*) and try again\.$/, "$1") : null;
    return json({ kind, name: settings.name, email: extra.email ?? null, waitText }, { status: STATUS[kind], headers });
  };

  const wait = await ssoThrottleWait(db, ip);
  if (wait > 0) return refuse("throttled", { wait });
  const transient = await readOidcTransient(request);
  if (!transient) {
    await recordSsoFailure(db, { email: null, ip });
    return refuse("missing");
  }
  let outcome;
  try {
    outcome = await completeAuthorization(settings, request, transient);
  } catch (err) {
    logFor("sso").error({ err }, "single sign-on: the provider could not be reached");
    return refuse("unavailable");
  }
  if (!outcome.ok) {
    const { failure } = outcome;
    if (failure.kind === "token") logFor("sso").warn({ detail: failure.detail }, "single sign-on: the provider's answer was refused");
    // Cancelling at the provider is not an attack; forged or stale answers count as failures.
    if (failure.kind !== "provider") await recordSsoFailure(db, { email: null, ip });
    return refuse(failure.kind);
  }
  const result = await signInWithSso(db, { identity: outcome.identity, ip, ttlHours: getEnv().SESSION_TTL_HOURS });
  if (!result.ok) return refuse(result.reason, { email: outcome.identity.email });
  headers.append("Set-Cookie", await commitSessionId(result.sessionId));
  return redirect(safeRedirect(transient.redirectTo), { headers });
});

export default SsoRefusalPage;
