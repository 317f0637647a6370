import { sql } from "kysely";
import type { Db } from "#db/connect";

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom("app_user")
    .selectAll()
    .where(sql`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirst();
}

export function insertSession(db: Db, s: { id: string; userId: number; expiresAt: Date }) {
  return db.insertInto("session").values({ id: s.id, user_id: s.userId, expires_at: s.expiresAt }).execute();
}

export function deleteSession(db: Db, id: string) {
  return db.deleteFrom("session").where("id", "=", id).executeTakeFirst();
}

/** The signed-in user and every membership, in one query, for a live session. */
export async function findSessionUser(db: Db, sessionId: string, now: Date) {
  const rows = await db
    .selectFrom("session")
    .innerJoin("app_user", "app_user.id", "session.user_id")
    .leftJoin("membership", "membership.user_id", "app_user.id")
    .select([
      "app_user.id",
      "app_user.email",
      "app_user.name",
      "membership.role",
      "membership.icb_code",
      "membership.practice_code",
    ])
    .where("session.id", "=", sessionId)
    .where("session.expires_at", ">", now)
    .where("app_user.is_active", "=", true)
    .execute();
  return rows;
}

export function recordLoginAttempt(db: Db, a: { email: string; ip: string; succeeded: boolean }) {
  return db.insertInto("login_attempt").values({ email: a.email.toLowerCase(), ip: a.ip, succeeded: a.succeeded }).execute();
}

/** Failed attempts since `since`, for one email address and for one client address. */
export async function countRecentFailures(db: Db, email: string, ip: string, since: Date) {
  const r = await db
    .selectFrom("login_attempt")
    .select([
      sql<number>`count(*) filter (where email = ${email.toLowerCase()})`.as("by_email"),
      sql<number>`count(*) filter (where ip = ${ip})`.as("by_ip"),
    ])
    .where("succeeded", "=", false)
    .where("attempted_at", ">", since)
    .where((eb) => eb.or([eb("email", "=", email.toLowerCase()), eb("ip", "=", ip)]))
    .executeTakeFirstOrThrow();
  return { byEmail: Number(r.by_email), byIp: Number(r.by_ip) };
}

export function purgeExpired(db: Db, now: Date) {
  return db.deleteFrom("session").where("expires_at", "<=", now).execute();
}
