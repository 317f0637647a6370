import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { conflict, notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { hashPassword } from "~/utils/password.server";
import { passwordProblem } from "./password-policy.server";
import { listLinks } from "~/modules/auth/sso-repository.server";
import * as repo from "./repository.server";
import type { CreateUserInput, MembershipInput } from "./schema";

type Ok<T> = { ok: true } & T;

async function checkScopeTargets(db: Db, m: MembershipInput): Promise<FormFailure | null> {
  const exists = await repo.scopeTargetsExist(db, m);
  const fieldErrors: Record<string, string> = {};
  if (!exists.icb) fieldErrors.icbCode = `There is no ICB with code ${m.icbCode}`;
  if (!exists.practice) fieldErrors.practiceCode = `There is no practice with ODS code ${m.practiceCode}`;
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : null;
}

export async function createUser(db: Db, actorId: number | null, input: CreateUserInput): Promise<Ok<{ userId: number }> | FormFailure> {
  const weak = input.password === null ? null : passwordProblem(input.password);
  if (weak) return { ok: false, fieldErrors: { password: weak } };
  const scopeProblem = await checkScopeTargets(db, input);
  if (scopeProblem) return scopeProblem;
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (await repo.emailTaken(trx, input.email)) {
      return { ok: false, fieldErrors: { email: "A user with this email address already exists" } } as FormFailure;
    }
    const user = await repo.insertUser(trx, { name: input.name, email: input.email, passwordHash });
    const membership = await repo.insertMembership(trx, { userId: user.id, ...input });
    await recordAudit(trx, [
      {
        userId: actorId,
        action: passwordHash ? "user.create" : "user.invite",
        entityType: "user",
        entityId: String(user.id),
        after: { name: user.name, email: user.email, password_sign_in: user.password_sign_in },
      },
      { userId: actorId, action: "membership.add", entityType: "user", entityId: String(user.id), after: membership },
    ]);
    return { ok: true as const, userId: user.id };
  });
}

export async function addMembership(
  db: Db,
  actorId: number,
  userId: number,
  input: MembershipInput,
): Promise<Ok<{ membershipId: number }> | FormFailure> {
  const scopeProblem = await checkScopeTargets(db, input);
  if (scopeProblem) return scopeProblem;
  return db.transaction().execute(async (trx) => {
    if (!(await repo.findUser(trx, userId))) throw notFound("user");
    if (await repo.findMembership(trx, userId, input)) {
      return { ok: false, fieldErrors: { role: "This person already has that role and scope" } } as FormFailure;
    }
    const membership = await repo.insertMembership(trx, { userId, ...input });
    await recordAudit(trx, { userId: actorId, action: "membership.add", entityType: "user", entityId: String(userId), after: membership });
    return { ok: true as const, membershipId: membership.id };
  });
}

export async function removeMembership(db: Db, actorId: number, userId: number, membershipId: number) {
  await db.transaction().execute(async (trx) => {
    const removed = await repo.deleteMembership(trx, userId, membershipId);
    if (!removed) throw notFound("membership");
    await recordAudit(trx, { userId: actorId, action: "membership.remove", entityType: "user", entityId: String(userId), before: removed });
  });
}

/** Deactivating also ends the person's sessions, so access stops at once. */
export async function setActive(db: Db, actorId: number, userId: number, active: boolean, version: number) {
  await db.transaction().execute(async (trx) => {
    const before = await repo.findUser(trx, userId);
    if (!before) throw notFound("user");
    const after = await repo.setUserActive(trx, userId, active, version);
    if (!after) throw conflict("Someone else changed this user since you opened the page. Reload it and try again.");
    if (!active) await repo.deleteSessionsForUser(trx, userId);
    await recordAudit(trx, {
      userId: actorId,
      action: active ? "user.activate" : "user.deactivate",
      entityType: "user",
      entityId: String(userId),
      before: { is_active: before.is_active },
      after: { is_active: after.is_active },
    });
  });
}

/**
 * Switches password sign-in on or off for a person. Switching it off also ends their password
 * sessions (single sign-on ones stay). An admin may not switch off their own password unless
 * single sign-on is linked for them, so the last way in cannot be closed by mistake.
 */
export async function setPasswordSignIn(db: Db, actorId: number, userId: number, enabled: boolean, version: number) {
  await db.transaction().execute(async (trx) => {
    const before = await repo.findUser(trx, userId);
    if (!before) throw notFound("user");
    if (!enabled && actorId === userId && !(await repo.hasSsoLink(trx, userId))) {
      throw conflict("You cannot switch off your own password until you have signed in with single sign-on at least once.");
    }
    const after = await repo.setPasswordSignIn(trx, userId, enabled, version);
    if (!after) throw conflict("Someone else changed this user since you opened the page. Reload it and try again.");
    if (!enabled) await repo.deletePasswordSessions(trx, userId);
    await recordAudit(trx, {
      userId: actorId,
      action: enabled ? "user.password_sign_in_on" : "user.password_sign_in_off",
      entityType: "user",
      entityId: String(userId),
      before: { password_sign_in: before.password_sign_in },
      after: { password_sign_in: after.password_sign_in },
    });
  });
}

export async function listUsers(db: Db, page: number) {
  const { rows, total } = await repo.listUsers(db, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return toPage(rows, total, page);
}

export async function getUserPage(db: Db, userId: number) {
  const user = await repo.findUser(db, userId);
  if (!user) throw notFound("user");
  const [memberships, ssoLinks] = await Promise.all([repo.listMemberships(db, userId), listLinks(db, userId)]);
  return { user, memberships, ssoLinks };
}
