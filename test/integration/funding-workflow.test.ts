import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice, updateDevice } from "~/modules/devices/service.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import * as newRequest from "~/routes/funding-requests.new";
import * as requestPage from "~/routes/funding-requests.$id";
import * as budgets from "~/routes/icbs.$code_.budgets";
import * as exportPipeline from "~/routes/funding-requests.export";
import * as price from "~/routes/icbs.$code_.prices.$unit";
import * as prices from "~/routes/icbs.$code_.prices._index";
import { getDb } from "~/utils/db.server";
import { addDays, todayIso } from "~/utils/today";
import { createRoleUsers, createUser, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";
import { call, cookieFor, get, post } from "../support/requests";
import { EMAILS } from "../support/scoping";

const YEAR = financialYearOf(todayIso());
let users: Awaited<ReturnType<typeof createRoleUsers>>;
const c: Record<string, string> = {};
const deviceIds: Record<string, number> = {};
/** The DEV-02 (unsupported Windows 10 laptop) gap at each practice. */
const gap: Record<string, number> = {};

const laptop = (tag: string, os: Record<string, string>) =>
  DeviceInputSchema.parse({ asset_tag: tag, device_type: "laptop", status: "in_use", site_code: undefined, ...os });
const WIN10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };
const WIN11 = { os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" };

async function gapRow(id: number) {
  return getDb().selectFrom("gap").select(["id", "status", "closed_on"]).where("id", "=", id).executeTakeFirstOrThrow();
}
async function requestRow(id: number) {
  return getDb().selectFrom("funding_request").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}
const count = async (table: "funding_request" | "audit_event" | "gap_event") =>
  Number(
    (
      await getDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

function requestFields(gaps: number[], over: Record<string, string> = {}) {
  const f = new URLSearchParams({
    title: "Replace Windows 10 laptops",
    financial_year: String(YEAR),
    amount: "",
    amount_reason: "",
    justification: "Windows 10 is out of support",
    intent: "draft",
    ...over,
  });
  for (const g of gaps) f.append("gap", String(g));
  return f;
}
function postForm(path: string, fields: URLSearchParams, cookie: string) {
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: "http://localhost:3000" },
    body: fields.toString(),
  });
}
const createdId = (location: string | null) => Number(/\/funding-requests\/(\d+)/.exec(location ?? "")![1]);

async function step(id: number, role: string, fields: Record<string, string>) {
  const version = String((await requestRow(id)).version);
  return call(requestPage.action, post(`/funding-requests/${id}`, { version, ...fields }, { cookie: c[role] }), { id: String(id) });
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  users = await createRoleUsers(db);
  for (const [role, email] of Object.entries(EMAILS)) c[role] = await cookieFor(email);
  for (const [ods, site] of [
    ["F84003", "F84003"],
    ["F84013", "F84013"],
    ["A81001", "A81001"],
  ]) {
    const r = await createDevice(db, users.partnerIcb, ods, { ...laptop(`${ods}-L1`, WIN10), site_code: site });
    if (!r.ok) throw new Error(JSON.stringify(r));
    deviceIds[ods] = (r as { id: number }).id;
    const g = await db
      .selectFrom("gap")
      .select("id")
      .where("practice_code", "=", ods)
      .where("requirement_id", "=", "DEV-02")
      .where("closed_on", "is", null)
      .executeTakeFirstOrThrow();
    gap[ods] = g.id;
  }
});

describe("funding requests: creating", () => {
  it("refuses another ICB's gap id slipped into the form (404) and writes nothing", async () => {
    const before = await Promise.all([count("funding_request"), count("audit_event")]);
    const res = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([gap.F84003, gap.A81001], { amount: "1900", amount_reason: "x" }), c.partnerIcb),
    );
    expect(res.status).toBe(404);
    const practiceOnly = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([gap.F84003], { amount: "950" }), c.partnerPractice),
    );
    expect(practiceOnly.status).toBe(404);
    expect(await Promise.all([count("funding_request"), count("audit_event")])).toEqual(before);
  });

  it("defaults the amount to the estimate and needs a reason when it differs", async () => {
    const page = await call(newRequest.loader, get(`/funding-requests/new?gap=${gap.F84003}&gap=${gap.F84013}`, c.partnerIcb));
    expect(page.data.prepared.estimatePence).toBe(190_000);
    expect(page.data.prepared.gaps.map((g: { id: number }) => g.id)).toEqual([gap.F84003, gap.F84013].sort((a, b) => a - b));
    const res = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([gap.F84003, gap.F84013], { amount: "2,000" }), c.partnerIcb),
    );
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors).toEqual({ amount_reason: "Give a reason for the amount: it differs from the estimate of £1,900.00" });
  });
});

// Each test starts from the beforeAll state (its own transaction, rolled back after it); these
// bring the QMF request for the F84003 and F84013 gaps to a stage through the pages, as a user would.
/** Drafted and submitted by the QMF delivery partner, for £1,900 (the estimate). */
async function submittedRequest() {
  const res = await call(
    newRequest.action,
    postForm("/funding-requests/new", requestFields([gap.F84003, gap.F84013], { amount: "1900", intent: "submit" }), c.partnerIcb),
  );
  expect(res.status).toBe(302);
  return createdId(res.location);
}
/** Submitted, then approved by the ICB lead over a £1,000 capital budget, with the override and its reason. */
async function approvedRequest() {
  const id = await submittedRequest();
  await setQmfBudget("1,000");
  const ok = await step(id, "icbLead", {
    intent: "approve",
    override: "on",
    override_reason: "Windows 10 support has ended: board agreed to bring forward next year's money",
  });
  expect(ok.status).toBe(302);
  return id;
}
/** Approved, then funded and delivered. */
async function deliveredRequest() {
  const id = await approvedRequest();
  expect((await step(id, "icbLead", { intent: "fund" })).status).toBe(302);
  expect((await step(id, "icbLead", { intent: "deliver" })).status).toBe(302);
  return id;
}
async function setQmfBudget(capital: string) {
  const set = await call(
    budgets.action,
    post("/icbs/QMF/budgets", { financial_year: String(YEAR), capital, revenue: "0", version: "" }, { cookie: c.icbLead }),
    { code: "QMF" },
  );
  expect(set.status).toBe(302);
}
/** The F84003 laptop upgraded to Windows 11: its DEV-02 gap closes. */
async function fixF84003Laptop() {
  return updateDevice(getDb(), users.partnerIcb, "F84003", deviceIds.F84003, 1, { ...laptop("F84003-L1", WIN11), site_code: "F84003" });
}

describe("funding requests: the workflow", () => {
  it("a delivery partner saves and submits; the gaps become 'funding requested' with a status event each", async () => {
    const res = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([gap.F84003, gap.F84013], { amount: "1900", intent: "submit" }), c.partnerIcb),
    );
    expect(res.status).toBe(302);
    const id = createdId(res.location);
    expect(await requestRow(id)).toMatchObject({
      status: "submitted",
      icb_code: "QMF",
      amount_pence: 190_000,
      created_by: users.partnerIcb,
      amount_reason: null,
    });
    expect((await gapRow(gap.F84003)).status).toBe("funding_requested");
    expect((await gapRow(gap.F84013)).status).toBe("funding_requested");
    const events = await getDb()
      .selectFrom("gap_event")
      .select(["kind", "from_status", "to_status", "user_id"])
      .where("gap_id", "=", gap.F84003)
      .where("kind", "=", "status")
      .execute();
    expect(events).toEqual([{ kind: "status", from_status: "open", to_status: "funding_requested", user_id: users.partnerIcb }]);
    const lines = await getDb()
      .selectFrom("funding_request_gap")
      .select(["gap_id", "estimate_pence"])
      .where("request_id", "=", id)
      .orderBy("gap_id")
      .execute();
    expect(lines.map((l) => Number(l.estimate_pence))).toEqual([95_000, 95_000]);
  });

  it("a delivery partner can never approve (403), and nothing changes", async () => {
    const id = await submittedRequest();
    const before = await requestRow(id);
    const res = await step(id, "partnerIcb", { intent: "approve", override: "on", override_reason: "Urgent" });
    expect(res.status).toBe(403);
    const page = await call(requestPage.loader, get(`/funding-requests/${id}`, c.partnerIcb), { id: String(id) });
    expect(page.data.steps).toEqual([]);
    expect(await requestRow(id)).toEqual(before);
  });

  it("with no budget for the year, approval needs the override", async () => {
    const id = await submittedRequest();
    const page = await call(requestPage.loader, get(`/funding-requests/${id}`, c.icbLead), { id: String(id) });
    expect(page.data.steps).toEqual(["approve", "reject"]);
    expect(page.data.budget.overrideNeeded).toBe("No budget is set for this financial year.");
    const res = await step(id, "icbLead", { intent: "approve" });
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.override).toMatch(/^No budget is set for this financial year\. To approve anyway/);
    expect((await requestRow(id)).status).toBe("submitted");
  });

  it("approving over the budget is refused, then allowed with an explicit override and reason", async () => {
    const id = await submittedRequest();
    await setQmfBudget("1,000");
    const refused = await step(id, "icbLead", { intent: "approve" });
    expect(refused.data.fieldErrors.override).toMatch(
      new RegExp(`^The capital budget for ${YEAR}/\\d\\d is short by £900\\.00: this request needs £1,900\\.00 of capital`),
    );
    const noReason = await step(id, "icbLead", { intent: "approve", override: "on" });
    expect(noReason.data.fieldErrors).toEqual({ override_reason: "Enter the reason for approving over the budget" });
    expect((await requestRow(id)).status).toBe("submitted");

    const ok = await step(id, "icbLead", {
      intent: "approve",
      override: "on",
      override_reason: "Windows 10 support has ended: board agreed to bring forward next year's money",
    });
    expect(ok.status).toBe(302);
    expect(await requestRow(id)).toMatchObject({
      status: "approved",
      decided_by: users.icbLead,
      budget_override_reason: "Windows 10 support has ended: board agreed to bring forward next year's money",
    });
    expect((await gapRow(gap.F84003)).status).toBe("funded");
  });

  it("a step from a page opened before someone else's change is a conflict", async () => {
    const id = await approvedRequest();
    const stale = await call(requestPage.action, post(`/funding-requests/${id}`, { intent: "fund", version: "1" }, { cookie: c.icbLead }), {
      id: String(id),
    });
    expect(stale.status).toBe(409);
    expect(stale.data.formError).toMatch(/Someone else changed this funding request/);
    expect((await requestRow(id)).status).toBe("approved");
    const wrongState = await step(id, "icbLead", { intent: "approve" });
    expect(wrongState.data.formError).toBe(
      "This request is approved, so it cannot be approved now. Reload the page to see what has happened.",
    );
  });

  it("funded then delivered: the gaps follow (funded, in delivery), each step audited", async () => {
    const id = await approvedRequest();
    expect((await step(id, "icbLead", { intent: "fund" })).status).toBe(302);
    expect((await gapRow(gap.F84013)).status).toBe("funded");
    expect((await step(id, "icbLead", { intent: "deliver" })).status).toBe(302);
    expect((await gapRow(gap.F84013)).status).toBe("in_delivery");
    const actions = await getDb()
      .selectFrom("audit_event")
      .select("action")
      .where("entity_type", "=", "funding_request")
      .where("entity_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      "funding_request.create_and_submit",
      "funding_request.approve",
      "funding_request.fund",
      "funding_request.deliver",
    ]);
    const statuses = await getDb()
      .selectFrom("gap_event")
      .select("to_status")
      .where("gap_id", "=", gap.F84013)
      .where("kind", "=", "status")
      .orderBy("id")
      .execute();
    expect(statuses.map((s) => s.to_status)).toEqual(["funding_requested", "funded", "in_delivery"]);
  });

  it("an estate fix closes a gap in the request, and the request shows it closed", async () => {
    const id = await deliveredRequest();
    const fixed = await fixF84003Laptop();
    expect(fixed.ok).toBe(true);
    expect(await gapRow(gap.F84003)).toMatchObject({ status: "closed", closed_on: todayIso() });
    const page = await call(requestPage.loader, get(`/funding-requests/${id}`, c.icbLead), { id: String(id) });
    const shown = page.data.gaps.find((g: { id: number }) => g.id === gap.F84003);
    expect(shown).toMatchObject({ status: "closed", closedOn: todayIso() });
    expect(page.data.gaps.find((g: { id: number }) => g.id === gap.F84013).status).toBe("in_delivery");
  });

  it("the budgets page shows the year's totals against the budget", async () => {
    await deliveredRequest();
    const page = await call(budgets.loader, get("/icbs/QMF/budgets", c.partnerIcb), { code: "QMF" });
    const row = page.data.years.find((y: { year: number }) => y.year === YEAR);
    expect(row).toMatchObject({ budgetPence: 100_000, committedPence: 190_000, remainingPence: -90_000 });
    expect(row.byStatus.delivered).toBe(190_000);
    expect(page.data.canManage).toBe(false);
  });
});

describe("funding requests: drafts, rejection and budgets within limits", () => {
  let qhmGap: number;
  beforeAll(async () => {
    qhmGap = gap.A81001;
    // QHM's own lead decides what the admin raises there (the requester may not approve: separation of duties).
    await createUser(getDb(), { email: "qhm.lead@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QHM" }] });
    c.qhmLead = await cookieFor("qhm.lead@test.nhs.test");
  });

  it("a rejected request sends its gaps back to open; a reason is required", async () => {
    const res = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([qhmGap], { amount: "950", intent: "submit" }), c.admin),
    );
    const id = createdId(res.location);
    expect((await gapRow(qhmGap)).status).toBe("funding_requested");
    const noReason = await step(id, "admin", { intent: "reject" });
    expect(noReason.data.fieldErrors).toEqual({ reason: "Enter the reason for rejecting the request" });
    expect(
      (await step(id, "admin", { intent: "reject", reason: "Device is due for replacement under the national programme" })).status,
    ).toBe(302);
    expect(await requestRow(id)).toMatchObject({
      status: "rejected",
      decision_reason: "Device is due for replacement under the national programme",
    });
    expect((await gapRow(qhmGap)).status).toBe("open");
  });

  /** A request for the QHM gap, raised by the admin and approved by QHM's lead inside a £5,000 capital budget. */
  async function approvedQhmRequest() {
    await call(
      budgets.action,
      post("/icbs/QHM/budgets", { financial_year: String(YEAR), capital: "5000", revenue: "0", version: "" }, { cookie: c.admin }),
      { code: "QHM" },
    );
    const res = await call(
      newRequest.action,
      postForm("/funding-requests/new", requestFields([qhmGap], { amount: "950", intent: "submit" }), c.admin),
    );
    const id = createdId(res.location);
    expect((await step(id, "qhmLead", { intent: "approve" })).status).toBe(302);
    return id;
  }

  it("an approval inside the budget needs no override", async () => {
    const id = await approvedQhmRequest();
    expect(await requestRow(id)).toMatchObject({ status: "approved", budget_override_reason: null });
    expect((await gapRow(qhmGap)).status).toBe("funded");
  });

  it("editing a draft: another ICB's gap is refused, other ICBs' users get 404, a change is saved at the next version and the gap keeps its status", async () => {
    await approvedQhmRequest();
    const res = await call(newRequest.action, postForm("/funding-requests/new", requestFields([qhmGap], { amount: "950" }), c.admin));
    const draft = createdId(res.location);
    expect((await gapRow(qhmGap)).status).toBe("funded");
    const before = await requestRow(draft);
    const tampered = await call(
      requestPage.action,
      postForm(
        `/funding-requests/${draft}`,
        requestFields([qhmGap], { intent: "edit", version: String(before.version), amount: "950", add_gaps: String(gap.F84013) }),
        c.admin,
      ),
      { id: String(draft) },
    );
    expect(tampered.data.fieldErrors.add_gaps).toMatch(/one ICB/);
    expect(await requestRow(draft)).toEqual(before);
    // Someone in QMF's scope only cannot even see the draft.
    const lead = await call(
      requestPage.action,
      postForm(
        `/funding-requests/${draft}`,
        requestFields([qhmGap], { intent: "edit", version: String(before.version), amount: "950" }),
        c.icbLead,
      ),
      { id: String(draft) },
    );
    expect(lead.status).toBe(404);

    const changed = await call(
      requestPage.action,
      postForm(
        `/funding-requests/${draft}`,
        requestFields([qhmGap], {
          intent: "edit",
          version: String(before.version),
          title: "Laptop for Densham",
          amount: "1000",
          amount_reason: "Supplier quote",
        }),
        c.admin,
      ),
      { id: String(draft) },
    );
    expect(changed.status).toBe(302);
    // From the gap register, "add these gaps to a draft" opens the draft's edit form with them filled in.
    const offer = await call(newRequest.loader, get(`/funding-requests/new?gap=${qhmGap}`, c.admin));
    expect(offer.data.drafts.map((d: { id: number }) => d.id)).toContain(draft);
    const toDraft = await call(newRequest.loader, get(`/funding-requests/new?gap=${qhmGap}&draft=${draft}`, c.admin));
    expect(toDraft.location).toBe(`/funding-requests/${draft}?edit=1&add=${qhmGap}#edit-title`);
    expect(
      (await call(requestPage.loader, get(`/funding-requests/${draft}?edit=1&add=${qhmGap}`, c.admin), { id: String(draft) })).data,
    ).toMatchObject({ editing: true, add: String(qhmGap) });
    expect(await requestRow(draft)).toMatchObject({
      title: "Laptop for Densham",
      amount_pence: 100_000,
      amount_reason: "Supplier quote",
      version: before.version + 1,
    });
    expect((await gapRow(qhmGap)).status).toBe("funded");
  });

  it("a delivery partner who did not draft a request cannot submit it; the ICB lead can", async () => {
    await deliveredRequest();
    const res = await call(newRequest.action, postForm("/funding-requests/new", requestFields([gap.F84013], { amount: "950" }), c.admin));
    // Drafted by an admin: the QMF delivery partner may read it but not submit it.
    const id = createdId(res.location);
    expect((await step(id, "partnerIcb", { intent: "submit" })).status).toBe(403);
    expect((await step(id, "icbLead", { intent: "submit" })).status).toBe(302);
    // The gap is already in a delivered request, which outranks a submitted one.
    expect((await gapRow(gap.F84013)).status).toBe("in_delivery");
  });
});

describe("price list versions", () => {
  it("a new ICB price changes estimates only from its effective date; a duplicate date is a field error", async () => {
    const from = addDays(todayIso(), 10);
    const uk = `${from.slice(8, 10)}/${from.slice(5, 7)}/${from.slice(0, 4)}`;
    const fields = {
      unit_cost: "1,200",
      basis: "each",
      effective_from: uk,
      source: "NEL framework call-off 2027",
      local_estimate: "",
      vat_rate_percent: "20",
      finance: "capital",
      recurrence: "one_off",
    };
    const res = await call(price.action, post("/icbs/QMF/prices/laptop_replacement", fields, { cookie: c.icbLead }), {
      code: "QMF",
      unit: "laptop_replacement",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/icbs/QMF/prices/laptop_replacement");
    const row = await getDb()
      .selectFrom("price_list_entry")
      .selectAll()
      .where("icb_code", "=", "QMF")
      .where("unit_kind", "=", "laptop_replacement")
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      unit_cost_pence: 120_000,
      effective_from: from,
      local_estimate: false,
      vat_rate_percent: 20,
      finance: "capital",
      recurrence: "one_off",
      created_by: users.icbLead,
    });
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "entity_id"])
      .where("entity_type", "=", "price_list_entry")
      .execute();
    expect(audit).toEqual([{ action: "price.add", entity_id: "QMF:laptop_replacement" }]);

    const scope = { all: true } as const;
    const today = (await loadCostedGaps(getDb(), { scope, ids: [gap.F84013] }, todayIso()))[0];
    const later = (await loadCostedGaps(getDb(), { scope, ids: [gap.F84013] }, from))[0];
    const otherIcb = (await loadCostedGaps(getDb(), { scope, ids: [gap.A81001] }, from))[0];
    expect([today.estimate.pence, later.estimate.pence, otherIcb.estimate.pence]).toEqual([95_000, 120_000, 95_000]);

    const list = await call(prices.loader, get("/icbs/QMF/prices", c.partnerIcb), { code: "QMF" });
    const unit = list.data.units.find((u: { kind: string }) => u.kind === "laptop_replacement");
    expect(unit.price).toMatchObject({ unitCostPence: 95_000, own: false });
    expect(unit.upcoming).toMatchObject({ unitCostPence: 120_000, effectiveFrom: from, own: true });
    expect(list.data.units.find((u: { kind: string }) => u.kind === "clinical_system_procurement").price).toBeNull();

    const dup = await call(
      price.action,
      post("/icbs/QMF/prices/laptop_replacement", { ...fields, unit_cost: "1,100" }, { cookie: c.icbLead }),
      { code: "QMF", unit: "laptop_replacement" },
    );
    expect(dup.status).toBe(400);
    expect(dup.data.fieldErrors.effective_from).toMatch(/already has a price for this unit from/);
    const history = await call(price.loader, get("/icbs/QMF/prices/laptop_replacement", c.icbLead), {
      code: "QMF",
      unit: "laptop_replacement",
    });
    expect(
      history.data.versions.map((v: { unitCostPence: number; own: boolean; future: boolean }) => [v.unitCostPence, v.own, v.future]),
    ).toEqual([
      [120_000, true, true],
      [95_000, false, false],
    ]);
    // The page after the addition says so once (a notice on the session, not ?added= in the address).
    expect(history.data.added).toBe(from);
    const again = await call(price.loader, get("/icbs/QMF/prices/laptop_replacement", c.icbLead), {
      code: "QMF",
      unit: "laptop_replacement",
    });
    expect(again.data.added).toBeNull();
  });
});

describe("budgets", () => {
  it("changes a year's budget at the version shown; a stale version is a conflict", async () => {
    const year = YEAR + 1;
    expect(
      (
        await call(
          budgets.action,
          post("/icbs/QMF/budgets", { financial_year: String(year), capital: "250000", revenue: "0", version: "" }, { cookie: c.icbLead }),
          { code: "QMF" },
        )
      ).status,
    ).toBe(302);
    const twice = await call(
      budgets.action,
      post("/icbs/QMF/budgets", { financial_year: String(year), capital: "1", revenue: "0", version: "" }, { cookie: c.icbLead }),
      { code: "QMF" },
    );
    expect(twice.data.formError).toMatch(/Someone else changed this year's budget/);
    expect(
      (
        await call(
          budgets.action,
          post("/icbs/QMF/budgets", { financial_year: String(year), capital: "300000", revenue: "0", version: "1" }, { cookie: c.icbLead }),
          { code: "QMF" },
        )
      ).status,
    ).toBe(302);
    const stale = await call(
      budgets.action,
      post("/icbs/QMF/budgets", { financial_year: String(year), capital: "1", revenue: "0", version: "1" }, { cookie: c.icbLead }),
      { code: "QMF" },
    );
    expect(stale.data.formError).toMatch(/Someone else changed/);
    const row = await getDb()
      .selectFrom("icb_budget")
      .selectAll()
      .where("icb_code", "=", "QMF")
      .where("financial_year", "=", year)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ amount_pence: 30_000_000, version: 2, set_by: users.icbLead });
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "before", "after"])
      .where("entity_type", "=", "icb_budget")
      .where("entity_id", "=", `QMF:${year}`)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["budget.set", "budget.change"]);
    expect(audit[1].after).toMatchObject({ budget: "£300,000.00" });
    expect(
      (
        await call(
          budgets.action,
          post("/icbs/QMF/budgets", { financial_year: String(year), capital: "9", revenue: "0", version: "2" }, { cookie: c.partnerIcb }),
          { code: "QMF" },
        )
      ).status,
    ).toBe(403);
  });
});

describe("funding pipeline export", () => {
  it("writes three sheets whose totals rows equal the sum of their rows, within the user's scope", async () => {
    // A delivered request against a £1,000 budget, one of whose gaps an estate fix has closed.
    await deliveredRequest();
    expect((await fixF84003Laptop()).ok).toBe(true);
    const res = await call(exportPipeline.loader, get("/funding-requests/export?format=xlsx", c.icbLead));
    expect(res.response!.headers.get("Content-Type")).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.response!.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Requests", "By year and status", "Gaps"]);
    const rows = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(2).map((r) => r.slice(1));
    const requests = rows("Requests");
    const total = requests.pop()!;
    expect(total[0]).toBe("Total");
    const dbRows = await getDb()
      .selectFrom("funding_request")
      .select(["id", "amount_pence"])
      .where("icb_code", "=", "QMF")
      .orderBy("id")
      .execute();
    expect(requests.map((r) => r[0])).toEqual(dbRows.map((r) => r.id));
    expect(total[6]).toBeCloseTo(
      requests.reduce((s, r) => s + (r[6] as number), 0),
      2,
    );
    expect(total[6]).toBeCloseTo(dbRows.reduce((s, r) => s + Number(r.amount_pence), 0) / 100, 2);
    expect(requests.every((r) => r[1] === "QMF")).toBe(true);

    const years = rows("By year and status");
    const yearTotal = years.pop()!;
    const thisYear = years.find((r) => r[0] === "QMF" && r[1] === `${YEAR}/${String((YEAR + 1) % 100).padStart(2, "0")}`)!;
    expect(thisYear[2]).toBe(1000);
    expect(thisYear[8]).toBe(1900); // delivered
    expect(thisYear[10]).toBeCloseTo((thisYear[2] as number) - (thisYear[9] as number), 2);
    for (const col of [3, 4, 5, 6, 7, 8, 9])
      expect(yearTotal[col]).toBeCloseTo(
        years.reduce((s, r) => s + ((r[col] as number) ?? 0), 0),
        2,
      );

    const gapLines = rows("Gaps");
    expect(gapLines.some((r) => r[3] === gap.F84003 && r[8] === "closed")).toBe(true);
    expect(gapLines.some((r) => r[3] === gap.A81001)).toBe(false);
  });
});

describe("submitting a draft whose gap has closed since", () => {
  it("is refused with the gap named, and nothing is submitted or audited", async () => {
    const db = getDb();
    // F84003's first laptop is on Windows 11, so the new one's gap is the practice's only open DEV-02 gap.
    expect((await fixF84003Laptop()).ok).toBe(true);
    const made = await createDevice(db, users.partnerIcb, "F84003", { ...laptop("F84003-L3", WIN10), site_code: "F84003" });
    if (!made.ok) throw new Error(JSON.stringify(made));
    const deviceId = (made as { id: number }).id;
    const open = await db
      .selectFrom("gap")
      .select("id")
      .where("practice_code", "=", "F84003")
      .where("requirement_id", "=", "DEV-02")
      .where("closed_on", "is", null)
      .executeTakeFirstOrThrow();
    const res = await call(newRequest.action, postForm("/funding-requests/new", requestFields([open.id], { amount: "950" }), c.partnerIcb));
    expect(res.status).toBe(302);
    const id = createdId(res.location);
    expect((await requestRow(id)).status).toBe("draft");

    // The delivery partner replaces the laptop before the draft is submitted: the gap closes.
    expect(
      (await updateDevice(db, users.partnerIcb, "F84003", deviceId, 1, { ...laptop("F84003-L3", WIN11), site_code: "F84003" })).ok,
    ).toBe(true);
    expect((await gapRow(open.id)).status).toBe("closed");
    const audits = await count("audit_event");
    const refused = await step(id, "partnerIcb", { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(refused.data.formError).toBe(
      `Gap #${open.id} has closed since this request was drafted (the requirement is now met), so it needs no funding. Edit the request to remove it, then submit it. Nothing was submitted.`,
    );
    expect(await requestRow(id)).toMatchObject({ status: "draft", submitted_at: null });
    expect(await count("audit_event")).toBe(audits);
    expect((await gapRow(open.id)).status).toBe("closed");
  });
});
