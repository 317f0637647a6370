import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { seedDemo } from "~/modules/seed/demo.server";
import { signIn } from "~/modules/auth/service.server";
import { getDb } from "~/utils/db.server";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { todayIso } from "~/utils/today";

const counts = async () => {
  const db = getDb();
  const n = async (t: "app_user" | "practice" | "device" | "telephony_system" | "digital_service" | "membership") =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await n("app_user"),
    memberships: await n("membership"),
    practices: await n("practice"),
    devices: await n("device"),
    telephony: await n("telephony_system"),
    services: await n("digital_service"),
  };
};

describe("demo seed", () => {
  it("refuses to create shared-password users in production unless told to", async () => {
    await expect(seedDemo(getDb(), { password: "demo-password-2026", nodeEnv: "production" })).rejects.toThrow(/Refusing/);
    expect((await counts()).users).toBe(0);
  });

  it("refuses a DEMO_PASSWORD the password policy refuses, before importing anything", async () => {
    await expect(seedDemo(getDb(), { password: "password1234", nodeEnv: "test" })).rejects.toThrow(
      /DEMO_PASSWORD is refused by the password policy/,
    );
    expect(await counts()).toMatchObject({ users: 0, practices: 0 });
  });

  it("loads real North East London practices, demo users and synthetic estate; a second run adds nothing", async () => {
    await seedDemo(getDb(), { password: "demo-password-2026", nodeEnv: "test" });
    const first = await counts();
    expect(first.users).toBe(DEMO_USERS.length);
    expect(first.practices).toBeGreaterThan(250);
    const icbs = await getDb().selectFrom("practice").select("icb_code").distinct().execute();
    expect(icbs.map((r) => r.icb_code)).toEqual(["QMF"]);
    expect(first.devices).toBeGreaterThan(10_000);
    expect(first.telephony).toBeGreaterThan(250);
    expect(first.services).toBeGreaterThan(first.telephony * 10);

    // Issue 15: the data feeds come in through their imports, without anyone typing them.
    const feeds = async () =>
      (await getDb().selectFrom("import_run").select(["kind", "actor"]).where("actor", "=", "demo seed").orderBy("kind").execute()).map(
        (r) => `${r.kind}:${r.actor}`,
      );
    expect(await feeds()).toEqual(["cbt:demo seed", "contracts:demo seed", "cyber_essentials:demo seed", "dspt:demo seed"]);
    const contracts = await getDb().selectFrom("supplier_contract").select(["holder", "ends_on"]).execute();
    expect(contracts.length).toBeGreaterThan(first.telephony);

    // Nothing has changed since the seed, so a re-check (what an ICB lead's first click does)
    // changes no result: the seed leaves no stored result that repeats the one before it.
    const recheck = await evaluateScope(getDb(), { icb: "QMF" }, todayIso());
    expect(recheck.counts).toMatchObject({ written: 0, removed: 0 });
    expect(recheck.counts.unchanged).toBeGreaterThan(10_000);

    await seedDemo(getDb(), { password: "demo-password-2026", nodeEnv: "test" });
    expect(await counts()).toEqual(first);
    expect(await feeds()).toHaveLength(4);

    const pm = await signIn(getDb(), { email: "pm.f84003@demo.gp-estate.test", password: "demo-password-2026", ip: "test", ttlHours: 1 });
    expect(pm.ok).toBe(true);
    const devices = await getDb().selectFrom("device").select("notes").where("practice_code", "=", "F84003").execute();
    expect(devices.length).toBeGreaterThan(20);
    expect(devices.every((d) => d.notes === "Synthetic demo data")).toBe(true);
    // The whole demo (264 practices' estate, compliance, gaps, paper and funding) twice over.
    // How well the demo's gaps are priced: seed-demo-pricing.test.ts, on a demo of its own.
  }, 180_000);
});
