/**
 * The OpenID Connect client (openid-client, certified): discovery from the issuer, the
 * authorisation code flow with PKCE, state and nonce, and ID token validation. It knows nothing
 * of accounts: ./sso.server.ts decides who, if anyone, the verified identity signs in as.
 */
import { importJWK, importPKCS8, type JWK } from "jose";
import * as client from "openid-client";
import { oidcSettings, type OidcSettings } from "./oidc-settings.server";

/** What the browser carries between /auth/oidc and the callback, in a signed short-lived cookie. */
export interface OidcTransient {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  redirectTo: string;
}

/** The provider's verified statement about who signed in. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  idToken: string;
}

/** Why a callback was refused; each has its own message on the refusal page. */
export type OidcFailure = { kind: "provider"; error: string } | { kind: "state" } | { kind: "expired" } | { kind: "token"; detail: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

async function clientAuth(s: OidcSettings): Promise<client.ClientAuth> {
  if (s.clientSecret) return client.ClientSecretBasic(s.clientSecret);
  const raw = s.privateKey!.key.trim();
  const key = raw.startsWith("{") ? await importJWK(JSON.parse(raw) as JWK, s.privateKey!.alg) : await importPKCS8(raw, s.privateKey!.alg);
  if (key instanceof Uint8Array) throw new Error("OIDC_PRIVATE_KEY must be a private key, not a shared secret");
  const kid = s.privateKey!.kid ?? (raw.startsWith("{") ? (JSON.parse(raw) as JWK).kid : undefined);
  return client.PrivateKeyJwt(kid ? { key, kid } : key);
}

// One discovered configuration per distinct setting, kept for the life of the process (the
// library refreshes the provider's signing keys itself). A failed discovery is not kept.
const configs = new Map<string, Promise<client.Configuration>>();

export function getOidcConfig(s: OidcSettings): Promise<client.Configuration> {
  const key = JSON.stringify(s);
  let config = configs.get(key);
  if (!config) {
    config = (async () => {
      const issuer = new URL(s.issuer);
      // Plain http only for a provider on this machine (npm run dev:idp, the tests).
      const insecure = issuer.protocol === "http:" && LOOPBACK.has(issuer.hostname);
      const metadata: Partial<client.ClientMetadata> = { [client.clockSkew]: s.clockSkewSeconds };
      return client.discovery(issuer, s.clientId, metadata, await clientAuth(s), {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: 10,
      });
    })();
    config.catch(() => configs.delete(key));
    configs.set(key, config);
  }
  return config;
}

export function redirectUriFor(s: OidcSettings, request: Request) {
  return s.redirectUri ?? new URL("/auth/oidc/callback", request.url).toString();
}

/** Builds the provider's authorisation URL and the secrets the callback must match. */
export async function beginAuthorization(s: OidcSettings, request: Request, redirectTo: string) {
  const config = await getOidcConfig(s);
  const t: OidcTransient = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    redirectUri: redirectUriFor(s, request),
    redirectTo,
  };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: t.redirectUri,
    scope: s.scopes,
    response_type: "code",
    code_challenge: await client.calculatePKCECodeChallenge(t.verifier),
    code_challenge_method: "S256",
    state: t.state,
    nonce: t.nonce,
  });
  return { url: url.toString(), transient: t };
}

type LibraryError = { name?: string; code?: string; error?: string; message?: string; cause?: unknown };

function classify(err: unknown): OidcFailure {
  const e = err as LibraryError;
  if (e?.name === "AuthorizationResponseError") return { kind: "provider", error: e.error ?? "unknown" };
  // openid-client wraps oauth4webapi's error; the reason is in the cause.
  const chain = [e, e?.cause as LibraryError | undefined].filter(Boolean) as LibraryError[];
  if (chain.some((x) => typeof x.message === "string" && x.message.includes('"state"'))) return { kind: "state" };
  if (chain.some((x) => x.code === "OAUTH_JWT_TIMESTAMP_CHECK_FAILED")) return { kind: "expired" };
  return { kind: "token", detail: `${e?.code ?? e?.name ?? "error"}: ${e?.message ?? String(err)}` };
}

/**
 * Checks the provider's answer against what this browser started (state), exchanges the code
 * with the PKCE verifier, and validates the ID token (signature, issuer, audience, expiry, nonce).
 */
export async function completeAuthorization(
  s: OidcSettings,
  request: Request,
  t: OidcTransient,
): Promise<{ ok: true; identity: OidcIdentity } | { ok: false; failure: OidcFailure }> {
  const config = await getOidcConfig(s);
  // The redirect URI sent at the start, with this request's parameters: behind a proxy the
  // request's own URL may not be the one registered with the provider.
  const currentUrl = new URL(t.redirectUri);
  currentUrl.search = new URL(request.url).search;
  try {
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: t.verifier,
      expectedState: t.state,
      expectedNonce: t.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    let emailValue = claims[s.emailClaim];
    let verified = claims.email_verified;
    // Some providers keep the email for the userinfo endpoint only.
    if (typeof emailValue !== "string" && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      emailValue = info[s.emailClaim];
      verified = info.email_verified ?? verified;
    }
    const email = typeof emailValue === "string" && emailValue.includes("@") ? emailValue.trim().toLowerCase() : null;
    return {
      ok: true,
      identity: {
        issuer: claims.iss,
        subject: claims.sub,
        email,
        emailVerified: verified === true || (s.trustEmail && verified === undefined),
        name: typeof claims.name === "string" ? claims.name : null,
        idToken: tokens.id_token!,
      },
    };
  } catch (err) {
    return { ok: false, failure: classify(err) };
  }
}

/** The provider's end-session URL for a session started with `idToken`, or null if it has none. */
export async function endSessionUrl(s: OidcSettings, idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
  const config = await getOidcConfig(s);
  if (!config.serverMetadata().end_session_endpoint) return null;
  return client
    .buildEndSessionUrl(config, { id_token_hint: idToken, client_id: s.clientId, post_logout_redirect_uri: postLogoutRedirectUri })
    .toString();
}

export { oidcSettings };
