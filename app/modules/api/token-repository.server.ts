import { sql } from "kysely";
import type { Db } from "#db/connect";

/** All SQL for API tokens. */

export function insertToken(
  db: Db,
  t: { userId: number; name: string; hash: string; hint: string; createdBy: number | null; expiresAt: Date; ratePerMinute?: number },
) {
  return db
    .insertInto("api_token")
    .values({
      user_id: t.userId,
      name: t.name,
      token_hash: t.hash,
      hint: t.hint,
      created_by: t.createdBy,
      expires_at: t.expiresAt,
      ...(t.ratePerMinute ? { rate_limit_per_minute: t.ratePerMinute } : {}),
    })
    .returning(["id", "name", "hint", "expires_at", "created_at", "rate_limit_per_minute"])
    .executeTakeFirstOrThrow();
}

const LIST_COLUMNS = [
  "api_token.id",
  "api_token.name",
  "api_token.hint",
  "api_token.created_at",
  "api_token.expires_at",
  "api_token.last_used_at",
  "api_token.revoked_at",
  "api_token.rate_limit_per_minute",
  "api_token.user_id",
] as const;

export function listTokensOf(db: Db, userId: number) {
  return db.selectFrom("api_token").select(LIST_COLUMNS).where("user_id", "=", userId).orderBy("id", "desc").limit(200).execute();
}

/** Tokens of service accounts (what the admin page manages), newest first, one page. */
export async function listServiceTokens(db: Db, limit: number, offset: number) {
  const base = db
    .selectFrom("api_token")
    .innerJoin("app_user", "app_user.id", "api_token.user_id")
    .where("app_user.is_service_account", "=", true);
  const [rows, count] = await Promise.all([
    base
      .select([...LIST_COLUMNS, "app_user.name as user_name", "app_user.email as user_email"])
      .orderBy("api_token.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findToken(db: Db, id: number) {
  return db.selectFrom("api_token").selectAll().where("id", "=", id).executeTakeFirst();
}

export function revoke(db: Db, id: number, by: number, at: Date) {
  return db
    .updateTable("api_token")
    .set({ revoked_at: at, revoked_by: by })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .returning(["id"])
    .executeTakeFirst();
}

/**
 * The token's owner and memberships, if the token is live (not revoked, not expired, owner
 * active). One query.
 */
export function findLiveToken(db: Db, hash: string, now: Date) {
  return db
    .selectFrom("api_token")
    .innerJoin("app_user", "app_user.id", "api_token.user_id")
    .leftJoin("membership", "membership.user_id", "app_user.id")
    .select([
      "api_token.id as token_id",
      "api_token.name as token_name",
      "api_token.expires_at",
      "api_token.revoked_at",
      "app_user.id",
      "app_user.email",
      "app_user.name",
      "app_user.is_active",
      "membership.role",
      "membership.icb_code",
      "membership.practice_code",
    ])
    .where("api_token.token_hash", "=", hash)
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, live: !r.revoked_at && r.expires_at > now && r.is_active })));
}

/**
 * Counts one request in the token's current one-minute window and stamps last use, in one
 * statement: the row lock makes concurrent requests from any number of server processes count
 * one after another. Returns the count in the window and when the window started.
 */
export async function countRequest(db: Db, id: number, now: Date) {
  const windowStart = new Date(now.getTime() - 60_000);
  const r = await sql<{ rate_count: number; rate_window_start: Date; rate_limit_per_minute: number }>`
    update api_token set
      rate_count = case when rate_window_start > ${windowStart} then rate_count + 1 else 1 end,
      rate_window_start = case when rate_window_start > ${windowStart} then rate_window_start else ${now} end,
      last_used_at = ${now}
    where id = ${id}
    returning rate_count, rate_window_start, rate_limit_per_minute`.execute(db);
  const row = r.rows[0];
  return { count: Number(row.rate_count), windowStart: new Date(row.rate_window_start), limit: Number(row.rate_limit_per_minute) };
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom("app_user")
    .select(["id", "email", "name", "is_active", "is_service_account"])
    .where(sql`lower(email)`, "=", email.toLowerCase())
    .executeTakeFirst();
}

export function insertServiceAccount(db: Db, u: { name: string; email: string }) {
  // "!" is never a valid scrypt hash: a service account cannot sign in with a password.
  return db
    .insertInto("app_user")
    .values({ name: u.name, email: u.email, password_hash: "!service-account", is_service_account: true })
    .returning(["id", "name", "email"])
    .executeTakeFirstOrThrow();
}
