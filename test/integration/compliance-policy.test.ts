import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/modules/auth/service.server";
import { getPolicy, resetPolicyValue, setPolicyValue } from "~/modules/compliance/policy.server";
import { listAuditForEntity } from "~/modules/audit/repository.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { createRoleUsers, seedOrgs } from "../support/factories";
let users: Awaited<ReturnType<typeof createRoleUsers>>;
const as = async (id: number): Promise<SessionUser> => {
  const db = getDb();
  const u = await db.selectFrom("app_user").select(["id", "email", "name"]).where("id", "=", id).executeTakeFirstOrThrow();
  const memberships = await db.selectFrom("membership").select(["role", "icb_code", "practice_code"]).where("user_id", "=", id).execute();
  return { ...u, memberships };
};
const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof AppError) return e.status;
    throw e;
  }
};

beforeAll(async () => {
  await seedOrgs(getDb());
  users = await createRoleUsers(getDb());
});

// Each test starts with no local values (its own transaction, rolled back after it).
/** QMF's lead sets the laptop age limit to 5 years (version 1), then to 6 (version 2). */
async function laptopAgeSetTwice() {
  const lead = await as(users.icbLead);
  expect(await setPolicyValue(getDb(), lead, { icbCode: "QMF", key: "max_age_laptop", value: 5, version: null })).toMatchObject({
    version: 1,
  });
  expect(await setPolicyValue(getDb(), lead, { icbCode: "QMF", key: "max_age_laptop", value: 6, version: 1 })).toMatchObject({
    version: 2,
  });
}

describe("ICB local policy", () => {
  it("shows the national default beside every value, with its source and whether it is confirmed", async () => {
    const { entries, values } = await getPolicy(getDb(), "QMF");
    expect(values.max_age_desktop).toBe(5);
    const desktop = entries.find((e) => e.key === "max_age_desktop")!;
    expect(desktop).toMatchObject({ value: 5, default: 5, overridden: false, unconfirmed: true, version: null });
    expect(desktop.source).toMatch(/No national age limit/);
  });

  it("lets the ICB's digital lead set a value, with an audit event and a version", async () => {
    const db = getDb();
    const lead = await as(users.icbLead);
    expect(await setPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", value: "5", version: null })).toEqual({
      key: "max_age_laptop",
      value: 5,
      version: 1,
      recheck: null,
    });
    const { entries } = await getPolicy(db, "QMF");
    expect(entries.find((e) => e.key === "max_age_laptop")).toMatchObject({
      value: 5,
      default: 4,
      overridden: true,
      version: 1,
      setBy: lead.id,
    });
    expect((await getPolicy(db, "QHM")).values.max_age_laptop).toBe(4);
    expect(await setPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", value: 6, version: 1 })).toMatchObject({ version: 2 });
    const audit = await listAuditForEntity(db, "icb_policy", "QMF:max_age_laptop");
    expect(audit.map((a) => a.action)).toEqual(["policy.set", "policy.set"]);
    expect(audit[1].before).toEqual({ value: 4, default: true });
  });

  it("refuses a stale version rather than overwriting someone else's change", async () => {
    await laptopAgeSetTwice();
    const db = getDb();
    const lead = await as(users.icbLead);
    await expect(setPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", value: 3, version: 1 })).rejects.toThrow(
      /Someone else changed/,
    );
    await expect(setPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", value: 3, version: null })).rejects.toThrow(
      /Someone else changed/,
    );
    expect((await getPolicy(db, "QMF")).values.max_age_laptop).toBe(6);
  });

  it("refuses invalid values and unknown keys", async () => {
    const lead = await as(users.icbLead);
    expect(await status(setPolicyValue(getDb(), lead, { icbCode: "QMF", key: "remote_capacity_share", value: 2, version: null }))).toBe(
      400,
    );
    expect(await status(setPolicyValue(getDb(), lead, { icbCode: "QMF", key: "coffee_budget", value: 2, version: null }))).toBe(400);
  });

  it("lets only people with policy:manage for that ICB change it", async () => {
    const db = getDb();
    const change = async (id: number, icbCode = "QMF") =>
      status(setPolicyValue(db, await as(id), { icbCode, key: "patch_window_days", value: 21, version: null }));
    expect(await change(users.icbLead, "QHM")).toBe(403);
    expect(await change(users.partnerIcb)).toBe(403);
    expect(await change(users.practiceManager)).toBe(403);
    expect(await change(users.nobody)).toBe(403);
    expect(await change(users.admin, "NOPE")).toBe(404);
    expect(await change(users.admin, "QHM")).toBe(200);
  });

  it("goes back to the national default when reset", async () => {
    await laptopAgeSetTwice();
    const db = getDb();
    const lead = await as(users.icbLead);
    await expect(resetPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", version: 1 })).rejects.toThrow(/Someone else changed/);
    await resetPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_laptop", version: 2 });
    expect((await getPolicy(db, "QMF")).entries.find((e) => e.key === "max_age_laptop")).toMatchObject({ value: 4, overridden: false });
    expect((await listAuditForEntity(db, "icb_policy", "QMF:max_age_laptop"))[0].action).toBe("policy.reset");
  });
});
