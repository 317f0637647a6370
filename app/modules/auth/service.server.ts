import { randomBytes } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { getDummyHash, verifyPassword } from "~/utils/password.server";
import type { MembershipLike } from "~/utils/permissions";
import * as repo from "./repository.server";
import { THROTTLE, throttledMessage, waitSeconds } from "./throttle";

export const GENERIC_SIGN_IN_ERROR = "The email address or password is not correct.";
/** Said only to someone who typed the right password, so it reveals nothing to a guesser. */
export const PASSWORD_SIGN_IN_OFF =
  "Password sign-in is switched off for your account. Use the single sign-on button on this page instead, or ask your administrator.";

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  memberships: MembershipLike[];
  /** The session's one-time message, if any (read in the same query; see flash.server.ts). */
  flash?: string | null;
}

/** What a signed "known-good device" cookie says: this browser's id and who has signed in on it. */
export interface KnownDevice {
  deviceId: string;
  userIds: number[];
}

export type SignInResult =
  | { ok: true; sessionId: string; expiresAt: Date; userId: number }
  | { ok: false; message: string; retryAfterSeconds?: number; passwordOff?: true };

/**
 * Checks a sign-in attempt against the throttling buckets (see ./throttle.ts), then the password.
 * `device` is the browser's verified device cookie, if it sent one; it counts only when it names
 * this account's user.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string; ttlHours: number; now?: Date; device?: KnownDevice | null },
): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const user = await repo.findUserByEmail(db, input.email);
  const deviceId = user && input.device?.userIds.includes(user.id) ? input.device.deviceId : null;
  const { attemptId, wait } = await db.transaction().execute(async (trx) => {
    await repo.lockAccountAttempts(trx, input.email);
    const wait = await throttleWait(trx, { email: input.email, ip: input.ip, deviceId, now });
    const attemptId = await repo.insertLoginAttempt(trx, { email: input.email, ip: input.ip, deviceId, throttled: wait > 0, at: now });
    return { attemptId, wait };
  });
  if (wait > 0) return { ok: false, message: throttledMessage(wait), retryAfterSeconds: wait };
  // Verify against a dummy hash when the user is unknown so response time does not reveal it.
  const valid = await verifyPassword(input.password, user?.password_hash ?? (await getDummyHash()));
  if (!user || !user.is_active || !valid) return { ok: false, message: GENERIC_SIGN_IN_ERROR };
  // The attempt stays recorded as a failure: a switched-off password must not reset the throttle.
  if (!user.password_sign_in) return { ok: false, message: PASSWORD_SIGN_IN_OFF, passwordOff: true };
  const sessionId = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + input.ttlHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await repo.markAttemptSucceeded(trx, attemptId);
    await repo.insertSession(trx, { id: sessionId, userId: user.id, expiresAt });
    await recordAudit(trx, { userId: user.id, action: "auth.sign_in", entityType: "user", entityId: String(user.id) });
  });
  return { ok: true, sessionId, expiresAt, userId: user.id };
}

/**
 * Seconds this attempt must wait: a known-good device waits only for its own failures; anyone
 * else for the account's and the client address's.
 */
export async function throttleWait(db: Db, q: { email: string; ip: string; deviceId: string | null; now: Date }) {
  const since = new Date(q.now.getTime() - THROTTLE.windowMinutes * 60_000);
  const b = await repo.loginBuckets(db, { email: q.email, ip: q.ip, deviceId: q.deviceId, since });
  const bucket = (x: { n: number; last: Date | null }) => ({ failures: x.n, lastFailureAt: x.last });
  if (q.deviceId) return waitSeconds(bucket(b.device), THROTTLE.device, q.now);
  return Math.max(waitSeconds(bucket(b.account), THROTTLE.account, q.now), waitSeconds(bucket(b.client), THROTTLE.client, q.now));
}

export async function signOut(db: Db, sessionId: string, userId: number) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sessionId);
    await recordAudit(trx, { userId, action: "auth.sign_out", entityType: "user", entityId: String(userId) });
  });
}

export async function getSessionUser(db: Db, sessionId: string, now = new Date()): Promise<SessionUser | null> {
  const rows = await repo.findSessionUser(db, sessionId, now);
  if (rows.length === 0) return null;
  const { id, email, name, flash } = rows[0];
  const memberships = rows
    .filter((r) => r.role !== null)
    .map((r) => ({ role: r.role!, icb_code: r.icb_code, practice_code: r.practice_code }));
  return { id, email, name, memberships, flash };
}
