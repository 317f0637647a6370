/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, scripts/dev-idp) on a
 * local port: the app's real loaders and actions, openid-client unmocked, and a cookie-jar
 * browser driving the provider's sign-in, consent and sign-out pages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEV_IDENTITIES, DEV_IDP_PASSWORD_DEFAULT } from "../../scripts/dev-idp/identities";
import { startDevIdp, type DevIdp } from "../../scripts/dev-idp/provider";
import { PASSWORD_SIGN_IN_OFF } from "~/modules/auth/service.server";
import { recordSsoFailure } from "~/modules/auth/sso.server";
import { THROTTLE } from "~/modules/auth/throttle";
import { createUser as createUserService, setPasswordSignIn } from "~/modules/users/service.server";
import * as start from "~/routes/auth.oidc";
import * as callback from "~/routes/auth.oidc_.callback";
import * as signInRoute from "~/routes/sign-in";
import * as signOutRoute from "~/routes/sign-out";
import * as newUser from "~/routes/admin.users.new";
import * as changePassword from "~/routes/account.password";
import { getDb, getDbHandle } from "~/utils/db.server";
import { getOptionalUser } from "~/modules/auth/session.server";
import { truncateAll } from "../support/db";
import { createUser, seedOrgs, TEST_PASSWORD } from "../support/factories";
import { call, CookieJar, setCookies, ssoSignIn } from "../support/oidc-browser";
import { BASE, get, post } from "../support/requests";

const LEAD = DEV_IDENTITIES.find((i) => i.email === "icb.lead@demo.gp-estate.test" && i.email_verified)!;
const PW = DEV_IDP_PASSWORD_DEFAULT;
const routes = { start, callback };
const OIDC_KEYS = [
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "OIDC_NAME",
  "OIDC_CLOCK_SKEW_SECONDS",
  "OIDC_TRUST_EMAIL",
  "OIDC_PRIVATE_KEY",
];

let idp: DevIdp;
let adminId: number;

beforeAll(async () => {
  idp = await startDevIdp({
    port: 0,
    clientId: "estate-test",
    clientSecret: "estate-test-secret",
    redirectUris: [`${BASE}/auth/oidc/callback`],
    postLogoutRedirectUris: [`${BASE}/sign-in`],
  });
  Object.assign(process.env, {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: "estate-test",
    OIDC_CLIENT_SECRET: "estate-test-secret",
    OIDC_NAME: "NHSmail",
  });
});

afterAll(async () => {
  for (const k of OIDC_KEYS) delete process.env[k];
  await idp?.close();
});

beforeEach(async () => {
  await truncateAll(getDbHandle());
  delete process.env.OIDC_CLOCK_SKEW_SECONDS;
  delete process.env.OIDC_TRUST_EMAIL;
  await seedOrgs(getDb());
  adminId = await createUser(getDb(), { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
});

/** The admin invites the ICB lead by email, with a role and no password. */
async function inviteLead() {
  const r = await createUserService(getDb(), adminId, {
    name: "Ada Lead",
    email: LEAD.email,
    password: null,
    role: "icb_lead",
    icbCode: "QMF",
    practiceCode: null,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.userId;
}

const auditActions = async () => (await getDb().selectFrom("audit_event").select("action").orderBy("id").execute()).map((a) => a.action);
const sessionCookie = (jar: CookieJar) => `__session=${jar.get("__session")}`;

describe("sign-in page", () => {
  it("offers 'Sign in with <OIDC_NAME>' only when single sign-on is configured", async () => {
    expect((await call(signInRoute.loader, get("/sign-in"))).data).toEqual({ ssoName: "NHSmail" });
    const issuer = process.env.OIDC_ISSUER;
    delete process.env.OIDC_ISSUER;
    try {
      expect((await call(signInRoute.loader, get("/sign-in"))).data).toEqual({ ssoName: null });
      expect((await call(start.loader, get("/auth/oidc"))).status).toBe(404);
    } finally {
      process.env.OIDC_ISSUER = issuer;
    }
  });

  it("starts the code flow with PKCE (S256), state and nonce, keeping them in a signed httpOnly cookie for /auth/oidc only", async () => {
    const res = await call(start.loader, get("/auth/oidc?redirectTo=%2Ficbs%2FQMF"));
    expect(res.status).toBe(302);
    const url = new URL(res.location!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe(`${BASE}/auth/oidc/callback`);
    for (const p of ["state", "nonce", "code_challenge"]) expect(url.searchParams.get(p)?.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    const cookie = setCookies(res.response)[0];
    expect(cookie).toMatch(/^__oidc=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth\/oidc/);
    expect(cookie).toMatch(/Max-Age=600/);
    // The verifier never leaves this server except in the signed cookie.
    expect(res.location).not.toContain(decodeURIComponent(cookie.split(";")[0].slice(6)).slice(0, 20));
  });
});

describe("first and later sign-ins", () => {
  it("links the invited account on the first verified sign-in, then finds it by issuer and subject alone", async () => {
    const userId = await inviteLead();
    const first = await ssoSignIn(routes, { login: LEAD.login, password: PW, redirectTo: "/icbs/QMF" });
    expect(first.result.status).toBe(302);
    expect(first.result.location).toBe("/icbs/QMF");
    const me = await getOptionalUser(get("/", sessionCookie(first.appJar)));
    expect(me?.id).toBe(userId);
    expect(me?.memberships).toEqual([{ role: "icb_lead", icb_code: "QMF", practice_code: null }]);
    // The transient cookie is cleared: the code is good for one try only.
    expect(first.appJar.get("__oidc")).toBeUndefined();
    const link = await getDb().selectFrom("sso_identity").selectAll().executeTakeFirstOrThrow();
    expect(link).toMatchObject({ user_id: userId, issuer: idp.issuer, subject: LEAD.sub, email: LEAD.email });
    const session = await getDb().selectFrom("session").select(["user_id", "id_token"]).executeTakeFirstOrThrow();
    expect(session.user_id).toBe(userId);
    expect(session.id_token).toMatch(/^ey/);
    expect(await auditActions()).toEqual(["user.invite", "membership.add", "auth.sso_link", "auth.sso_sign_in"]);

    // The app's email changes; the link by subject still signs the same person in, and no second link appears.
    await getDb().updateTable("app_user").set({ email: "ada.lead@renamed.test" }).where("id", "=", userId).execute();
    const again = await ssoSignIn(routes, { login: LEAD.login, password: PW, idpJar: first.idpJar });
    expect(again.result.status).toBe(302);
    expect((await getOptionalUser(get("/", sessionCookie(again.appJar))))?.id).toBe(userId);
    expect(await getDb().selectFrom("sso_identity").select("id").execute()).toHaveLength(1);
    expect((await auditActions()).slice(-1)).toEqual(["auth.sso_sign_in"]);
  });

  it("refuses an email nobody invited, with a clear page, and creates no user or role", async () => {
    await inviteLead();
    const users = await getDb().selectFrom("app_user").select("id").execute();
    const { result } = await ssoSignIn(routes, { login: "uninvited", password: PW });
    expect(result.status).toBe(403);
    expect(result.data).toMatchObject({ kind: "uninvited", email: "not.invited@demo.gp-estate.test", name: "NHSmail" });
    expect(await getDb().selectFrom("app_user").select("id").execute()).toEqual(users);
    expect(await getDb().selectFrom("sso_identity").select("id").execute()).toHaveLength(0);
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
    const attempt = await getDb().selectFrom("login_attempt").selectAll().executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ email: "not.invited@demo.gp-estate.test", succeeded: false });
  });

  it("refuses an email the provider has not verified, even with OIDC_TRUST_EMAIL (the provider said false)", async () => {
    await inviteLead();
    const { result } = await ssoSignIn(routes, { login: "unverified", password: PW });
    expect(result.status).toBe(403);
    expect(result.data.kind).toBe("unverified");
    process.env.OIDC_TRUST_EMAIL = "true";
    const trusted = await ssoSignIn(routes, { login: "unverified", password: PW });
    expect(trusted.result.data.kind).toBe("unverified");
    expect(await getDb().selectFrom("sso_identity").select("id").execute()).toHaveLength(0);
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
  });

  it("refuses a deactivated account and an account already linked to another identity at the provider", async () => {
    const userId = await inviteLead();
    await getDb()
      .insertInto("sso_identity")
      .values({ user_id: userId, issuer: idp.issuer, subject: "someone-else", email: LEAD.email, last_sign_in_at: null })
      .execute();
    expect((await ssoSignIn(routes, { login: LEAD.login, password: PW })).result.data.kind).toBe("linked_elsewhere");
    await getDb().deleteFrom("sso_identity").execute();
    await getDb().updateTable("app_user").set({ is_active: false }).where("id", "=", userId).execute();
    expect((await ssoSignIn(routes, { login: LEAD.login, password: PW })).result.data.kind).toBe("inactive");
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
  });
});

describe("answers that must not sign anyone in", () => {
  it("refuses a tampered state, and a callback without the browser's transient cookie", async () => {
    await inviteLead();
    const tampered = await ssoSignIn(routes, {
      login: LEAD.login,
      password: PW,
      tamper: (u) => u.searchParams.set("state", "forged-state-value-0123456789abcdef"),
    });
    expect(tampered.result.status).toBe(400);
    expect(tampered.result.data.kind).toBe("state");
    // A code stolen in transit but replayed from another browser (no cookie): refused before any exchange.
    const stolen = await call(callback.loader, new Request(tampered.callbackUrl.toString()));
    expect(stolen.status).toBe(400);
    expect(stolen.data.kind).toBe("missing");
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
    expect(await getDb().selectFrom("sso_identity").select("id").execute()).toHaveLength(0);
  });

  it("refuses an expired ID token (this server's clock two hours past the token's one-hour life)", async () => {
    await inviteLead();
    process.env.OIDC_CLOCK_SKEW_SECONDS = String(2 * 3600);
    const { result } = await ssoSignIn(routes, { login: LEAD.login, password: PW });
    expect(result.status).toBe(400);
    expect(result.data.kind).toBe("expired");
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
  });

  it("slows a client address that keeps failing callbacks, without exchanging its code", async () => {
    await inviteLead();
    for (let i = 0; i < THROTTLE.client.free; i++) await recordSsoFailure(getDb(), { email: null, ip: "203.0.113.9" });
    const { result } = await ssoSignIn(routes, { login: LEAD.login, password: PW, ip: "203.0.113.9" });
    expect(result.status).toBe(429);
    expect(result.data.kind).toBe("throttled");
    expect(Number(result.response!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
    // Another address is not affected.
    expect((await ssoSignIn(routes, { login: LEAD.login, password: PW, ip: "203.0.113.10" })).result.status).toBe(302);
  });
});

describe("passwords for break-glass accounts only", () => {
  it("the admin's Add a user form invites with a blank password, and still checks a password that is typed", async () => {
    const admin = await call(signInRoute.action, post("/sign-in", { email: "admin@test.nhs.test", password: TEST_PASSWORD }));
    const cookie = setCookies(admin.response)[0].split(";")[0];
    const fields = { name: "Ada Lead", email: LEAD.email, role: "icb_lead", icbCode: "QMF", practiceCode: "" };
    const short = await call(newUser.action, post("/admin/users/new", { ...fields, password: "short" }, { cookie }));
    expect(short.data.fieldErrors.password).toMatch(/at least 12 characters/);
    const invited = await call(newUser.action, post("/admin/users/new", { ...fields, password: "" }, { cookie }));
    expect(invited.status).toBe(302);
    const u = await getDb()
      .selectFrom("app_user")
      .select(["password_hash", "password_sign_in"])
      .where("email", "=", LEAD.email)
      .executeTakeFirstOrThrow();
    expect(u).toEqual({ password_hash: null, password_sign_in: false });
    expect(await auditActions()).toContain("user.invite");
    expect((await call(newUser.loader, get("/admin/users/new", cookie))).data).toEqual({ ssoName: "NHSmail" });

    // Signed in through single sign-on, they have no password to change.
    const signedIn = await ssoSignIn(routes, { login: LEAD.login, password: PW });
    const change = await call(
      changePassword.action,
      post(
        "/account/password",
        { currentPassword: "anything", newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" },
        { cookie: sessionCookie(signedIn.appJar) },
      ),
    );
    expect(change.data.formError).toMatch(/no password: you sign in with single sign-on/);
  });

  it("an invited person has no password and password sign-in starts switched off", async () => {
    const userId = await inviteLead();
    const u = await getDb()
      .selectFrom("app_user")
      .select(["password_hash", "password_sign_in"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    expect(u).toEqual({ password_hash: null, password_sign_in: false });
    const res = await call(signInRoute.action, post("/sign-in", { email: LEAD.email, password: "anything at all 123" }));
    expect(res.data.formError).toBe("The email address or password is not correct.");
  });

  it("switched off, the right password is refused with a clear message and counts as a failure; single sign-on still works", async () => {
    const pmId = await createUser(getDb(), { email: LEAD.email, memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
    const pwCookie = await (async () => {
      const r = await call(signInRoute.action, post("/sign-in", { email: LEAD.email, password: TEST_PASSWORD }));
      expect(r.status).toBe(302);
      return setCookies(r.response)[0].split(";")[0];
    })();
    const { version } = await getDb().selectFrom("app_user").select("version").where("id", "=", pmId).executeTakeFirstOrThrow();
    await setPasswordSignIn(getDb(), adminId, pmId, false, version);
    // The password session ended with the switch.
    expect(await getOptionalUser(get("/", pwCookie))).toBeNull();
    const right = await call(signInRoute.action, post("/sign-in", { email: LEAD.email, password: TEST_PASSWORD }));
    expect(right.status).toBe(400);
    expect(right.data.formError).toBe(PASSWORD_SIGN_IN_OFF.replace("the single sign-on button", '"Sign in with NHSmail"'));
    const wrong = await call(signInRoute.action, post("/sign-in", { email: LEAD.email, password: "not the password" }));
    expect(wrong.data.formError).toBe("The email address or password is not correct.");
    const attempts = await getDb().selectFrom("login_attempt").select("succeeded").orderBy("id").execute();
    expect(attempts.map((a) => a.succeeded)).toEqual([true, false, false]);
    expect((await ssoSignIn(routes, { login: LEAD.login, password: PW })).result.status).toBe(302);
    const actions = await auditActions();
    expect(actions).toContain("user.password_sign_in_off");

    // And back on: the password works again, audited.
    const v2 = (await getDb().selectFrom("app_user").select("version").where("id", "=", pmId).executeTakeFirstOrThrow()).version;
    await setPasswordSignIn(getDb(), adminId, pmId, true, v2);
    expect((await call(signInRoute.action, post("/sign-in", { email: LEAD.email, password: TEST_PASSWORD }))).status).toBe(302);
    expect(await auditActions()).toContain("user.password_sign_in_on");
  });

  it("an admin cannot switch off their own password before single sign-on is linked for them", async () => {
    const { version } = await getDb().selectFrom("app_user").select("version").where("id", "=", adminId).executeTakeFirstOrThrow();
    await expect(setPasswordSignIn(getDb(), adminId, adminId, false, version)).rejects.toThrow(/cannot switch off your own password/);
    const u = await getDb().selectFrom("app_user").select("password_sign_in").where("id", "=", adminId).executeTakeFirstOrThrow();
    expect(u.password_sign_in).toBe(true);
  });
});

describe("sign-out", () => {
  it("ends the app session and offers the provider's end-session, which signs the person out there too", async () => {
    await inviteLead();
    const signedIn = await ssoSignIn(routes, { login: LEAD.login, password: PW });
    const res = await call(signOutRoute.action, post("/sign-out", {}, { cookie: sessionCookie(signedIn.appJar) }));
    expect(res.status).toBe(200);
    expect(setCookies(res.response)[0]).toMatch(/^__session=;/);
    expect(await getDb().selectFrom("session").select("id").execute()).toHaveLength(0);
    expect((await auditActions()).slice(-1)).toEqual(["auth.sign_out"]);
    // Remix runs the page's loader after the action: with the session gone it must render, not redirect away.
    expect((await call(signOutRoute.loader, get("/sign-out", sessionCookie(signedIn.appJar)))).status).toBe(200);
    const end = new URL(res.data.endSessionUrl);
    expect(`${end.origin}${end.pathname}`).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get("id_token_hint")).toMatch(/^ey/);
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${BASE}/sign-in`);

    // Follow the link at the provider, confirm, and land back on the app's sign-in page.
    const page = await fetch(end, { headers: { Cookie: signedIn.idpJar.header() }, redirect: "manual" });
    signedIn.idpJar.store(page.headers.getSetCookie());
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1];
    const confirm = await fetch(new URL(action, idp.issuer), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: signedIn.idpJar.header(), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    });
    signedIn.idpJar.store(confirm.headers.getSetCookie());
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get("Location")).toBe(`${BASE}/sign-in`);

    // The provider's session is gone: the next sign-in asks for the password again.
    const next = await call(start.loader, get("/auth/oidc"));
    let url = next.location!;
    let loginHtml = "";
    for (let hops = 0; hops < 5 && !loginHtml; hops++) {
      const r = await fetch(url, { headers: { Cookie: signedIn.idpJar.header() }, redirect: "manual" });
      signedIn.idpJar.store(r.headers.getSetCookie());
      if (r.status >= 300 && r.status < 400) url = new URL(r.headers.get("Location")!, url).toString();
      else loginHtml = await r.text();
    }
    expect(loginHtml).toMatch(/action="\/interaction\/[^"]+\/login"/);
  });

  it("a password session just signs out to the sign-in page", async () => {
    const r = await call(signInRoute.action, post("/sign-in", { email: "admin@test.nhs.test", password: TEST_PASSWORD }));
    const res = await call(signOutRoute.action, post("/sign-out", {}, { cookie: setCookies(r.response)[0].split(";")[0] }));
    expect(res.status).toBe(302);
    expect(res.location).toBe("/sign-in");
  });
});
