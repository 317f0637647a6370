import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { endSessionUrl, oidcSettings } from "~/modules/auth/oidc.server";
import { signOut } from "~/modules/auth/service.server";
import { findSessionIdToken } from "~/modules/auth/sso-repository.server";
import { getDb } from "~/utils/db.server";
import { logFor } from "~/utils/log.server";
import { assertSameOrigin } from "~/modules/auth/permissions.server";
import { clearSessionCookie, getOptionalUser, readSessionId } from "~/modules/auth/session.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Signed out – GP digital estate" }];

/**
 * Someone still signed in who opens this address goes home (a GET never signs anyone out);
 * otherwise this is the signed-out page the action's answer renders on (Remix runs this loader
 * after the action, with the session already gone).
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  if (await getOptionalUser(request)) throw redirect("/");
  return null;
});

/**
 * Ends this app's session. A single sign-on session also gets a link to the provider's own sign
 * out (RP-initiated logout), offered rather than followed: the provider may sign the person out
 * of other NHS services too, and CSP form-action 'self' would stop this form redirecting there.
 */
export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  assertSameOrigin(request);
  const db = getDb();
  const [id, user] = await Promise.all([readSessionId(request), getOptionalUser(request)]);
  const idToken = id && user ? await findSessionIdToken(db, id) : null;
  if (id && user) await signOut(db, id, user.id);
  const headers = { "Set-Cookie": await clearSessionCookie() };
  const settings = idToken ? oidcSettings() : null;
  let url: string | null = null;
  if (settings && idToken) {
    url = await endSessionUrl(settings, idToken, new URL("/sign-in", request.url).toString()).catch((err) => {
      logFor("sso").error({ err }, "single sign-on: no end-session URL");
      return null;
    });
  }
  if (!settings || !url) return redirect("/sign-in", { headers });
  return json(
    { endSessionUrl: url, name: settings.name },
    { headers: { ...headers, "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" } },
  );
});

export default function SignedOut() {
  const data = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>You have signed out</h1>
        {data && "endSessionUrl" in data ? (
          <>
            <p>
              You have signed out of GP digital estate. You may still be signed in to {data.name} in this browser, so anyone using it could
              sign in again as you. On a shared computer, sign out of {data.name} too.
            </p>
            <a className="nhsuk-button nhsuk-button--secondary" href={data.endSessionUrl} draggable="false">
              Sign out of {data.name} too
            </a>
          </>
        ) : null}
        <p>
          <Link to="/sign-in">Sign in again</Link>
        </p>
      </div>
    </div>
  );
}
