import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "~/modules/seed/demo.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { NO_PRICED_REMEDY } from "~/modules/pricing/remedies";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";

// Its own file, apart from seed-demo.test.ts: that file's tests need an empty database before the
// demo is seeded (the refusals, the first run's counts), and this one reads the seeded demo, so
// the demo is seeded here once, in beforeAll, and only read by the test.
beforeAll(async () => {
  await seedDemo(getDb(), { password: "demo-password-2026", nodeEnv: "test" });
}, 180_000);

describe("the demo's prices", () => {
  // Issue #13: "At least 90% of open gaps whose remedy is a priced unit carry an estimate; the
  // rest say exactly what is missing", on the demo estate seeded once for this file (docs/money.md, Coverage).
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
