/**
 *   npm run dev:idp [-- --port 9090 --app http://localhost:3000]
 *
 * A local OpenID Connect provider for the demo: sign in to the app "with NHSmail" without
 * NHSmail. It knows one identity per demo user (same email, verified), plus `unverified` and
 * `uninvited` to show the refusals; every identity's password is DEV_IDP_PASSWORD
 * (default dev-idp-password). It prints the environment to start the app with.
 */
import { parseArgs } from "node:util";
import { DEV_IDENTITIES, DEV_IDP_PASSWORD_DEFAULT } from "./dev-idp/identities";
import { startDevIdp } from "./dev-idp/provider";

const { values } = parseArgs({
  options: { port: { type: "string", default: "9090" }, app: { type: "string", default: "http://localhost:3000" } },
});
const app = values.app!.replace(/\/$/, "");
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error("--port must be a port number, like 9090");
  process.exit(2);
}
const clientId = process.env.DEV_IDP_CLIENT_ID ?? "gp-digital-estate";
const clientSecret = process.env.DEV_IDP_CLIENT_SECRET ?? "dev-idp-client-secret";
const idp = await startDevIdp({
  port,
  clientId,
  clientSecret,
  password: process.env.DEV_IDP_PASSWORD ?? DEV_IDP_PASSWORD_DEFAULT,
  redirectUris: [`${app}/auth/oidc/callback`],
  postLogoutRedirectUris: [`${app}/sign-in`],
});

console.log(`Local OpenID Connect provider at ${idp.issuer}
Client ${clientId} may return to ${app}/auth/oidc/callback (and ${app}/sign-in after signing out).

Start the app with:
  OIDC_ISSUER=${idp.issuer} OIDC_CLIENT_ID=${clientId} OIDC_CLIENT_SECRET=${clientSecret} OIDC_NAME="Local NHS identity" npm run dev

Identities (password ${process.env.DEV_IDP_PASSWORD ? "from DEV_IDP_PASSWORD" : DEV_IDP_PASSWORD_DEFAULT}):
${DEV_IDENTITIES.map((i) => `  ${i.login.padEnd(40)} ${i.email}${i.email_verified ? "" : " (email not verified)"}`).join("\n")}`);

const stop = () => idp.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
