import { beforeEach, describe, expect, it } from "vitest";
import { signIn } from "~/modules/auth/service.server";
import { COMMON_PASSWORD_MESSAGE } from "~/modules/users/password-policy.server";
import { issuePasswordReset, RESET_TTL_HOURS } from "~/modules/users/password.server";
import * as changePassword from "~/routes/account.password";
import * as userPage from "~/routes/admin.users.$id";
import * as newUser from "~/routes/admin.users.new";
import * as resetPage from "~/routes/reset-password.$token";
import * as home from "~/routes/_index";
import { getDb, getDbHandle } from "~/utils/db.server";
import { truncateAll } from "../support/db";
import { createUser, seedOrgs, TEST_PASSWORD } from "../support/factories";
import { call, cookieFor, get, post, flashFor } from "../support/requests";

const PM = "pm@test.nhs.test";
const ADMIN = "admin@test.nhs.test";
const NEW_PASSWORD = "kettle lantern ostrich violet";
let pmId: number;
let adminId: number;

beforeEach(async () => {
  await truncateAll(getDbHandle());
  await seedOrgs(getDb());
  adminId = await createUser(getDb(), { email: ADMIN, memberships: [{ role: "admin" }] });
  pmId = await createUser(getDb(), { email: PM, memberships: [{ role: "practice_manager", practice_code: "F84003" }] });
});

const canSignIn = async (email: string, password: string) => (await signIn(getDb(), { email, password, ip: "test", ttlHours: 1 })).ok;
const auditActions = async (entityId: number) =>
  (await getDb().selectFrom("audit_event").select("action").where("entity_id", "=", String(entityId)).orderBy("id").execute()).map(
    (a) => a.action,
  );
const signedIn = async (cookie: string) => (await call(home.loader, get("/", cookie))).status === 200;

describe("password policy on every form that sets a password", () => {
  it.each([
    ["12 spaces", " ".repeat(12), "Password cannot be only spaces"],
    ["password1234", "password1234", COMMON_PASSWORD_MESSAGE],
    ["a password on the common list", "1qaz2wsx3edc4rfv", COMMON_PASSWORD_MESSAGE],
    ["too short", "short", /at least 12/],
  ])("adding a user refuses %s next to the field, creating nothing", async (_name, password, message) => {
    const admin = await cookieFor(ADMIN);
    const res = await call(
      newUser.action,
      post("/admin/users/new", { name: "Asha Patel", email: "asha@test.nhs.test", password, role: "admin" }, { cookie: admin }),
    );
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.password).toEqual(typeof message === "string" ? message : expect.stringMatching(message));
    expect(res.data.values ?? {}).not.toHaveProperty("password");
    expect(await getDb().selectFrom("app_user").select("id").where("email", "=", "asha@test.nhs.test").executeTakeFirst()).toBeUndefined();
  });

  it("the demo password still passes", async () => {
    const admin = await cookieFor(ADMIN);
    const res = await call(
      newUser.action,
      post(
        "/admin/users/new",
        { name: "Demo", email: "demo@test.nhs.test", password: "demo-password-2026", role: "admin" },
        { cookie: admin },
      ),
    );
    expect(res.status).toBe(302);
  });
});

describe("changing your own password", () => {
  const form = (fields: Record<string, string>, cookie: string) =>
    call(changePassword.action, post("/account/password", fields, { cookie }));

  it("needs the current password, ends every OTHER session, keeps this one, and is audited", async () => {
    const here = await cookieFor(PM);
    const laptop = await cookieFor(PM);
    const phone = await cookieFor(PM);
    const res = await form({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account/password");
    expect(await flashFor(here)).toBe("Your password has been changed. You have been signed out everywhere else (2 other sign-ins ended).");
    expect(await signedIn(here)).toBe(true);
    expect(await signedIn(laptop)).toBe(false);
    expect(await signedIn(phone)).toBe(false);
    expect(await canSignIn(PM, NEW_PASSWORD)).toBe(true);
    expect(await canSignIn(PM, TEST_PASSWORD)).toBe(false);
    const audit = await getDb()
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "user.password_change")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ user_id: pmId, entity_id: String(pmId), after: { other_sessions_ended: 2 } });
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
  });

  it("refuses a wrong current password, the policy's refusals and a mismatch, changing nothing and echoing no password", async () => {
    const here = await cookieFor(PM);
    const other = await cookieFor(PM);
    const wrong = await form({ currentPassword: "not my password", newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here);
    expect(wrong.data.fieldErrors).toEqual({ currentPassword: "Your current password is not correct" });
    const spaces = await form({ currentPassword: TEST_PASSWORD, newPassword: " ".repeat(12), confirmPassword: " ".repeat(12) }, here);
    expect(spaces.data.fieldErrors.newPassword).toBe("Password cannot be only spaces");
    const common = await form({ currentPassword: TEST_PASSWORD, newPassword: "Password1234", confirmPassword: "Password1234" }, here);
    expect(common.data.fieldErrors.newPassword).toBe(COMMON_PASSWORD_MESSAGE);
    const mismatch = await form({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD + "x" }, here);
    expect(mismatch.data.fieldErrors.confirmPassword).toBe("The passwords do not match");
    const same = await form({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD, confirmPassword: TEST_PASSWORD }, here);
    expect(same.data.fieldErrors.newPassword).toMatch(/different from your current one/);
    for (const r of [wrong, spaces, common, mismatch, same]) expect(JSON.stringify(r.data ?? {})).not.toMatch(/Password1234|kettle|horse/);
    expect(await canSignIn(PM, TEST_PASSWORD)).toBe(true);
    expect(await signedIn(other)).toBe(true);
    expect(await auditActions(pmId)).not.toContain("user.password_change");
  });

  it("wrong current passwords are throttled like sign-ins, so a stolen session cannot guess quickly", async () => {
    const here = await cookieFor(PM);
    const hash = async () =>
      (await getDb().selectFrom("app_user").select("password_hash").where("id", "=", pmId).executeTakeFirstOrThrow()).password_hash;
    const before = await hash();
    for (let i = 0; i < 5; i++)
      await form({ currentPassword: `guess ${i}`, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here);
    const next = await form({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, here);
    expect(next.data.formError).toMatch(/^Too many failed password attempts\. Wait \d+ seconds? and try again\.$/);
    expect(await hash()).toBe(before);
  });

  it("is for signed-in people only", async () => {
    const res = await call(
      changePassword.action,
      post("/account/password", { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }),
    );
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/sign-in\?redirectTo=/);
  });
});

describe("admin-issued reset links", () => {
  async function issueFromPage() {
    const admin = await cookieFor(ADMIN);
    const res = await call(userPage.action, post(`/admin/users/${pmId}`, { intent: "issue-reset" }, { cookie: admin }), {
      id: String(pmId),
    });
    expect(res.status).toBe(200);
    const link: string = res.data.resetLink;
    expect(link).toMatch(/^http:\/\/localhost:3000\/reset-password\/[A-Za-z0-9_-]{43}$/);
    return { token: link.split("/").pop()!, expiresAt: new Date(res.data.resetExpiresAt) };
  }
  const useLink = (token: string, newPassword = NEW_PASSWORD, confirmPassword = newPassword) =>
    call(resetPage.action, post(`/reset-password/${token}`, { newPassword, confirmPassword }), { token });
  const view = async (token: string) => (await call(resetPage.loader, get(`/reset-password/${token}`), { token })).data;

  it("is printed for the admin once, stored only as a hash, expires in 24 hours and is audited", async () => {
    const before = Date.now();
    const { token, expiresAt } = await issueFromPage();
    expect(expiresAt.getTime() - before).toBeGreaterThan((RESET_TTL_HOURS - 0.1) * 3600_000);
    expect(expiresAt.getTime() - before).toBeLessThanOrEqual(RESET_TTL_HOURS * 3600_000 + 60_000);
    const rows = await getDb().selectFrom("password_reset").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
    const audit = await getDb()
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "user.password_reset_issued")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ user_id: adminId, entity_id: String(pmId) });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(await view(token)).toMatchObject({ state: "valid", email: PM });
  });

  it("sets a new password under the policy, ends all the person's sessions, is audited, and works only once", async () => {
    const session = await cookieFor(PM);
    const { token } = await issueFromPage();
    const weak = await useLink(token, "password1234");
    expect(weak.data.fieldErrors.newPassword).toBe(COMMON_PASSWORD_MESSAGE);
    const ok = await useLink(token);
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/sign-in?reset=done");
    expect(ok.response!.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(await signedIn(session)).toBe(false);
    expect(await canSignIn(PM, NEW_PASSWORD)).toBe(true);
    expect(await auditActions(pmId)).toContain("user.password_reset");
    // Used: the page says so, and a second go changes nothing.
    expect(await view(token)).toMatchObject({ state: "used", message: expect.stringMatching(/already been used/) });
    const again = await useLink(token, "another fine passphrase");
    expect(again.data.linkMessage).toMatch(/already been used/);
    expect(await canSignIn(PM, "another fine passphrase")).toBe(false);
  });

  it("an expired link says so and sets nothing", async () => {
    const { token } = await issuePasswordReset(getDb(), adminId, pmId, new Date(Date.now() - (RESET_TTL_HOURS + 1) * 3600_000));
    expect(await view(token)).toMatchObject({ state: "expired", message: expect.stringMatching(/expired/) });
    const res = await useLink(token);
    expect(res.data.linkMessage).toMatch(/expired/);
    expect(await canSignIn(PM, TEST_PASSWORD)).toBe(true);
  });

  it("a newer link cancels the older one; a made-up token is simply not valid", async () => {
    const first = await issueFromPage();
    const second = await issueFromPage();
    expect((await view(first.token)).state).toBe("invalid");
    expect((await view(second.token)).state).toBe("valid");
    expect(await view("not-a-token")).toMatchObject({ state: "invalid", message: expect.stringMatching(/not valid/) });
    expect((await useLink("A".repeat(43))).data.linkMessage).toMatch(/not valid/);
  });
});
