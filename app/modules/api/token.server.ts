import { createHash, randomBytes } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import type { SessionUser } from "~/modules/auth/service.server";
import * as usersRepo from "~/modules/users/repository.server";
import { badRequest, notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import * as repo from "./token-repository.server";
import type { NewTokenInput, ServiceTokenInput } from "./token-schema";

/**
 * API tokens: 32 random bytes after a recognisable prefix (so secret scanners and people can
 * tell what it is). Only the SHA-256 is stored: the token has 256 bits of entropy, so a slow
 * password hash would add nothing, and a fast one lets every request be checked by index.
 */
export const TOKEN_PREFIX = "gpde_";

export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export function newTokenValue() {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token), hint: token.slice(0, TOKEN_PREFIX.length + 6) };
}

const tokenAudit = (t: { id: number; name: string; hint: string; expires_at: Date; rate_limit_per_minute: number }, userId: number) => ({
  token_id: t.id,
  name: t.name,
  hint: t.hint,
  user_id: userId,
  expires_at: t.expires_at.toISOString(),
  rate_limit_per_minute: t.rate_limit_per_minute,
});

/**
 * Makes a token for `ownerId` and returns its value: the only time anyone sees it. The
 * token's rights are its owner's memberships, read on every request.
 */
export async function createToken(
  db: Db,
  opts: { actorId: number | null; actor?: string | null; ownerId: number; input: NewTokenInput; ratePerMinute?: number; now?: Date },
) {
  const now = opts.now ?? new Date();
  const { token, hash, hint } = newTokenValue();
  const expiresAt = new Date(now.getTime() + opts.input.days * 86_400_000);
  const row = await db.transaction().execute(async (trx) => {
    const row = await repo.insertToken(trx, {
      userId: opts.ownerId,
      name: opts.input.name,
      hash,
      hint,
      createdBy: opts.actorId,
      expiresAt,
      ratePerMinute: opts.ratePerMinute,
    });
    await recordAudit(trx, {
      userId: opts.actorId,
      actor: opts.actor ?? null,
      action: "api_token.create",
      entityType: "api_token",
      entityId: String(row.id),
      after: tokenAudit(row, opts.ownerId),
    });
    return row;
  });
  return { token, id: row.id, name: row.name, hint: row.hint, expiresAt: row.expires_at };
}

/** The command line: a token for the user with this email (they must exist and be active). */
export async function createTokenForEmail(db: Db, email: string, input: NewTokenInput, actor: string) {
  const user = await repo.findUserByEmail(db, email);
  if (!user || !user.is_active) throw badRequest(`No active user has the email address ${email}.`);
  return createToken(db, { actorId: null, actor, ownerId: user.id, input });
}

/**
 * An admin's token for a service account: the account is made (with its one membership) if
 * no user has the email yet; an existing service account gets another token and keeps its
 * memberships. A person's account is refused: people make their own tokens.
 */
export async function createServiceToken(
  db: Db,
  admin: SessionUser,
  input: ServiceTokenInput,
): Promise<FormFailure | { ok: true; token: string; id: number; userId: number }> {
  const exists = await usersRepo.scopeTargetsExist(db, input);
  const fieldErrors: Record<string, string> = {};
  if (!exists.icb) fieldErrors.icbCode = `There is no ICB with code ${input.icbCode}`;
  if (!exists.practice) fieldErrors.practiceCode = `There is no practice with ODS code ${input.practiceCode}`;
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  const { token, hash, hint } = newTokenValue();
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  return db.transaction().execute(async (trx) => {
    let account = await repo.findUserByEmail(trx, input.accountEmail);
    if (account && !account.is_service_account) {
      return {
        ok: false,
        fieldErrors: { accountEmail: "This email belongs to a person's account. People make their own tokens on their account page." },
      } as FormFailure;
    }
    const events = [];
    if (!account) {
      const created = await repo.insertServiceAccount(trx, { name: input.accountName, email: input.accountEmail });
      account = { ...created, is_active: true, is_service_account: true };
      events.push({
        userId: admin.id,
        action: "user.create",
        entityType: "user",
        entityId: String(created.id),
        after: { name: created.name, email: created.email, service_account: true },
      });
    }
    const m = { role: input.role, icbCode: input.icbCode, practiceCode: input.practiceCode };
    if (!(await usersRepo.findMembership(trx, account.id, m))) {
      const membership = await usersRepo.insertMembership(trx, { userId: account.id, ...m });
      events.push({ userId: admin.id, action: "membership.add", entityType: "user", entityId: String(account.id), after: membership });
    }
    const row = await repo.insertToken(trx, {
      userId: account.id,
      name: input.name,
      hash,
      hint,
      createdBy: admin.id,
      expiresAt,
      ratePerMinute: input.ratePerMinute,
    });
    events.push({
      userId: admin.id,
      action: "api_token.create",
      entityType: "api_token",
      entityId: String(row.id),
      after: tokenAudit(row, account.id),
    });
    await recordAudit(trx, events);
    return { ok: true as const, token, id: row.id, userId: account.id };
  });
}

/** Revokes a token: its owner may revoke their own, an admin any. Anything else is a 404. */
export async function revokeToken(db: Db, actor: { id: number; isAdmin: boolean }, tokenId: number, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    const t = await repo.findToken(trx, tokenId);
    if (!t || (t.user_id !== actor.id && !actor.isAdmin)) throw notFound("token");
    const done = await repo.revoke(trx, tokenId, actor.id, now);
    if (!done) return { alreadyRevoked: true };
    await recordAudit(trx, {
      userId: actor.id,
      action: "api_token.revoke",
      entityType: "api_token",
      entityId: String(tokenId),
      before: { revoked_at: null },
      after: { revoked_at: now.toISOString(), name: t.name },
    });
    return { alreadyRevoked: false };
  });
}

export type TokenListItem = Awaited<ReturnType<typeof repo.listTokensOf>>[number];

export function tokenState(t: { revoked_at: Date | null; expires_at: Date }, now = new Date()): "active" | "revoked" | "expired" {
  if (t.revoked_at) return "revoked";
  return t.expires_at <= now ? "expired" : "active";
}

export const listMyTokens = (db: Db, userId: number) => repo.listTokensOf(db, userId);
export const listServiceTokens = (db: Db, limit: number, offset: number) => repo.listServiceTokens(db, limit, offset);
