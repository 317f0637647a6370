/**
 * Single sign-on routes in the role × route matrix. They are public by nature (they are how
 * people sign in), so the matrix proves what each role gets: a signed-in person starting single
 * sign-on goes back to the app, never to the provider; a callback without this browser's
 * transient cookie is refused for everyone and signs nobody in or out. The admin's password
 * switch is the admin's alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevIdp, type DevIdp } from "../../scripts/dev-idp/provider";
import * as userPage from "~/routes/admin.users.$id";
import * as start from "~/routes/auth.oidc";
import * as callback from "~/routes/auth.oidc_.callback";
import { getDb } from "~/utils/db.server";
import { BASE, call, get } from "../support/requests";
import { ADMIN_ONLY, defineMatrix, useRoleCookies, type MatrixRow, type RoleKey } from "../support/scoping";

let idp: DevIdp;
beforeAll(async () => {
  idp = await startDevIdp({
    port: 0,
    clientId: "estate-test",
    clientSecret: "s3cret-for-tests",
    redirectUris: [`${BASE}/auth/oidc/callback`],
    postLogoutRedirectUris: [],
  });
  Object.assign(process.env, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: "estate-test",
    OIDC_CLIENT_SECRET: "s3cret-for-tests",
    OIDC_NAME: "NHSmail",
  });
});
afterAll(async () => {
  for (const k of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME"]) delete process.env[k];
  await idp?.close();
});

const cookies = useRoleCookies();
const ROLES: RoleKey[] = ["anonymous", "nobody", "admin", "icbLead", "partnerIcb", "partnerPractice", "practiceManager"];

// Rows the shared matrix can express (anonymous is sent to sign-in).
const MATRIX: MatrixRow[] = [
  {
    file: "admin.users.$id.tsx",
    module: userPage,
    method: "POST",
    path: "/admin/users/1",
    params: { id: "1" },
    fields: { intent: "set-password-sign-in", enabled: "true", version: "1" },
    expect: ADMIN_ONLY,
  },
];

// The public single sign-on routes, per role.
const SSO_ROWS = [
  { file: "auth.oidc.tsx", path: "/auth/oidc?redirectTo=%2Fpractices", module: start },
  { file: "auth.oidc_.callback.tsx", path: "/auth/oidc/callback?code=abc&state=def", module: callback },
];

describe("scoping: single sign-on", () => {
  defineMatrix(MATRIX, cookies);

  for (const role of ROLES) {
    it(`GET /auth/oidc as ${role}: anonymous goes to the provider, anyone signed in back to the app`, async () => {
      const res = await call(start.loader, get(SSO_ROWS[0].path, cookies[role]));
      expect(res.status).toBe(302);
      if (role === "anonymous") expect(res.location!.startsWith(`${idp.issuer}/auth?`)).toBe(true);
      else expect(res.location).toBe("/practices");
    });

    it(`GET /auth/oidc/callback without this browser's sign-in as ${role} → 400, nobody signed in or out`, async () => {
      const before = await getDb().selectFrom("session").select("id").orderBy("id").execute();
      const res = await call(callback.loader, get(SSO_ROWS[1].path, cookies[role]));
      expect(res.status).toBe(400);
      expect(res.response!.headers.getSetCookie().some((c) => c.startsWith("__session="))).toBe(false);
      expect(await getDb().selectFrom("session").select("id").orderBy("id").execute()).toEqual(before);
    });
  }
});
