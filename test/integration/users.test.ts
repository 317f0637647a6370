import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import * as newUser from "~/routes/admin.users.new";
import * as userPage from "~/routes/admin.users.$id";
import * as signInRoute from "~/routes/sign-in";
import { createUser, seedOrgs } from "../support/factories";
import { call, cookieFor, post } from "../support/requests";

let admin: string;
let adminId: number;

beforeAll(async () => {
  await seedOrgs(getDb());
  adminId = await createUser(getDb(), { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
  admin = await cookieFor("admin@test.nhs.test");
});

const create = (fields: Record<string, string>) => call(newUser.action, post("/admin/users/new", fields, { cookie: admin }));
const valid = {
  name: "Asha Patel",
  email: "Asha.Patel@test.nhs.test",
  password: "a sufficiently long password",
  role: "practice_manager",
  practiceCode: "f84003",
};

async function userCount() {
  return (await getDb().selectFrom("app_user").select("id").execute()).length;
}

describe("admin creates users", () => {
  it("reports each invalid field and writes nothing", async () => {
    const before = await userCount();
    const res = await create({ name: "", email: "nope", password: "short", role: "icb_lead" });
    expect(res.data.fieldErrors).toMatchObject({
      name: "Enter the person's full name",
      email: expect.stringMatching(/correct format/),
      password: expect.stringMatching(/at least 12/),
      icbCode: "Enter the ICB code, like QMF",
    });
    expect(await userCount()).toBe(before);
  });

  it("rejects a scope that does not exist, next to the field", async () => {
    const res = await create({ ...valid, email: "x1@test.nhs.test", practiceCode: "Z99999" });
    expect(res.data.fieldErrors.practiceCode).toBe("There is no practice with ODS code Z99999");
    const lead = await create({ ...valid, email: "x2@test.nhs.test", role: "icb_lead", icbCode: "QXX", practiceCode: "" });
    expect(lead.data.fieldErrors.icbCode).toBe("There is no ICB with code QXX");
  });

  it("creates the user and membership with audit events, and they can sign in", async () => {
    const res = await create(valid);
    expect(res.status).toBe(302);
    const user = await getDb().selectFrom("app_user").selectAll().where("email", "=", "asha.patel@test.nhs.test").executeTakeFirstOrThrow();
    expect(res.location).toBe(`/admin/users/${user.id}`);
    const memberships = await getDb().selectFrom("membership").selectAll().where("user_id", "=", user.id).execute();
    expect(memberships.map((m) => [m.role, m.practice_code, m.icb_code])).toEqual([["practice_manager", "F84003", null]]);
    const audit = await getDb().selectFrom("audit_event").selectAll().where("entity_id", "=", String(user.id)).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["membership.add", "user.create"]);
    expect(audit.every((a) => a.user_id === adminId)).toBe(true);
    const signIn = await call(signInRoute.action, post("/sign-in", { email: "asha.patel@test.nhs.test", password: valid.password }));
    expect(signIn.status).toBe(302);
  });

  it("refuses a second account with the same email, whatever its case", async () => {
    expect((await create(valid)).status).toBe(302); // asha.patel@test.nhs.test
    const res = await create({ ...valid, email: "ASHA.PATEL@test.nhs.test" });
    expect(res.data.fieldErrors.email).toBe("A user with this email address already exists");
  });

  it("drops a code the role does not use, so a tampered field cannot widen scope", async () => {
    const res = await create({ ...valid, email: "tamper@test.nhs.test", role: "practice_manager", practiceCode: "F84013", icbCode: "QMF" });
    expect(res.status).toBe(302);
    const m = await getDb()
      .selectFrom("membership")
      .innerJoin("app_user", "app_user.id", "membership.user_id")
      .select(["membership.icb_code", "membership.practice_code"])
      .where("app_user.email", "=", "tamper@test.nhs.test")
      .executeTakeFirstOrThrow();
    expect(m).toEqual({ icb_code: null, practice_code: "F84013" });
  });
});

describe("memberships and access", () => {
  it("adds a second role, refuses a duplicate, removes it again, all audited", async () => {
    const userId = await createUser(getDb(), {
      email: "multi@test.nhs.test",
      memberships: [{ role: "practice_manager", practice_code: "F84003" }],
    });
    const path = `/admin/users/${userId}`;
    const add = await call(
      userPage.action,
      post(path, { intent: "add-membership", role: "delivery_partner", icbCode: "QMF" }, { cookie: admin }),
      { id: String(userId) },
    );
    expect(add.data).toEqual({ ok: true, intent: "add-membership" });
    const dup = await call(
      userPage.action,
      post(path, { intent: "add-membership", role: "delivery_partner", icbCode: "QMF" }, { cookie: admin }),
      { id: String(userId) },
    );
    expect(dup.data.fieldErrors.role).toMatch(/already has that role/);
    const rows = await getDb().selectFrom("membership").selectAll().where("user_id", "=", userId).orderBy("id").execute();
    expect(rows).toHaveLength(2);
    const remove = await call(
      userPage.action,
      post(path, { intent: "remove-membership", membershipId: String(rows[1].id) }, { cookie: admin }),
      { id: String(userId) },
    );
    expect(remove.data.ok).toBe(true);
    const actions = (await getDb().selectFrom("audit_event").select("action").where("entity_id", "=", String(userId)).execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["membership.add", "membership.remove"]));
  });

  it("cannot remove another user's membership by changing the id in the form", async () => {
    const a = await createUser(getDb(), { email: "a@test.nhs.test", memberships: [{ role: "practice_manager", practice_code: "F84003" }] });
    const b = await createUser(getDb(), { email: "b@test.nhs.test", memberships: [{ role: "practice_manager", practice_code: "F84013" }] });
    const bMembership = await getDb().selectFrom("membership").select("id").where("user_id", "=", b).executeTakeFirstOrThrow();
    const res = await call(
      userPage.action,
      post(`/admin/users/${a}`, { intent: "remove-membership", membershipId: String(bMembership.id) }, { cookie: admin }),
      { id: String(a) },
    );
    expect(res.status).toBe(404);
    expect(await getDb().selectFrom("membership").select("id").where("id", "=", bMembership.id).executeTakeFirst()).toBeDefined();
  });

  it("deactivating ends the person's sessions; a stale page gets a conflict message", async () => {
    const userId = await createUser(getDb(), {
      email: "leaver@test.nhs.test",
      memberships: [{ role: "practice_manager", practice_code: "F84003" }],
    });
    await cookieFor("leaver@test.nhs.test");
    const path = `/admin/users/${userId}`;
    const res = await call(userPage.action, post(path, { intent: "set-active", active: "false", version: "1" }, { cookie: admin }), {
      id: String(userId),
    });
    expect(res.data.ok).toBe(true);
    expect(await getDb().selectFrom("session").select("id").where("user_id", "=", userId).execute()).toHaveLength(0);
    const stale = await call(userPage.action, post(path, { intent: "set-active", active: "true", version: "1" }, { cookie: admin }), {
      id: String(userId),
    });
    expect(stale.data.formError).toMatch(/Someone else changed this user/);
    const u = await getDb().selectFrom("app_user").select("is_active").where("id", "=", userId).executeTakeFirstOrThrow();
    expect(u.is_active).toBe(false);
  });
});
