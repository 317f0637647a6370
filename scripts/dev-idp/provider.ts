/**
 * A real OpenID Connect provider (the certified `oidc-provider` package) for development, the
 * demo and the tests: discovery, authorisation code flow with PKCE, signed ID tokens, userinfo,
 * RP-initiated logout. Only its sign-in and consent pages are ours (./pages.ts).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { DEV_IDENTITIES, DEV_IDP_PASSWORD_DEFAULT, type DevIdentity } from "./identities";
import { consentPage, loggedOutPage, loginPage, logoutPage } from "./pages";

export interface DevIdpOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Host name in the issuer URL (default localhost); 127.0.0.1 makes the provider another site than an app on localhost. */
  issuerHost?: string;
  clientId: string;
  /** client_secret_basic when set; otherwise the client must authenticate with private_key_jwt. */
  clientSecret?: string;
  /** The client's public key, for private_key_jwt (as CIS2 requires). */
  clientPublicJwk?: JWK;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  password?: string;
  identities?: DevIdentity[];
  /** Seconds an ID token is valid; the default is an hour. */
  idTokenTtlSeconds?: number;
}

export interface DevIdp {
  issuer: string;
  close(): Promise<void>;
}

async function signingKeys() {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { keys: [{ ...(await exportJWK(privateKey)), kid: randomUUID(), alg: "RS256", use: "sig" }] };
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

function sendHtml(res: http.ServerResponse, status: number, html: string) {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(html);
}

export async function startDevIdp(opts: DevIdpOptions): Promise<DevIdp> {
  const identities = opts.identities ?? DEV_IDENTITIES;
  const password = opts.password ?? DEV_IDP_PASSWORD_DEFAULT;
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${opts.issuerHost ?? "localhost"}:${port}`;

  const client = opts.clientSecret
    ? { client_secret: opts.clientSecret, token_endpoint_auth_method: "client_secret_basic" }
    : { token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "RS256", jwks: { keys: [opts.clientPublicJwk] } };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_name: "GP digital estate (local)",
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        ...client,
      },
    ],
    jwks: await signingKeys(),
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    // Put email and name in the ID token as Entra ID does, not only at userinfo.
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const who = identities.find((i) => i.sub === sub);
      if (!who) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: who.name, email: who.email, email_verified: who.email_verified }) };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string; host: string }, form: string) => {
          ctx.body = logoutPage(form, ctx.host);
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = loggedOutPage();
        },
      },
    },
    ttl: {
      IdToken: opts.idTokenTtlSeconds ?? 3600,
      AccessToken: 600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = "html";
      ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>${out.error}</h1><p>${out.error_description ?? ""}</p></body></html>`;
    },
  });
  provider.on("server_error", (_ctx: unknown, err: Error) => console.error("dev-idp:", err));
  const callback = provider.callback();

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, step: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendHtml(res, 400, "<p>This sign-in has expired. Start again from the app.</p>");
    const logins = identities.map((i) => i.login);
    if (req.method === "GET") {
      if (details.prompt.name === "login") return sendHtml(res, 200, loginPage(uid, { logins }));
      return sendHtml(res, 200, consentPage(uid, "GP digital estate", String(details.params.scope).split(" ")));
    }
    if (step === "login") {
      const form = await readForm(req);
      const who = identities.find((i) => i.login.toLowerCase() === (form.get("login") ?? "").trim().toLowerCase());
      if (!who || form.get("password") !== password) {
        return sendHtml(
          res,
          200,
          loginPage(uid, { logins, login: form.get("login") ?? "", error: "The user name or password is not correct." }),
        );
      }
      return provider.interactionFinished(req, res, { login: { accountId: who.sub } }, { mergeWithLastSubmission: false });
    }
    if (step === "confirm") {
      const { prompt, params, session, grantId } = details;
      const grant = grantId
        ? await provider.Grant.find(grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    }
    sendHtml(res, 404, "<p>Not found</p>");
  }

  server.on("request", (req, res) => {
    const m = /^\/interaction\/([^/?]+)(?:\/(login|confirm))?(?:\?.*)?$/.exec(req.url ?? "");
    if (!m) return callback(req, res);
    interaction(req, res, m[1], m[2]).catch((err) => {
      console.error("dev-idp interaction:", err);
      if (!res.headersSent) sendHtml(res, 400, "<p>This sign-in could not continue. Start again from the app.</p>");
    });
  });

  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
