import { sql } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import { RETENTION } from "~/modules/housekeeping/repository.server";
import { sweep } from "~/modules/housekeeping/schedule.server";
import { getDb, getDbHandle } from "~/utils/db.server";
import { createUser, seedOrgs } from "../support/factories";
import { truncateAll } from "../support/db";

const db = () => getDb();
const ago = (hours: number) => new Date(Date.now() - hours * 3600_000);
let userId: number;

beforeEach(async () => {
  await truncateAll(getDbHandle());
  await seedOrgs(db());
  userId = await createUser(db(), { email: "pm@test.nhs.test", memberships: [{ role: "practice_manager", practice_code: "F84003" }] });
});

const count = async (table: "login_attempt" | "session" | "password_reset" | "import_upload") =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db())).rows[0].n);

describe("housekeeping", () => {
  it("removes only what has passed its retention, and a second sweep removes nothing", async () => {
    const attempt = (hoursAgo: number) => ({ email: "x@test.nhs.test", ip: "192.0.2.1", succeeded: false, attempted_at: ago(hoursAgo) });
    await db()
      .insertInto("login_attempt")
      .values([attempt(RETENTION.loginAttemptDays * 24 + 1), attempt(RETENTION.loginAttemptDays * 24 - 1), attempt(0)])
      .execute();
    await db()
      .insertInto("session")
      .values([
        { id: "expired-long-ago", user_id: userId, expires_at: ago(RETENTION.expiredSessionDays * 24 + 1) },
        { id: "expired-just-now", user_id: userId, expires_at: ago(1) },
        { id: "current", user_id: userId, expires_at: ago(-12) },
      ])
      .execute();
    const reset = (h: string, expiresHoursAgo: number, usedHoursAgo: number | null) => ({
      user_id: userId,
      token_hash: h,
      expires_at: ago(expiresHoursAgo),
      used_at: usedHoursAgo === null ? null : ago(usedHoursAgo),
    });
    const old = RETENTION.passwordResetDays * 24 + 1;
    await db()
      .insertInto("password_reset")
      .values([reset("a", old, null), reset("b", -24, old), reset("c", -24, null), reset("d", 2, null)])
      .execute();
    const upload = (id: string, hoursAgo: number) => ({
      id,
      user_id: userId,
      kind: "devices",
      file_name: "f.csv",
      content: new Uint8Array([1]),
      created_at: ago(hoursAgo),
    });
    await db()
      .insertInto("import_upload")
      .values([upload("old", RETENTION.uploadHours + 1), upload("new", RETENTION.uploadHours - 1)])
      .execute();

    expect(await sweep(db())).toEqual({ loginAttempts: 1, sessions: 1, passwordResets: 2, uploads: 1 });
    expect(await count("login_attempt")).toBe(2);
    expect((await db().selectFrom("session").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual([
      "current",
      "expired-just-now",
    ]);
    expect((await db().selectFrom("password_reset").select("token_hash").orderBy("token_hash").execute()).map((r) => r.token_hash)).toEqual(
      ["c", "d"],
    );
    expect((await db().selectFrom("import_upload").select("id").execute()).map((r) => r.id)).toEqual(["new"]);

    expect(await sweep(db())).toEqual({ loginAttempts: 0, sessions: 0, passwordResets: 0, uploads: 0 });
  });

  it("never touches the audit trail", async () => {
    await sql`insert into audit_event (action, entity_type, entity_id, occurred_at) values ('user.create', 'user', '1', now() - interval '10 years')`.execute(
      db(),
    );
    await sweep(db());
    expect(
      await sql<{ n: string }>`select count(*) as n from audit_event`.execute(db()).then((r) => Number(r.rows[0].n)),
    ).toBeGreaterThanOrEqual(1);
  });
});
