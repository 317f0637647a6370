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

/** Sets the session's one-time message, replacing any not yet shown. */
export function setSessionFlash(db: Db, id: string, message: string) {
  return db.updateTable("session").set({ flash: message }).where("id", "=", id).executeTakeFirst();
}

/** Clears the message once shown; only that message, so one set meanwhile by a parallel request survives. */
export function clearSessionFlash(db: Db, id: string, message: string) {
  return db.updateTable("session").set({ flash: null }).where("id", "=", id).where("flash", "=", message).executeTakeFirst();
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
      "session.flash",
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

/**
 * Records an attempt before its password is checked (as a failure unless marked otherwise), so
 * parallel guesses see each other. Returns the row's id, to mark it succeeded afterwards.
 */
export async function insertLoginAttempt(db: Db, a: { email: string; ip: string; deviceId: string | null; throttled: boolean; at: Date }) {
  const row = await db
    .insertInto("login_attempt")
    .values({ email: a.email.toLowerCase(), ip: a.ip, device_id: a.deviceId, succeeded: false, throttled: a.throttled, attempted_at: a.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export function markAttemptSucceeded(db: Db, id: number) {
  return db.updateTable("login_attempt").set({ succeeded: true }).where("id", "=", id).execute();
}

/**
 * Serialises sign-in bookkeeping for one email address across processes for the rest of the
 * transaction (counting then recording), so parallel requests cannot all slip under a limit.
 */
export async function lockAccountAttempts(db: Db, email: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${"sign-in:" + email.toLowerCase()}))`.execute(db);
}

type BucketRow = { n: number; last: Date | null };

/**
 * Failures (not throttled refusals) since `since` in the three throttling buckets: the account
 * (since its latest success), the client address, and the device (since its latest success for
 * the account). One statement, using the email and address indexes.
 */
export async function loginBuckets(db: Db, q: { email: string; ip: string; deviceId: string | null; since: Date }) {
  const email = q.email.toLowerCase();
  const device = q.deviceId ?? "";
  const r = await sql<{ acct_n: number; acct_last: Date | null; ip_n: number; ip_last: Date | null; dev_n: number; dev_last: Date | null }>`
    with ok as (
      select max(attempted_at) as acct,
             max(attempted_at) filter (where device_id = ${device}) as dev
      from login_attempt
      where email = ${email} and succeeded and attempted_at > ${q.since}
    ), f as (
      select a.*, ok.acct, ok.dev
      from login_attempt a cross join ok
      where not a.succeeded and not a.throttled and a.attempted_at > ${q.since}
        and (a.email = ${email} or a.ip = ${q.ip})
    )
    select
      count(*) filter (where email = ${email} and attempted_at > coalesce(acct, ${q.since})) as acct_n,
      max(attempted_at) filter (where email = ${email} and attempted_at > coalesce(acct, ${q.since})) as acct_last,
      count(*) filter (where ip = ${q.ip}) as ip_n,
      max(attempted_at) filter (where ip = ${q.ip}) as ip_last,
      count(*) filter (where email = ${email} and device_id = ${device} and attempted_at > coalesce(dev, ${q.since})) as dev_n,
      max(attempted_at) filter (where email = ${email} and device_id = ${device} and attempted_at > coalesce(dev, ${q.since})) as dev_last
    from f`.execute(db);
  const row = r.rows[0];
  const bucket = (n: number, last: Date | null): BucketRow => ({ n: Number(n), last: last ? new Date(last) : null });
  return { account: bucket(row.acct_n, row.acct_last), client: bucket(row.ip_n, row.ip_last), device: bucket(row.dev_n, row.dev_last) };
}

export function purgeExpired(db: Db, now: Date) {
  return db.deleteFrom("session").where("expires_at", "<=", now).execute();
}
