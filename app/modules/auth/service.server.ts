import { randomBytes } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { getDummyHash, verifyPassword } from "~/utils/password.server";
import type { MembershipLike } from "~/utils/permissions";
import * as repo from "./repository.server";

/** Lock-out policy: after this many failures in the window, sign-in is refused until it passes. */
export const LOCKOUT = { window_minutes: 15, max_per_email: 5, max_per_ip: 50 } as const;

export const GENERIC_SIGN_IN_ERROR = "The email address or password is not correct.";
export const LOCKED_SIGN_IN_ERROR = `Too many failed sign-in attempts. Wait ${LOCKOUT.window_minutes} minutes and try again.`;

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  memberships: MembershipLike[];
}

export type SignInResult = { ok: true; sessionId: string; expiresAt: Date; userId: number } | { ok: false; message: string };

export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string; ttlHours: number; now?: Date },
): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - LOCKOUT.window_minutes * 60_000);
  const failures = await repo.countRecentFailures(db, input.email, input.ip, since);
  if (failures.byEmail >= LOCKOUT.max_per_email || failures.byIp >= LOCKOUT.max_per_ip) {
    await repo.recordLoginAttempt(db, { email: input.email, ip: input.ip, succeeded: false });
    return { ok: false, message: LOCKED_SIGN_IN_ERROR };
  }
  const user = await repo.findUserByEmail(db, input.email);
  // Verify against a dummy hash when the user is unknown so response time does not reveal it.
  const valid = await verifyPassword(input.password, user?.password_hash ?? (await getDummyHash()));
  if (!user || !user.is_active || !valid) {
    await repo.recordLoginAttempt(db, { email: input.email, ip: input.ip, succeeded: false });
    return { ok: false, message: GENERIC_SIGN_IN_ERROR };
  }
  const sessionId = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + input.ttlHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await repo.recordLoginAttempt(trx, { email: input.email, ip: input.ip, succeeded: true });
    await repo.insertSession(trx, { id: sessionId, userId: user.id, expiresAt });
    await recordAudit(trx, { userId: user.id, action: "auth.sign_in", entityType: "user", entityId: String(user.id) });
  });
  return { ok: true, sessionId, expiresAt, userId: user.id };
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
  const { id, email, name } = rows[0];
  const memberships = rows
    .filter((r) => r.role !== null)
    .map((r) => ({ role: r.role!, icb_code: r.icb_code, practice_code: r.practice_code }));
  return { id, email, name, memberships };
}
