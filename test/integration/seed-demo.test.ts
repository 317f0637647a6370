import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { seedDemo } from "~/modules/seed/demo.server";
import { signIn } from "~/modules/auth/service.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { NO_PRICED_REMEDY } from "~/modules/pricing/remedies";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { notYetIsolated } from "../support/isolation";

notYetIsolated("the pricing test reads the demo the first test seeded");

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

    await seedDemo(getDb(), { password: "demo-password-2026", nodeEnv: "test" });
    expect(await counts()).toEqual(first);
    expect(await feeds()).toHaveLength(4);

    const pm = await signIn(getDb(), { email: "pm.f84003@demo.gp-estate.test", password: "demo-password-2026", ip: "test", ttlHours: 1 });
    expect(pm.ok).toBe(true);
    const devices = await getDb().selectFrom("device").select("notes").where("practice_code", "=", "F84003").execute();
    expect(devices.length).toBeGreaterThan(20);
    expect(devices.every((d) => d.notes === "Synthetic demo data")).toBe(true);
    // The whole demo (264 practices' estate, compliance, gaps, paper and funding) twice over.
  }, 180_000);

  // Issue #13: "At least 90% of open gaps whose remedy is a priced unit carry an estimate; the
  // rest say exactly what is missing", on the demo estate seeded above (docs/money.md, Coverage).
  it("prices at least 90% of the demo's open gaps whose remedy is a priced unit; each of the rest names the unit and why", async () => {
    const gaps = await loadCostedGaps(getDb(), { scope: { all: true } }, todayIso());
    expect(gaps.length).toBeGreaterThan(1000);
    const priced = gaps.filter((g) => g.estimate.remedy === "priced");
    const withEstimate = priced.filter((g) => g.estimate.pence !== null);
    const share = withEstimate.length / priced.length;
    console.log(
      `demo coverage: ${gaps.length} open gaps, ${priced.length} with a priced remedy, ${withEstimate.length} estimated (${(share * 100).toFixed(2)}%)`,
    );
    expect(share).toBeGreaterThanOrEqual(0.9);
    for (const g of priced.filter((x) => x.estimate.pence === null)) {
      expect(g.estimate.missing.length, `${g.requirementId} at ${g.practiceCode}`).toBeGreaterThan(0);
      for (const m of g.estimate.missing) {
        expect(m.kind, `${g.requirementId} at ${g.practiceCode}`).not.toBe("");
        expect(m.why).toMatch(/no price for|list size is not known/);
      }
    }
    // A gap with no priced remedy by nature says why, per requirement (remedies.ts), never just "No estimate".
    for (const g of gaps.filter((x) => x.estimate.remedy === "none")) {
      expect(g.estimate.missing[0].why.length).toBeGreaterThan(10);
      // Its own reason, not the catch-all (issue #13 re-check: SEC-01 and SEC-05 judged on the feeds had none).
      expect(NO_PRICED_REMEDY[g.requirementId], `${g.requirementId}: no reason in remedies.ts`).toBeDefined();
    }
    // The demo's funding requests ask for money for gaps whose estimate is theirs, never a £0 gap
    // whose work is costed under another (issue #13 re-check: it raised a £0 request for INF-07).
    const linked = await getDb().selectFrom("funding_request_gap").select(["request_id", "gap_id", "estimate_pence"]).execute();
    expect(linked.length).toBeGreaterThan(0);
    for (const l of linked) expect(Number(l.estimate_pence), `gap ${l.gap_id} in request ${l.request_id}`).toBeGreaterThan(0);
    // Work costed under another gap is £0 here and names where.
    for (const g of gaps.filter((x) => x.estimate.remedy === "elsewhere"))
      expect(g.estimate.elsewhere.map((e) => e.under)).toEqual(g.estimate.elsewhere.map(() => expect.stringMatching(/^[A-Z]{2,5}-\d{2}$/)));
  }, 60_000);
});
