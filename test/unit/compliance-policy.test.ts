import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, POLICY, describePolicyValue, maxAgeFor, policyValueSchema, resolvePolicy } from "~/modules/catalogue/policy";

describe("local policy", () => {
  it("has the national defaults the issue names, with figures the research could not confirm marked", () => {
    expect(DEFAULT_POLICY).toMatchObject({
      max_age_desktop: 5,
      max_age_laptop: 4,
      patch_window_days: 14,
      remote_capacity_share: 0.6,
      eos_warning_days: 180,
      contract_warning_days: 180,
      pstn_switch_off_date: "2027-01-31",
      smartcard_client_change_date: "2027-02-28",
    });
    for (const k of ["max_age_desktop", "max_age_laptop", "patch_window_days", "min_bandwidth_per_user_mbps"] as const)
      expect(POLICY[k].unconfirmed, k).toBe(true);
    expect(POLICY.remote_capacity_share.unconfirmed).toBe(false);
    expect(POLICY.remote_capacity_share.source).toMatch(/S1/);
  });

  it("lays ICB overrides over the defaults and shows both", () => {
    const { values, entries } = resolvePolicy([{ key: "max_age_desktop", value: 7, version: 2, updated_at: null, set_by: 5 }]);
    expect(values.max_age_desktop).toBe(7);
    expect(values.max_age_laptop).toBe(4);
    const desktop = entries.find((e) => e.key === "max_age_desktop")!;
    expect(desktop).toMatchObject({ value: 7, default: 5, overridden: true, unconfirmed: true, version: 2, setBy: 5 });
    expect(entries.find((e) => e.key === "max_age_laptop")).toMatchObject({ value: 4, default: 4, overridden: false, version: null });
    expect(entries).toHaveLength(Object.keys(POLICY).length);
  });

  it("ignores stored values that no longer validate, and unknown keys", () => {
    const { values, entries } = resolvePolicy([
      { key: "max_age_desktop", value: "soon", version: 1, updated_at: null, set_by: null },
      { key: "retired_key", value: 3, version: 1, updated_at: null, set_by: null },
    ]);
    expect(values.max_age_desktop).toBe(5);
    expect(entries.find((e) => e.key === "max_age_desktop")?.overridden).toBe(false);
  });

  it("validates values by kind", () => {
    expect(policyValueSchema("max_age_desktop").safeParse("6").success).toBe(true);
    expect(policyValueSchema("max_age_desktop").safeParse(0).success).toBe(false);
    expect(policyValueSchema("remote_capacity_share").safeParse(1.5).success).toBe(false);
    expect(policyValueSchema("pstn_switch_off_date").safeParse("2027-13-01").success).toBe(false);
    expect(policyValueSchema("pstn_switch_off_date").safeParse("2028-01-31").success).toBe(true);
    expect(policyValueSchema("user_count_basis").safeParse("list_size").success).toBe(true);
    expect(policyValueSchema("user_count_basis").safeParse("staff").success).toBe(false);
  });

  it("maps device types to their age limit", () => {
    expect(maxAgeFor("desktop", DEFAULT_POLICY)).toBe(5);
    expect(maxAgeFor("laptop", { ...DEFAULT_POLICY, max_age_laptop: 3 })).toBe(3);
    expect(maxAgeFor("firewall", DEFAULT_POLICY)).toBe(7);
    expect(maxAgeFor("monitor", DEFAULT_POLICY)).toBeNull();
  });

  it("describes values in plain words", () => {
    expect(describePolicyValue("remote_capacity_share", 0.6)).toBe("60%");
    expect(describePolicyValue("max_age_desktop", 5)).toBe("5 years");
    expect(describePolicyValue("pstn_switch_off_date", "2027-01-31")).toBe("31 January 2027");
  });
});

describe("requirement filters from the URL", async () => {
  const { requirementFiltersFromUrl, AsOfSchema } = await import("~/modules/compliance/schema");
  const { listRequirements } = await import("~/modules/compliance/service.server");
  it("keeps valid filters, drops the rest, and filters the catalogue", () => {
    const f = requirementFiltersFromUrl(new URL("http://x/requirements?domain=telephony&automatic=yes&funder=bogus&q=call"));
    expect(f).toEqual({ domain: "telephony", automatic: true, funder: undefined, category: undefined, evidence: undefined, q: "call" });
    const list = listRequirements(f);
    expect(list.length).toBeGreaterThan(3);
    for (const r of list) expect(r).toMatchObject({ domain: "telephony", automatic: true });
    expect(list.map((r) => r.id)).not.toContain("TEL-01");
    expect(AsOfSchema.parse("2026-11-22")).toBe("2026-11-22");
    expect(AsOfSchema.parse("22/11/2026")).toBeUndefined();
  });
});
