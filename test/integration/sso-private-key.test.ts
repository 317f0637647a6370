/**
 * private_key_jwt client authentication (what NHS CIS2 requires): the app signs a client
 * assertion with OIDC_PRIVATE_KEY, and the real local provider accepts only that key.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEV_IDP_PASSWORD_DEFAULT } from "../../scripts/dev-idp/identities";
import { startDevIdp, type DevIdp } from "../../scripts/dev-idp/provider";
import { createUser as createUserService } from "~/modules/users/service.server";
import * as start from "~/routes/auth.oidc";
import * as callback from "~/routes/auth.oidc_.callback";
import { getDb } from "~/utils/db.server";
import { createUser, seedOrgs } from "../support/factories";
import { ssoSignIn } from "../support/oidc-browser";
import { BASE } from "../support/requests";

const KEYS = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_PRIVATE_KEY", "OIDC_PRIVATE_KEY_ID", "OIDC_NAME"];
const newKey = () => generateKeyPairSync("rsa", { modulusLength: 2048 });
let idp: DevIdp;
const registered = newKey();

beforeAll(async () => {
  idp = await startDevIdp({
    port: 0,
    clientId: "estate-cis2",
    clientPublicJwk: { ...registered.publicKey.export({ format: "jwk" }), kid: "estate-key-1", alg: "RS256", use: "sig" },
    redirectUris: [`${BASE}/auth/oidc/callback`],
    postLogoutRedirectUris: [],
  });
  Object.assign(process.env, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: "estate-cis2",
    OIDC_PRIVATE_KEY_ID: "estate-key-1",
    OIDC_NAME: "CIS2",
  });
  await seedOrgs(getDb());
  const adminId = await createUser(getDb(), { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
  await createUserService(getDb(), adminId, {
    name: "Lead",
    email: "icb.lead@demo.gp-estate.test",
    password: null,
    role: "icb_lead",
    icbCode: "QMF",
    practiceCode: null,
  });
});

afterAll(async () => {
  for (const k of KEYS) delete process.env[k];
  await idp?.close();
});

const pem = (k: ReturnType<typeof newKey>) => k.privateKey.export({ format: "pem", type: "pkcs8" }).toString();

it("signs in with a client assertion signed by the registered private key (PEM)", async () => {
  process.env.OIDC_PRIVATE_KEY = pem(registered);
  const { result } = await ssoSignIn({ start, callback }, { login: "icb.lead@demo.gp-estate.test", password: DEV_IDP_PASSWORD_DEFAULT });
  expect(result.status).toBe(302);
  expect(await getDb().selectFrom("sso_identity").select("issuer").execute()).toEqual([{ issuer: idp.issuer }]);
});

it("is refused when the app holds a key the provider never registered", async () => {
  process.env.OIDC_PRIVATE_KEY = pem(newKey());
  const sessions = (await getDb().selectFrom("session").select("id").execute()).length;
  const { result } = await ssoSignIn({ start, callback }, { login: "icb.lead@demo.gp-estate.test", password: DEV_IDP_PASSWORD_DEFAULT });
  expect(result.status).toBe(400);
  expect(result.data.kind).toBe("token");
  expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(sessions);
});
