import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * What housekeeping removes, and after how long. Each is a record with no value once it is this
 * old; none is an audit event (those are kept for ever and cannot be deleted).
 */
export const RETENTION = {
  /** Throttling looks back one hour; a month is kept for looking into an attack afterwards. */
  loginAttemptDays: 30,
  /** A session is useless once expired; a day's grace keeps "your session ended" explainable. */
  expiredSessionDays: 1,
  /** Used or expired reset links (only a hash of the token is stored). */
  passwordResetDays: 30,
  /** Device files uploaded but never imported (they hold a whole file each). */
  uploadHours: 24,
} as const;

export interface Removed {
  loginAttempts: number;
  sessions: number;
  passwordResets: number;
  uploads: number;
}

const days = (n: number) => sql<Date>`now() - make_interval(days => ${n})`;

/** Deletes what RETENTION says has expired, each in one statement; safe to run in several processes at once. */
export async function removeExpired(db: Db): Promise<Removed> {
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  const loginAttempts = n(
    await db.deleteFrom("login_attempt").where("attempted_at", "<", days(RETENTION.loginAttemptDays)).executeTakeFirst(),
  );
  const sessions = n(await db.deleteFrom("session").where("expires_at", "<", days(RETENTION.expiredSessionDays)).executeTakeFirst());
  const passwordResets = n(
    await db
      .deleteFrom("password_reset")
      .where((eb) =>
        eb.or([eb("expires_at", "<", days(RETENTION.passwordResetDays)), eb("used_at", "<", days(RETENTION.passwordResetDays))]),
      )
      .executeTakeFirst(),
  );
  const uploads = n(
    await db
      .deleteFrom("import_upload")
      .where("created_at", "<", sql<Date>`now() - make_interval(hours => ${RETENTION.uploadHours})`)
      .executeTakeFirst(),
  );
  return { loginAttempts, sessions, passwordResets, uploads };
}
