import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useRef } from "react";
import nhsukCss from "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css?url";
import appCss from "~/styles/app.css?url";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { SuccessBanner } from "~/components/SuccessBanner";
import { Layout as PageLayout, SERVICE_NAME, type NavUser } from "~/components/Layout";
import { ensureJobWorker } from "~/modules/jobs/start.server";
import { hasPermission } from "~/utils/permissions";
import { useNonce } from "~/utils/nonce";
import { getOptionalUser } from "~/modules/auth/session.server";
import { takeFlash } from "~/modules/auth/flash.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: nhsukCss },
  { rel: "stylesheet", href: appCss },
];

export const meta: MetaFunction = () => [{ title: SERVICE_NAME }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The production server starts background work at start-up; under `npm run dev` the first request does.
  ensureJobWorker();
  const user = await getOptionalUser(request);
  const nav: NavUser | null = user
    ? {
        name: user.name,
        isAdmin: user.memberships.some((m) => m.role === "admin"),
        icbCodes: [...new Set(user.memberships.flatMap((m) => (m.icb_code ? [m.icb_code] : [])))],
        practiceCodes: [...new Set(user.memberships.flatMap((m) => (m.practice_code ? [m.practice_code] : [])))],
        canImport: hasPermission(user.memberships, "estate.icb:write"),
        canVerify: hasPermission(user.memberships, "assessment:verify"),
        canRequestFunding: hasPermission(user.memberships, "funding:request"),
      }
    : null;
  return { user: nav, flash: await takeFlash(request, user) };
}

/**
 * The session's one-time message, on the page it was set for only: the root loader does not run
 * again on every client-side navigation, so its data (and the message) would otherwise follow the
 * user to the next page. A message belongs to the location the root data arrived with.
 */
function useFlash(data: { flash: string | null } | undefined) {
  const location = useLocation();
  const seen = useRef<{ data: unknown; key: string } | null>(null);
  if (seen.current?.data !== data) seen.current = { data, key: location.key };
  return data?.flash && seen.current?.key === location.key ? data.flash : null;
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const flash = useFlash(data);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="js-enabled">
        <PageLayout user={data?.user ?? null}>
          {flash ? <SuccessBanner>{flash}</SuccessBanner> : null}
          {children}
        </PageLayout>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;
