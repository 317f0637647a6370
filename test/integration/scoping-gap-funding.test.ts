import { describe, expect, it } from "vitest";
import * as gapPage from "~/routes/gaps.$id";
import * as requestPage from "~/routes/funding-requests.$id";
import { getDb } from "~/utils/db.server";
import { seedFundingFixture } from "../support/funding-fixture";
import { call, get } from "../support/requests";
import { useRoleCookies, type RoleKey } from "../support/scoping";

// Issue 11: the gap page listed every funding request holding the gap, with its title and
// amount, to people who get a 403 or 404 on the request itself. Now each role sees on a gap page
// exactly the requests it could open. Fixture (test/support/funding-fixture.ts): gap 9001 at
// F84003 in request 801; 9002 at F84013 in 803; 9003 at A81001 (QHM) in 802; plus request 804
// here, holding 9001 and 9002, which the practice-list delivery partner (F84013 only) cannot open.
const cookies = useRoleCookies(async () => {
  const db = getDb();
  const lead = await db.selectFrom("app_user").select("id").where("email", "=", "lead@test.nhs.test").executeTakeFirstOrThrow();
  await seedFundingFixture(db, lead.id);
  await db
    .insertInto("funding_request")
    .values({
      id: 804,
      icb_code: "QMF",
      title: "Request 804",
      financial_year: 2026,
      amount_pence: 190_000,
      justification: "Two practices",
      status: "submitted",
      created_by: lead.id,
    })
    .execute();
  await db
    .insertInto("funding_request_gap")
    .values([
      { request_id: 804, gap_id: 9001, estimate_pence: 95_000 },
      { request_id: 804, gap_id: 9002, estimate_pence: 95_000 },
    ])
    .execute();
});

/** Request ids on the gap page, or the status when the gap itself is out of reach. */
async function requestsOnGapPage(role: RoleKey, gapId: number) {
  const r = await call(gapPage.loader, get(`/gaps/${gapId}`, cookies[role]), { id: String(gapId) });
  return r.status === 200 ? (r.data.requests as { id: number }[]).map((q) => q.id) : r.status;
}

async function canOpenRequest(role: RoleKey, id: number) {
  return (await call(requestPage.loader, get(`/funding-requests/${id}`, cookies[role]), { id: String(id) })).status === 200;
}

const EXPECTED: Record<number, Partial<Record<RoleKey, number[] | number>>> = {
  9001: { admin: [801, 804], icbLead: [801, 804], partnerIcb: [801, 804], partnerPractice: 404, practiceManager: [] },
  9002: { admin: [803, 804], icbLead: [803, 804], partnerIcb: [803, 804], partnerPractice: [803], practiceManager: 404 },
  9003: { admin: [802], icbLead: 404, partnerIcb: 404, partnerPractice: 404, practiceManager: 404 },
};

describe("gap page: funding requests narrowed to those the viewer can open", () => {
  for (const [gapId, byRole] of Object.entries(EXPECTED)) {
    for (const [role, want] of Object.entries(byRole)) {
      it(`gap ${gapId} as ${role} → ${JSON.stringify(want)}`, async () => {
        expect(await requestsOnGapPage(role as RoleKey, Number(gapId))).toEqual(want);
      });
    }
  }

  it("every request listed on a gap page opens for that viewer, and every one held back does not", async () => {
    for (const role of ["admin", "icbLead", "partnerIcb", "partnerPractice", "practiceManager"] as RoleKey[]) {
      for (const gapId of [9001, 9002, 9003]) {
        const shown = await requestsOnGapPage(role, gapId);
        if (typeof shown === "number") continue;
        const holding = (await getDb().selectFrom("funding_request_gap").select("request_id").where("gap_id", "=", gapId).execute()).map(
          (r) => r.request_id,
        );
        for (const id of holding) expect(await canOpenRequest(role, id), `${role} gap ${gapId} request ${id}`).toBe(shown.includes(id));
      }
    }
  });

  it("the practice manager's gap page carries no request title or amount at all", async () => {
    const r = await call(gapPage.loader, get("/gaps/9001", cookies.practiceManager), { id: "9001" });
    expect(r.status).toBe(200);
    expect(r.data.canSeeRequests).toBe(false);
    expect(JSON.stringify(r.data)).not.toMatch(/Request 80\d|190000/);
  });
});
