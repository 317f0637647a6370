import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import nhsukCss from "nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css?url";
import appCss from "~/styles/app.css?url";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { Layout as PageLayout, SERVICE_NAME, type NavUser } from "~/components/Layout";
import { ensureJobWorker } from "~/modules/jobs/start.server";
import { hasPermission } from "~/utils/permissions";
import { useNonce } from "~/utils/nonce";
import { getOptionalUser } from "~/modules/auth/session.server";

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
  return { user: nav };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="js-enabled">
        <PageLayout user={data?.user ?? null}>{children}</PageLayout>
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
