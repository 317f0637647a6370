import { createHash, randomBytes } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import * as authRepo from "~/modules/auth/repository.server";
import { throttleWait, type SessionUser } from "~/modules/auth/service.server";
import { throttledMessage } from "~/modules/auth/throttle";
import { notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import { getDummyHash, hashPassword, verifyPassword } from "~/utils/password.server";
import { passwordProblem } from "./password-policy.server";
import * as repo from "./repository.server";
import type { ChangePasswordInput, ResetPasswordInput } from "./schema";

import { RESET_TTL_HOURS } from "./schema";

export { RESET_TTL_HOURS };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** Tokens are 43 base64url characters; anything else is not ours, so no database look-up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A signed-in user changes their own password: the current one is required (and a wrong one
 * counts as a failed sign-in for throttling, so a stolen session cannot guess it quickly). On
 * success every OTHER session of theirs ends, and the change is audited.
 */
export async function changeOwnPassword(
  db: Db,
  user: SessionUser,
  currentSessionId: string,
  input: ChangePasswordInput,
  opts: { ip: string; now?: Date },
): Promise<{ ok: true; sessionsEnded: number } | FormFailure> {
  const now = opts.now ?? new Date();
  const weak = passwordProblem(input.newPassword);
  if (weak) return { ok: false, fieldErrors: { newPassword: weak } };
  const creds = await repo.findCredentials(db, user.id);
  if (!creds) throw notFound("user");
  // Invited for single sign-on: there is no password to change (the person is already signed in).
  if (creds.password_hash === null) {
    return {
      ok: false,
      fieldErrors: {},
      formError: "Your account has no password: you sign in with single sign-on. Ask your administrator if you need one.",
    };
  }
  const { wait, attemptId } = await db.transaction().execute(async (trx) => {
    await authRepo.lockAccountAttempts(trx, creds.email);
    const wait = await throttleWait(trx, { email: creds.email, ip: opts.ip, deviceId: null, now });
    const attemptId = await authRepo.insertLoginAttempt(trx, {
      email: creds.email,
      ip: opts.ip,
      deviceId: null,
      throttled: wait > 0,
      at: now,
    });
    return { wait, attemptId };
  });
  if (wait > 0) return { ok: false, fieldErrors: {}, formError: throttledMessage(wait).replace("sign-in attempts", "password attempts") };
  // Someone invited for single sign-on has no password: check against a dummy so nothing matches.
  if (!(await verifyPassword(input.currentPassword, creds.password_hash ?? (await getDummyHash())))) {
    return { ok: false, fieldErrors: { currentPassword: "Your current password is not correct" } };
  }
  if (input.newPassword === input.currentPassword) {
    await authRepo.markAttemptSucceeded(db, attemptId);
    return { ok: false, fieldErrors: { newPassword: "Choose a password different from your current one" } };
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    await authRepo.markAttemptSucceeded(trx, attemptId);
    await repo.setPasswordHash(trx, user.id, passwordHash);
    const sessionsEnded = await repo.deleteOtherSessions(trx, user.id, currentSessionId);
    await recordAudit(trx, {
      userId: user.id,
      action: "user.password_change",
      entityType: "user",
      entityId: String(user.id),
      after: { other_sessions_ended: sessionsEnded },
    });
    return { ok: true as const, sessionsEnded };
  });
}

/**
 * An admin issues a single-use reset link for someone. Only the token's SHA-256 is stored; the
 * token itself is returned once, for the admin to pass on (there is no email yet). Issuing a new
 * link revokes any earlier unused one.
 */
export async function issuePasswordReset(db: Db, actorId: number, userId: number, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + RESET_TTL_HOURS * 3_600_000);
  await db.transaction().execute(async (trx) => {
    if (!(await repo.findUser(trx, userId))) throw notFound("user");
    await repo.deleteUnusedResets(trx, userId);
    const reset = await repo.insertReset(trx, { userId, tokenHash: hashToken(token), createdBy: actorId, expiresAt });
    await recordAudit(trx, {
      userId: actorId,
      action: "user.password_reset_issued",
      entityType: "user",
      entityId: String(userId),
      after: { reset_id: reset.id, expires_at: expiresAt.toISOString() },
    });
  });
  return { token, expiresAt };
}

export type ResetLinkState = "valid" | "used" | "expired" | "invalid";

export const RESET_LINK_MESSAGES: Record<Exclude<ResetLinkState, "valid">, string> = {
  used: "This reset link has already been used. Ask your administrator for a new one if you still need to reset your password.",
  expired: `This reset link has expired (links work for ${RESET_TTL_HOURS} hours). Ask your administrator for a new one.`,
  invalid: "This reset link is not valid. Check you copied the whole link, or ask your administrator for a new one.",
};

function stateOf(reset: { used_at: Date | null; expires_at: Date; is_active: boolean } | undefined, now: Date): ResetLinkState {
  if (!reset || !reset.is_active) return "invalid";
  if (reset.used_at) return "used";
  if (reset.expires_at.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** What the reset page should show for a token, without using it. */
export async function checkResetLink(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<{ state: ResetLinkState; email?: string }> {
  if (!token || !TOKEN_SHAPE.test(token)) return { state: "invalid" };
  const reset = await repo.findResetByHash(db, hashToken(token));
  const state = stateOf(reset, now);
  return state === "valid" ? { state, email: reset!.email } : { state };
}

/**
 * Uses a reset link: sets the new password (policy applies), marks the link used, ends every
 * session of the person, and audits it — all in one transaction, with the link row locked so two
 * tabs cannot both use it.
 */
export async function resetPassword(
  db: Db,
  token: string | undefined,
  input: ResetPasswordInput,
  now = new Date(),
): Promise<{ ok: true } | FormFailure | { ok: false; state: Exclude<ResetLinkState, "valid"> }> {
  if (!token || !TOKEN_SHAPE.test(token)) return { ok: false, state: "invalid" };
  const weak = passwordProblem(input.newPassword);
  if (weak) return { ok: false, fieldErrors: { newPassword: weak } };
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    const reset = await repo.findResetByHash(trx, hashToken(token), true);
    const state = stateOf(reset, now);
    if (state !== "valid") return { ok: false as const, state };
    await repo.markResetUsed(trx, reset!.id, now);
    await repo.setPasswordHash(trx, reset!.user_id, passwordHash);
    await repo.deleteSessionsForUser(trx, reset!.user_id);
    await recordAudit(trx, {
      userId: reset!.user_id,
      action: "user.password_reset",
      entityType: "user",
      entityId: String(reset!.user_id),
      after: { reset_id: reset!.id },
    });
    return { ok: true as const };
  });
}
