import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { beginAuthorization, oidcSettings } from "~/modules/auth/oidc.server";
import { SsoRefusalPage } from "~/components/SsoRefusalPage";
import { notFound } from "~/utils/errors";
import { commitOidcTransient } from "~/modules/auth/oidc-cookie.server";
import { logFor } from "~/utils/log.server";
import { safeRedirect } from "~/utils/redirect";
import { getOptionalUser } from "~/modules/auth/session.server";
import { pageLoader } from "~/utils/route.server";

/**
 * Starts single sign-on: a plain GET (the sign-in page's button is a link, because the page's
 * CSP form-action 'self' would stop a form whose answer redirects to the provider). Starting a
 * sign-in changes nothing here; the secrets it creates travel only in this browser's cookie.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const settings = oidcSettings();
  if (!settings) throw notFound();
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getOptionalUser(request)) throw redirect(redirectTo);
  try {
    const { url, transient } = await beginAuthorization(settings, request, redirectTo);
    return redirect(url, { headers: { "Set-Cookie": await commitOidcTransient(transient) } });
  } catch (err) {
    logFor("sso").error({ err }, "single sign-on: discovery failed");
    return json({ kind: "unavailable" as const, name: settings.name, email: null, waitText: null }, { status: 503 });
  }
});

export default SsoRefusalPage;
