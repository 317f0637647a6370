import type { Db } from "#db/connect";

/** An account already linked to this provider identity, with what signing in needs. */
export function findLinkedUser(db: Db, issuer: string, subject: string) {
  return db
    .selectFrom("sso_identity")
    .innerJoin("app_user", "app_user.id", "sso_identity.user_id")
    .select(["sso_identity.id as link_id", "app_user.id", "app_user.email", "app_user.is_active"])
    .where("sso_identity.issuer", "=", issuer)
    .where("sso_identity.subject", "=", subject)
    .executeTakeFirst();
}

export function findUserLink(db: Db, userId: number, issuer: string) {
  return db
    .selectFrom("sso_identity")
    .select(["id", "subject"])
    .where("user_id", "=", userId)
    .where("issuer", "=", issuer)
    .executeTakeFirst();
}

/** Inserts the link unless either unique rule (one account per identity, one identity per issuer per account) says no. */
export function insertLink(db: Db, l: { userId: number; issuer: string; subject: string; email: string; at: Date }) {
  return db
    .insertInto("sso_identity")
    .values({ user_id: l.userId, issuer: l.issuer, subject: l.subject, email: l.email, linked_at: l.at, last_sign_in_at: l.at })
    .onConflict((oc) => oc.doNothing())
    .returning(["id"])
    .executeTakeFirst();
}

export function touchLink(db: Db, linkId: number, at: Date) {
  return db.updateTable("sso_identity").set({ last_sign_in_at: at }).where("id", "=", linkId).execute();
}

export function insertSsoSession(db: Db, s: { id: string; userId: number; expiresAt: Date; idToken: string }) {
  return db.insertInto("session").values({ id: s.id, user_id: s.userId, expires_at: s.expiresAt, id_token: s.idToken }).execute();
}

export async function findSessionIdToken(db: Db, sessionId: string) {
  const row = await db.selectFrom("session").select("id_token").where("id", "=", sessionId).executeTakeFirst();
  return row?.id_token ?? null;
}

/** The user's links, for the admin's user page. */
export function listLinks(db: Db, userId: number) {
  return db
    .selectFrom("sso_identity")
    .select(["id", "issuer", "email", "linked_at", "last_sign_in_at"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
}
