import { beforeAll, describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice } from "~/modules/devices/service.server";
import { seedDemoFunding } from "~/modules/seed/demo-funding.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { createUser, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  await createUser(db, { email: "icb.lead@demo.gp-estate.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
  const partner = await createUser(db, {
    email: "delivery.partner@demo.gp-estate.test",
    memberships: [{ role: "delivery_partner", icb_code: "QMF" }],
  });
  for (const ods of ["F84003", "F84013"]) {
    const r = await createDevice(
      db,
      partner,
      ods,
      DeviceInputSchema.parse({
        asset_tag: `${ods}-W10`,
        device_type: "laptop",
        status: "in_use",
        site_code: ods,
        os_family: "Windows 10",
        os_edition: "Pro",
        os_version: "22H2",
      }),
    );
    expect(r.ok).toBe(true);
  }
});

describe("demo funding seed", () => {
  it("sets North East London's budgets and makes requests through the services, with audit events and gap statuses; a second run adds nothing", async () => {
    const db = getDb();
    const year = financialYearOf(todayIso());
    const first = await seedDemoFunding(db, todayIso());
    expect(first.budgets).toBe(2);
    expect(first.requests).toBeGreaterThanOrEqual(2);
    const budgets = await db
      .selectFrom("icb_budget")
      .select(["financial_year", "amount_pence"])
      .where("icb_code", "=", "QMF")
      .orderBy("financial_year")
      .execute();
    expect(budgets.map((b) => b.financial_year)).toEqual([year - 1, year]);

    const requests = await db
      .selectFrom("funding_request")
      .select(["id", "status", "amount_pence", "budget_override_reason"])
      .orderBy("id")
      .execute();
    expect(requests.length).toBe(first.requests);
    // Each asks for money: none is for gaps whose work is costed under another gap (£0).
    for (const r of requests) expect(Number(r.amount_pence), `request ${r.id}`).toBeGreaterThan(0);
    const linked = await db.selectFrom("funding_request_gap").select(["request_id", "gap_id", "estimate_pence"]).execute();
    for (const l of linked) expect(Number(l.estimate_pence), `gap ${l.gap_id} in request ${l.request_id}`).toBeGreaterThan(0);
    expect(requests[0]).toMatchObject({ status: "approved", budget_override_reason: null });
    expect(new Set(requests.map((r) => r.status)).size).toBeGreaterThanOrEqual(2);
    const approvedGaps = await db
      .selectFrom("funding_request_gap as l")
      .innerJoin("gap as g", "g.id", "l.gap_id")
      .select(["g.status", "g.requirement_id"])
      .where("l.request_id", "=", requests[0].id)
      .execute();
    expect(approvedGaps.length).toBeGreaterThan(0);
    expect(approvedGaps.every((g) => g.status === "funded" && g.requirement_id === "DEV-02")).toBe(true);
    for (const r of requests) {
      const audit = await db
        .selectFrom("audit_event")
        .select("action")
        .where("entity_type", "=", "funding_request")
        .where("entity_id", "=", String(r.id))
        .execute();
      expect(audit.length).toBeGreaterThan(0);
    }

    expect(await seedDemoFunding(db, todayIso())).toEqual({ budgets: 0, requests: 0 });
    expect((await db.selectFrom("funding_request").select("id").execute()).length).toBe(requests.length);
  });
});
