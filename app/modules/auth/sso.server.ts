/**
 * Who a verified single sign-on identity signs in as. Roles only ever come from an admin's
 * invitation: the first sign-in links the identity to the invited account with the same,
 * verified email; later sign-ins find it by issuer and subject. Nothing here creates a user.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import type { OidcIdentity } from "./oidc.server";
import * as repo from "./repository.server";
import * as sso from "./sso-repository.server";
import { THROTTLE, waitSeconds } from "./throttle";

export type SsoRefusal = "no_email" | "unverified" | "uninvited" | "inactive" | "linked_elsewhere";

export type SsoSignInResult =
  { ok: true; sessionId: string; expiresAt: Date; userId: number; linked: boolean } | { ok: false; reason: SsoRefusal };

/**
 * Seconds a single sign-on from this address must wait. Only the client-address bucket applies:
 * the provider, not a password, proves who the person is, so guesses at an account's password
 * must not keep its owner out of single sign-on, while one address failing callbacks over and
 * over (forged states, refused identities) slows down like any other failing client.
 */
export async function ssoThrottleWait(db: Db, ip: string, now = new Date()) {
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const b = await repo.loginBuckets(db, { email: "", ip, deviceId: null, since });
  return waitSeconds({ failures: b.client.n, lastFailureAt: b.client.last }, THROTTLE.client, now);
}

/** A refused callback counts as a failed sign-in from this address (and for the email, if any). */
export async function recordSsoFailure(db: Db, f: { email: string | null; ip: string; now?: Date }) {
  await repo.insertLoginAttempt(db, { email: f.email ?? "", ip: f.ip, deviceId: null, throttled: false, at: f.now ?? new Date() });
}

export async function signInWithSso(
  db: Db,
  input: { identity: OidcIdentity; ip: string; ttlHours: number; now?: Date },
): Promise<SsoSignInResult> {
  const now = input.now ?? new Date();
  const { identity } = input;
  const result = await db.transaction().execute(async (trx): Promise<SsoSignInResult> => {
    let userId: number;
    let linked = false;
    const existing = await sso.findLinkedUser(trx, identity.issuer, identity.subject);
    if (existing) {
      if (!existing.is_active) return { ok: false, reason: "inactive" };
      userId = existing.id;
      await sso.touchLink(trx, existing.link_id, now);
    } else {
      if (!identity.email) return { ok: false, reason: "no_email" };
      if (!identity.emailVerified) return { ok: false, reason: "unverified" };
      const user = await repo.findUserByEmail(trx, identity.email);
      if (!user) return { ok: false, reason: "uninvited" };
      if (!user.is_active) return { ok: false, reason: "inactive" };
      // Another identity at this provider already holds the account: a second person with the
      // same email (or a re-created provider account) must not take it over silently.
      if (await sso.findUserLink(trx, user.id, identity.issuer)) return { ok: false, reason: "linked_elsewhere" };
      const link = await sso.insertLink(trx, {
        userId: user.id,
        issuer: identity.issuer,
        subject: identity.subject,
        email: identity.email,
        at: now,
      });
      if (!link) return { ok: false, reason: "linked_elsewhere" };
      userId = user.id;
      linked = true;
      await recordAudit(trx, {
        userId,
        action: "auth.sso_link",
        entityType: "user",
        entityId: String(userId),
        after: { issuer: identity.issuer, subject: identity.subject, email: identity.email },
      });
    }
    const sessionId = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + input.ttlHours * 3_600_000);
    await sso.insertSsoSession(trx, { id: sessionId, userId, expiresAt, idToken: identity.idToken });
    const attemptId = await repo.insertLoginAttempt(trx, {
      email: identity.email ?? "",
      ip: input.ip,
      deviceId: null,
      throttled: false,
      at: now,
    });
    await repo.markAttemptSucceeded(trx, attemptId);
    await recordAudit(trx, {
      userId,
      action: "auth.sso_sign_in",
      entityType: "user",
      entityId: String(userId),
      after: { issuer: identity.issuer },
    });
    return { ok: true, sessionId, expiresAt, userId, linked };
  });
  if (!result.ok) await recordSsoFailure(db, { email: identity.email, ip: input.ip, now });
  return result;
}
