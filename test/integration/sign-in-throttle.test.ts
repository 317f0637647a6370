import { beforeEach, describe, expect, it } from "vitest";
import { GENERIC_SIGN_IN_ERROR, signIn, type KnownDevice } from "~/modules/auth/service.server";
import { THROTTLE, type ThrottleRule } from "~/modules/auth/throttle";
import * as signInRoute from "~/routes/sign-in";
import { PEER_ADDRESS_HEADER } from "~/utils/client-address.server";
import { getDb, getDbHandle } from "~/utils/db.server";
import { commitKnownDevice, readKnownDevice } from "~/modules/auth/known-device.server";
import { truncateAll } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { BASE, call } from "../support/requests";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("parallel guesses on PostgreSQL: the row lock between connections is under test");

// Issue 11: 50 anonymous failures in 16 s (one shared bucket without X-Forwarded-For) locked the
// admin and the ICB lead out for 15 minutes even with the right password; five wrong guesses
// locked any named user; a made-up X-Forwarded-For skipped the per-address limit.
const ADMIN = "admin@test.nhs.test";
const LEAD = "lead@test.nhs.test";

beforeEach(async () => {
  await truncateAll(getDbHandle());
  await createUser(getDb(), { email: ADMIN, memberships: [{ role: "admin" }] });
  await createUser(getDb(), { email: LEAD, memberships: [{ role: "admin" }] });
});

/** A sign-in form post as a browser sends it, optionally with cookies and proxy headers. */
function signInPost(email: string, password: string, headers: Record<string, string> = {}) {
  return new Request(`${BASE}/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE, ...headers },
    body: new URLSearchParams({ email, password, redirectTo: "/" }).toString(),
  });
}

/** The Cookie header value for the device cookie a successful sign-in set. */
function deviceCookieFrom(res: { response?: Response }) {
  const set = res.response!.headers.getSetCookie().find((c) => c.startsWith("__device="));
  expect(set).toBeDefined();
  expect(set).toMatch(/HttpOnly/i);
  expect(set).toMatch(/SameSite=Lax/i);
  expect(set).toMatch(/Max-Age=31536000/);
  return set!.split(";")[0];
}

async function deviceCookieAfterSignIn(email: string, now: Date) {
  const r = await signIn(getDb(), { email, password: TEST_PASSWORD, ip: "unknown", ttlHours: 1, now });
  if (!r.ok) throw new Error(r.message);
  return (await commitKnownDevice(null, r.userId)).split(";")[0];
}

const need = (priorFailures: number, rule: ThrottleRule) =>
  priorFailures >= rule.free ? Math.min(rule.maxDelaySeconds, 2 ** (priorFailures - rule.free)) : 0;

/**
 * `count` wrong passwords through the real service, each timed just late enough to be let
 * through (as a patient attacker would), the last at `endAt`. Every one must be a plain failure.
 */
async function failSignIns(
  count: number,
  o: { email: (i: number) => string; ip: string; rules: ThrottleRule[]; endAt?: Date; device?: KnownDevice },
) {
  const gaps = Array.from({ length: count }, (_, j) => Math.max(0, ...o.rules.map((r) => need(j, r))) * 1000);
  let t = (o.endAt ?? new Date()).getTime() - gaps.reduce((a, b) => a + b, 0);
  for (let j = 0; j < count; j++) {
    t += gaps[j];
    const r = await signIn(getDb(), {
      email: o.email(j),
      password: `guess ${j}`,
      ip: o.ip,
      ttlHours: 1,
      now: new Date(t),
      device: o.device,
    });
    expect(r, `attempt ${j}`).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
  }
  return new Date(t);
}

const attempt = (email: string, password: string, now: Date, extra: { ip?: string; device?: KnownDevice | null } = {}) =>
  signIn(getDb(), { email, password, ip: extra.ip ?? "unknown", ttlHours: 1, now, device: extra.device });

describe("sign-in throttling: increasing delays, not a lock-out", () => {
  it("after 5 failures each further attempt waits 1, 2, 4 … seconds after the latest failure, and says how long", async () => {
    const t0 = new Date("2026-12-03T12:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    for (let i = 0; i < 5; i++) expect((await attempt(ADMIN, `wrong ${i}`, t0)).ok).toBe(false);
    expect(await attempt(ADMIN, TEST_PASSWORD, at(0.5))).toEqual({
      ok: false,
      message: "Too many failed sign-in attempts. Wait 1 second and try again.",
      retryAfterSeconds: 1,
    });
    expect(await attempt(ADMIN, "wrong 5", at(1))).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
    expect(await attempt(ADMIN, "x", at(1.2))).toMatchObject({ retryAfterSeconds: 2 });
    // Hammering while waiting neither tests a password nor lengthens the wait.
    for (let i = 0; i < 20; i++) expect(await attempt(ADMIN, TEST_PASSWORD, at(2))).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(await attempt(ADMIN, "wrong 6", at(3))).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
    expect(await attempt(ADMIN, "x", at(3))).toMatchObject({ retryAfterSeconds: 4 });
    expect((await attempt(ADMIN, TEST_PASSWORD, at(7))).ok).toBe(true);
    // Success clears the account's bucket: the next wrong guess is free again.
    expect(await attempt(ADMIN, "wrong 7", at(7.1))).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
    const rows = await getDb().selectFrom("login_attempt").select(["succeeded", "throttled"]).execute();
    expect(rows.filter((r) => r.throttled)).toHaveLength(23);
    expect(rows.filter((r) => r.succeeded)).toHaveLength(1);
  });

  it("the wait never passes the cap (5 minutes for an account), however long the attack", async () => {
    const end = await failSignIns(20, { email: () => ADMIN, ip: "198.51.100.1", rules: [THROTTLE.account, THROTTLE.client] });
    expect(await attempt(ADMIN, TEST_PASSWORD, end, { ip: "198.51.100.1" })).toMatchObject({ ok: false, retryAfterSeconds: 300 });
    expect((await attempt(ADMIN, TEST_PASSWORD, new Date(end.getTime() + 300_000), { ip: "198.51.100.1" })).ok).toBe(true);
  });

  it("50 anonymous failures from the shared bucket: the real user's known-good browser still signs in at once", async () => {
    // Yesterday the admin and the ICB lead each signed in on their own browser, which kept the
    // device cookie the sign-in page sets (the same commitKnownDevice the page uses).
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    const adminDevice = await deviceCookieAfterSignIn(ADMIN, yesterday);
    const leadDevice = await deviceCookieAfterSignIn(LEAD, yesterday);

    // The attack: 50 wrong passwords for the admin, then more for the lead, all with no proxy
    // header, so all from the one "unknown" client bucket.
    await failSignIns(50, {
      email: () => ADMIN,
      ip: "unknown",
      rules: [THROTTLE.account, THROTTLE.client],
      endAt: new Date(Date.now() - 200),
    });

    // Anyone without the admin's device cookie is slowed, and told for how long…
    const stranger = await call(signInRoute.action, signInPost(ADMIN, TEST_PASSWORD));
    expect(stranger.status).toBe(429);
    expect(Number(stranger.response!.headers.get("Retry-After"))).toBeGreaterThan(60);
    expect((await stranger.response!.json()).formError).toMatch(/^Too many failed sign-in attempts\. Wait [1-5] minutes? and try again\.$/);
    // …but the admin's own browser gets straight in, and so does the lead's (same client bucket).
    const admin = await call(signInRoute.action, signInPost(ADMIN, TEST_PASSWORD, { Cookie: adminDevice }));
    expect(admin.status).toBe(302);
    expect(admin.location).toBe("/");
    const lead = await call(signInRoute.action, signInPost(LEAD, TEST_PASSWORD, { Cookie: leadDevice }));
    expect(lead.status).toBe(302);
  }, 120_000);

  it("the reported burst (50 anonymous attempts in 16 s against the admin and the lead) slows strangers for seconds, not 15 minutes", async () => {
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    const adminDevice = await deviceCookieAfterSignIn(ADMIN, yesterday);
    const leadDevice = await deviceCookieAfterSignIn(LEAD, yesterday);
    const start = Date.now() - 16_000;
    const outcomes = [];
    for (let i = 0; i < 50; i++) outcomes.push(await attempt(i % 2 ? LEAD : ADMIN, `burst ${i}`, new Date(start + i * 320)));
    // Per account: 5 free guesses, then one each after 1, 2, 4, 8 s: at most 9 in 16 s, so
    // at most 18 of the 50 were tested at all; the rest were turned away without a check.
    const tested = outcomes.filter((o) => !o.ok && o.message === GENERIC_SIGN_IN_ERROR).length;
    expect(tested).toBeLessThanOrEqual(18);
    expect(outcomes.filter((o) => !o.ok && o.retryAfterSeconds)).toHaveLength(50 - tested);
    for (const [email, device] of [
      [ADMIN, adminDevice],
      [LEAD, leadDevice],
    ]) {
      const own = await call(signInRoute.action, signInPost(email, TEST_PASSWORD, { Cookie: device }));
      expect(own.status, email).toBe(302);
    }
    const waits = await Promise.all([ADMIN, LEAD].map((e) => attempt(e, "x", new Date())));
    for (const w of waits) expect(w.ok ? 0 : (w.retryAfterSeconds ?? 0)).toBeLessThanOrEqual(60);
  }, 60_000);

  it("a known-good browser is still throttled by its own failures", async () => {
    const first = await call(signInRoute.action, signInPost(ADMIN, TEST_PASSWORD));
    const device = (await readKnownDevice(new Request(BASE, { headers: { Cookie: deviceCookieFrom(first) } })))!;
    expect(device.userIds).toHaveLength(1);
    const t0 = new Date(Date.now() + 60_000);
    for (let i = 0; i < THROTTLE.device.free; i++)
      expect(await attempt(ADMIN, `typo ${i}`, t0, { device })).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
    expect(await attempt(ADMIN, TEST_PASSWORD, t0, { device })).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect((await attempt(ADMIN, TEST_PASSWORD, new Date(t0.getTime() + 1000), { device })).ok).toBe(true);
  });

  it("a device cookie earned on another account does not skip this account's throttle; a forged one is ignored", async () => {
    const own = await call(signInRoute.action, signInPost(LEAD, TEST_PASSWORD));
    const attackerDevice = deviceCookieFrom(own);
    await failSignIns(11, { email: () => ADMIN, ip: "unknown", rules: [THROTTLE.account], endAt: new Date(Date.now() - 100) });
    const withOther = await call(signInRoute.action, signInPost(ADMIN, TEST_PASSWORD, { Cookie: attackerDevice }));
    expect(withOther.status).toBe(429);
    const adminId = (await getDb().selectFrom("app_user").select("id").where("email", "=", ADMIN).executeTakeFirstOrThrow()).id;
    const forgedValue = Buffer.from(JSON.stringify({ d: "A".repeat(24), u: [adminId] })).toString("base64");
    const forged = await call(
      signInRoute.action,
      signInPost(ADMIN, TEST_PASSWORD, { Cookie: `__device=${encodeURIComponent(forgedValue)}.bad` }),
    );
    expect(forged.status).toBe(429);
  });

  it("a made-up X-Forwarded-For (TRUST_PROXY=0) shares the peer's bucket: a fresh header per guess gains nothing", async () => {
    const peer = "198.51.100.7";
    // 25 guesses at 25 different accounts from one peer, each claiming another address.
    await failSignIns(25, {
      email: (i) => `someone${i}@test.nhs.test`,
      ip: peer,
      rules: [THROTTLE.client],
      endAt: new Date(Date.now() - 100),
    });
    const res = await call(
      signInRoute.action,
      signInPost("someone-new@test.nhs.test", "another guess", { [PEER_ADDRESS_HEADER]: peer, "X-Forwarded-For": "203.0.113.250" }),
    );
    expect(res.status).toBe(429);
    const recorded = await getDb().selectFrom("login_attempt").select("ip").where("email", "=", "someone-new@test.nhs.test").execute();
    expect(recorded.map((r) => r.ip)).toEqual([peer]);
    // A different peer (another client) is not slowed by that one's failures.
    const other = await call(signInRoute.action, signInPost(ADMIN, TEST_PASSWORD, { [PEER_ADDRESS_HEADER]: "198.51.100.8" }));
    expect(other.status).toBe(302);
  }, 120_000); // 25 password checks (deliberately slow hashes): minutes on a busy machine

  it("the per-account throttle still slows guessing spread over many addresses", async () => {
    let n = 0;
    const t0 = new Date("2026-12-03T12:00:00Z");
    for (const ip of ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]) {
      expect(await attempt(ADMIN, `guess ${n++}`, t0, { ip })).toEqual({ ok: false, message: GENERIC_SIGN_IN_ERROR });
    }
    expect(await attempt(ADMIN, "guess", t0, { ip: "192.0.2.99" })).toMatchObject({ ok: false, retryAfterSeconds: 1 });
  });

  it("parallel guesses cannot all slip under the limit", async () => {
    const t0 = new Date("2026-12-03T12:00:00Z");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(ADMIN, `parallel ${i}`, t0)));
    expect(results.filter((r) => !r.ok && r.message === GENERIC_SIGN_IN_ERROR)).toHaveLength(THROTTLE.account.free);
    expect(results.filter((r) => !r.ok && r.retryAfterSeconds === 1)).toHaveLength(12 - THROTTLE.account.free);
  });
});
