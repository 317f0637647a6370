import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { Role } from "#db/types";

/** No password hash: invited for single sign-on only, so password sign-in starts switched off. */
export function insertUser(db: Db, u: { name: string; email: string; passwordHash: string | null }) {
  return db
    .insertInto("app_user")
    .values({ name: u.name, email: u.email, password_hash: u.passwordHash, password_sign_in: u.passwordHash !== null })
    .returning(["id", "name", "email", "password_sign_in"])
    .executeTakeFirstOrThrow();
}

export function emailTaken(db: Db, email: string) {
  return db
    .selectFrom("app_user")
    .select("id")
    .where(sql`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirst()
    .then(Boolean);
}

export function insertMembership(db: Db, m: { userId: number; role: Role; icbCode: string | null; practiceCode: string | null }) {
  return db
    .insertInto("membership")
    .values({ user_id: m.userId, role: m.role, icb_code: m.icbCode, practice_code: m.practiceCode })
    .returning(["id", "role", "icb_code", "practice_code"])
    .executeTakeFirstOrThrow();
}

export function findMembership(db: Db, userId: number, m: { role: Role; icbCode: string | null; practiceCode: string | null }) {
  return db
    .selectFrom("membership")
    .select("id")
    .where("user_id", "=", userId)
    .where("role", "=", m.role)
    .where((eb) => (m.icbCode ? eb("icb_code", "=", m.icbCode) : eb("icb_code", "is", null)))
    .where((eb) => (m.practiceCode ? eb("practice_code", "=", m.practiceCode) : eb("practice_code", "is", null)))
    .executeTakeFirst();
}

export function deleteMembership(db: Db, userId: number, membershipId: number) {
  return db
    .deleteFrom("membership")
    .where("id", "=", membershipId)
    .where("user_id", "=", userId)
    .returning(["id", "role", "icb_code", "practice_code"])
    .executeTakeFirst();
}

export async function listUsers(db: Db, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("app_user")
      .select(["id", "name", "email", "is_active"])
      .select(
        sql<string>`coalesce((select string_agg(m.role || coalesce(':' || m.icb_code, '') || coalesce(':' || m.practice_code, ''), ', ' order by m.role, m.icb_code, m.practice_code) from membership m where m.user_id = app_user.id), '')`.as(
          "memberships",
        ),
      )
      .orderBy("name")
      .orderBy("id")
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom("app_user")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function findUser(db: Db, id: number) {
  return db
    .selectFrom("app_user")
    .select(["id", "name", "email", "is_active", "version", "password_sign_in"])
    .select((eb) => eb("password_hash", "is not", null).as("has_password"))
    .where("id", "=", id)
    .executeTakeFirst();
}

export function setPasswordSignIn(db: Db, id: number, enabled: boolean, version: number) {
  return db
    .updateTable("app_user")
    .set((eb) => ({ password_sign_in: enabled, version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "password_sign_in", "version"])
    .executeTakeFirst();
}

/** Sessions started with a password (single sign-on sessions keep their ID token). */
export function deletePasswordSessions(db: Db, userId: number) {
  return db.deleteFrom("session").where("user_id", "=", userId).where("id_token", "is", null).execute();
}

export function hasSsoLink(db: Db, userId: number) {
  return db.selectFrom("sso_identity").select("id").where("user_id", "=", userId).executeTakeFirst().then(Boolean);
}

export function listMemberships(db: Db, userId: number) {
  return db
    .selectFrom("membership")
    .leftJoin("icb", "icb.code", "membership.icb_code")
    .leftJoin("practice", "practice.ods_code", "membership.practice_code")
    .select([
      "membership.id",
      "membership.role",
      "membership.icb_code",
      "membership.practice_code",
      "icb.name as icb_name",
      "practice.name as practice_name",
    ])
    .where("membership.user_id", "=", userId)
    .orderBy("membership.id")
    .execute();
}

export async function scopeTargetsExist(db: Db, m: { icbCode: string | null; practiceCode: string | null }) {
  const [icb, practice] = await Promise.all([
    m.icbCode ? db.selectFrom("icb").select("code").where("code", "=", m.icbCode).executeTakeFirst() : Promise.resolve(true),
    m.practiceCode
      ? db.selectFrom("practice").select("ods_code").where("ods_code", "=", m.practiceCode).executeTakeFirst()
      : Promise.resolve(true),
  ]);
  return { icb: Boolean(icb), practice: Boolean(practice) };
}

/** Updates only if the caller saw the current version; returns undefined on a stale edit. */
export function setUserActive(db: Db, id: number, active: boolean, version: number) {
  return db
    .updateTable("app_user")
    .set((eb) => ({ is_active: active, version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "is_active", "version"])
    .executeTakeFirst();
}

export function deleteSessionsForUser(db: Db, userId: number) {
  return db.deleteFrom("session").where("user_id", "=", userId).execute();
}

export function findCredentials(db: Db, id: number) {
  return db.selectFrom("app_user").select(["id", "email", "password_hash", "is_active"]).where("id", "=", id).executeTakeFirst();
}

export function setPasswordHash(db: Db, id: number, passwordHash: string) {
  return db
    .updateTable("app_user")
    .set((eb) => ({ password_hash: passwordHash, version: eb("version", "+", 1), updated_at: sql`now()` }))
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Ends every session of the user except `keepId` (the one making the change); returns how many. */
export async function deleteOtherSessions(db: Db, userId: number, keepId: string) {
  const r = await db.deleteFrom("session").where("user_id", "=", userId).where("id", "<>", keepId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Revokes the user's links not yet used: only the newest link an admin issued works. */
export function deleteUnusedResets(db: Db, userId: number) {
  return db.deleteFrom("password_reset").where("user_id", "=", userId).where("used_at", "is", null).execute();
}

export function insertReset(db: Db, r: { userId: number; tokenHash: string; createdBy: number; expiresAt: Date }) {
  return db
    .insertInto("password_reset")
    .values({ user_id: r.userId, token_hash: r.tokenHash, created_by: r.createdBy, expires_at: r.expiresAt })
    .returning(["id", "expires_at"])
    .executeTakeFirstOrThrow();
}

/** A reset link by its token's hash, with its user; `lock` holds it until the transaction ends. */
export function findResetByHash(db: Db, tokenHash: string, lock = false) {
  let q = db
    .selectFrom("password_reset")
    .innerJoin("app_user", "app_user.id", "password_reset.user_id")
    .select([
      "password_reset.id",
      "password_reset.user_id",
      "password_reset.expires_at",
      "password_reset.used_at",
      "app_user.email",
      "app_user.is_active",
    ])
    .where("password_reset.token_hash", "=", tokenHash);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function markResetUsed(db: Db, id: number, at: Date) {
  return db.updateTable("password_reset").set({ used_at: at }).where("id", "=", id).execute();
}
