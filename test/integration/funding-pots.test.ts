import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "~/modules/auth/service.server";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice } from "~/modules/devices/service.server";
import { setPolicyValue } from "~/modules/compliance/policy.server";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import * as newRequest from "~/routes/funding-requests.new";
import * as requestPage from "~/routes/funding-requests.$id";
import * as budgets from "~/routes/icbs.$code_.budgets";
import * as gapPage from "~/routes/gaps.$id";
import * as compliance from "~/routes/practices.$ods.compliance._index";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { createRoleUsers, createUser, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";
import { call, cookieFor, get, post } from "../support/requests";
import { EMAILS } from "../support/scoping";
import { unpackRows } from "~/modules/compliance/practice-rows-wire";

// Issue #13 "Budgets split capital and revenue" and issue #17 item 7 (separation of duties, one
// status vocabulary, "Add to a funding request", cost next to "To fix"), against a real database.
const YEAR = financialYearOf(todayIso());
const LABEL = financialYearLabel(YEAR);
let users: Awaited<ReturnType<typeof createRoleUsers>>;
const c: Record<string, string> = {};
/** The DEV-02 gap (an unsupported Windows 10 laptop, one £950 capital replacement) per practice. */
const gap: Record<string, number> = {};

async function asUser(id: number): Promise<SessionUser> {
  const u = await getDb().selectFrom("app_user").select(["id", "email", "name"]).where("id", "=", id).executeTakeFirstOrThrow();
  return {
    ...u,
    memberships: await getDb().selectFrom("membership").select(["role", "icb_code", "practice_code"]).where("user_id", "=", id).execute(),
  };
}

const requestRow = (id: number) => getDb().selectFrom("funding_request").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const auditCount = async () =>
  Number(
    (
      await getDb()
        .selectFrom("audit_event")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function raise(gaps: number[], role: string, over: Record<string, string> = {}) {
  const f = new URLSearchParams({
    title: "Replace Windows 10 laptops",
    financial_year: String(YEAR),
    amount: "950",
    amount_reason: "",
    justification: "Out of support",
    intent: "submit",
    ...over,
  });
  for (const g of gaps) f.append("gap", String(g));
  const res = await call(
    newRequest.action,
    new Request("http://localhost:3000/funding-requests/new", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: c[role], Origin: "http://localhost:3000" },
      body: f.toString(),
    }),
  );
  expect(res.status).toBe(302);
  return Number(/\/funding-requests\/(\d+)/.exec(res.location ?? "")![1]);
}

async function step(id: number, role: string, fields: Record<string, string>) {
  const version = String((await requestRow(id)).version);
  return call(requestPage.action, post(`/funding-requests/${id}`, { version, ...fields }, { cookie: c[role] }), { id: String(id) });
}

const setBudget = (icb: string, year: number, capital: string, revenue: string, role: string, version = "") =>
  call(budgets.action, post(`/icbs/${icb}/budgets`, { financial_year: String(year), capital, revenue, version }, { cookie: c[role] }), {
    code: icb,
  });

// Each test starts from the beforeAll state, with no budgets or requests (its own transaction,
// rolled back after it); these set up what a test builds on through the pages, as the earlier steps did.
/** QMF's budget for this year: £1,000 capital and £500 revenue, set by its lead. */
const qmfBudget = async () => expect((await setBudget("QMF", YEAR, "1,000", "500", "icbLead")).status).toBe(302);
/** Next year's QMF budget as stored before the split: one amount, £700, no pots. */
const budgetBeforeTheSplit = () =>
  getDb()
    .insertInto("icb_budget")
    .values({ icb_code: "QMF", financial_year: YEAR + 1, amount_pence: 70_000, set_by: null })
    .execute();
/** With QMF's budget, the F84003 laptop's £950 capital request, raised by the delivery partner and approved by the lead. */
async function approvedF84003Request() {
  await qmfBudget();
  const id = await raise([gap.F84003], "partnerIcb");
  expect((await step(id, "icbLead", { intent: "approve" })).status).toBe(302);
  return id;
}
/** Then the F84013 laptop's request for £1,000 (a supplier quote), submitted: £50 of the capital pot is left for it. */
async function submittedF84013Request() {
  await approvedF84003Request();
  return raise([gap.F84013], "partnerIcb", { amount: "1,000", amount_reason: "Supplier quote" });
}
/** With QMF's budget, a £1 request for the F84013 laptop raised (and submitted) by QMF's lead. */
async function leadsOwnRequest() {
  await qmfBudget();
  return raise([gap.F84013], "icbLead", { title: "Raised by the lead", amount: "1", amount_reason: "Part funded" });
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  users = await createRoleUsers(db);
  await createUser(db, { email: "qhm.lead@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QHM" }] });
  await createUser(db, { email: "lead2@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
  for (const [role, email] of Object.entries(EMAILS)) c[role] = await cookieFor(email);
  c.qhmLead = await cookieFor("qhm.lead@test.nhs.test");
  c.secondLead = await cookieFor("lead2@test.nhs.test");
  for (const ods of ["F84003", "F84013", "A81001"]) {
    const device = DeviceInputSchema.parse({
      asset_tag: `${ods}-L1`,
      device_type: "laptop",
      status: "in_use",
      os_family: "Windows 10",
      os_edition: "Pro",
      os_version: "22H2",
    });
    const r = await createDevice(db, users.partnerIcb, ods, { ...device, site_code: ods });
    expect(r.ok).toBe(true);
    gap[ods] = (
      await db
        .selectFrom("gap")
        .select("id")
        .where("practice_code", "=", ods)
        .where("requirement_id", "=", "DEV-02")
        .where("closed_on", "is", null)
        .executeTakeFirstOrThrow()
    ).id;
  }
});

describe("budgets in two pots", () => {
  it("sets capital and revenue for a year, the total kept as their sum, audited with both", async () => {
    await qmfBudget();
    const row = await getDb()
      .selectFrom("icb_budget")
      .selectAll()
      .where("icb_code", "=", "QMF")
      .where("financial_year", "=", YEAR)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ capital_pence: 100_000, revenue_pence: 50_000, amount_pence: 150_000 });
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "after"])
      .where("entity_type", "=", "icb_budget")
      .where("entity_id", "=", `QMF:${YEAR}`)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: "budget.set", after: { capital: "£1,000.00", revenue: "£500.00", budget: "£1,500.00" } });
  });

  it("refuses a missing pot with a field error and writes nothing", async () => {
    const before = await auditCount();
    const res = await call(
      budgets.action,
      post("/icbs/QMF/budgets", { financial_year: String(YEAR + 2), capital: "10", version: "" }, { cookie: c.icbLead }),
      { code: "QMF" },
    );
    expect(res.data.fieldErrors.revenue).toBeTruthy();
    expect(await auditCount()).toBe(before);
  });

  it("another ICB's lead can neither see nor set this ICB's budgets (404 by URL or form)", async () => {
    await qmfBudget();
    expect((await call(budgets.loader, get("/icbs/QMF/budgets", c.qhmLead), { code: "QMF" })).status).toBe(404);
    expect((await setBudget("QMF", YEAR, "9", "9", "qhmLead", "1")).status).toBe(404);
    expect(
      (
        await getDb()
          .selectFrom("icb_budget")
          .select("capital_pence")
          .where("icb_code", "=", "QMF")
          .where("financial_year", "=", YEAR)
          .executeTakeFirstOrThrow()
      ).capital_pence,
    ).toBe(100_000);
  });

  it("a budget set before the split counts its one amount as revenue, capital not set", async () => {
    await budgetBeforeTheSplit();
    const page = await call(budgets.loader, get("/icbs/QMF/budgets", c.icbLead), { code: "QMF" });
    const next = page.data.years.find((y: { year: number }) => y.year === YEAR + 1);
    expect(next.pots.capital.budgetPence).toBeNull();
    expect(next.pots.revenue.budgetPence).toBe(70_000);
    expect(next.budgetPence).toBe(70_000);
  });
});

describe("funding requests split capital and revenue, checked per pot", () => {
  it("a request's amount is split from its gaps' priced lines (the laptop is capital), with VAT at the line's rate", async () => {
    await qmfBudget();
    const first = await raise([gap.F84003], "partnerIcb");
    expect(await requestRow(first)).toMatchObject({ amount_pence: 95_000, capital_pence: 95_000, vat_pence: 19_000 });
    const page = await call(requestPage.loader, get(`/funding-requests/${first}`, c.icbLead), { id: String(first) });
    expect(page.data.request).toMatchObject({ capital_pence: 95_000, revenue_pence: 0, vat_pence: 19_000 });
    expect(page.data.budget.pots.capital).toMatchObject({ budgetPence: 100_000, committedPence: 0, remainingPence: 100_000 });
    expect(page.data.budget.overrideNeeded).toBeNull();
    const approved = await step(first, "icbLead", { intent: "approve" });
    expect(approved.data ?? null).toBeNull();
    expect(approved.status).toBe(302);
  });

  it("'Check the split' shows, before saving, the split the save then stores, keeps what was typed, and works by plain GET", async () => {
    const check = (qs: string, role = "partnerIcb") =>
      call(newRequest.loader, get(`/funding-requests/new?gap=${gap.F84013}&${qs}`, c[role]));
    // Before any check: the estimate in the current year.
    const first = await check("");
    expect(first.data.preview).toMatchObject({
      year: YEAR,
      amountPence: 95_000,
      split: { capitalPence: 95_000, revenuePence: 0, vatPence: 19_000 },
    });
    // The amount and year as typed, and the rest of the form carried back.
    const typed = await check(
      `check=1&amount=${encodeURIComponent("1,200")}&financial_year=${YEAR + 1}&title=Laptops&justification=Out+of+support&intent=submit`,
    );
    expect(typed.data.preview).toMatchObject({
      year: YEAR + 1,
      amountPence: 120_000,
      split: { capitalPence: 120_000, revenuePence: 0, vatPence: 24_000 },
    });
    // A laptop replacement has no annual lines: nothing recurs later.
    expect(typed.data.preview.later.map((y: { pence: number }) => y.pence)).toEqual([0, 0]);
    expect(typed.data.values).toEqual({
      title: "Laptops",
      financial_year: String(YEAR + 1),
      amount: "1,200",
      justification: "Out of support",
    });
    // A wrong amount: the error, no preview.
    const wrong = await check(`check=1&amount=lots&financial_year=${YEAR}`);
    expect(wrong.data.preview).toBeNull();
    expect(wrong.data.previewErrors.amount).toMatch(/amount in pounds/);
    // Another ICB's lead cannot preview this ICB's gap by URL.
    expect((await check(`check=1&amount=950&financial_year=${YEAR}`, "qhmLead")).status).toBe(404);
  });

  it("an amount different from the estimate keeps the estimate's proportions", async () => {
    const second = await raise([gap.F84013], "partnerIcb", { amount: "1,000", amount_reason: "Supplier quote" });
    expect(await requestRow(second)).toMatchObject({ amount_pence: 100_000, capital_pence: 100_000, vat_pence: 20_000 });
  });

  it("approval over the capital pot names the pot and the shortfall; the revenue pot, untouched, is not mentioned", async () => {
    const second = await submittedF84013Request();
    const page = await call(requestPage.loader, get(`/funding-requests/${second}`, c.icbLead), { id: String(second) });
    const message = `The capital budget for ${LABEL} is short by £950.00: this request needs £1,000.00 of capital, and £50.00 of the £1,000.00 is left after approved, funded and delivered requests.`;
    expect(page.data.budget.overrideNeeded).toBe(message);
    const refused = await step(second, "icbLead", { intent: "approve" });
    expect(refused.status).toBe(400);
    expect(refused.data.fieldErrors.override).toBe(`${message} To approve anyway, tick the override and give a reason.`);
    expect(refused.data.fieldErrors.override).not.toMatch(/revenue/);
    expect((await requestRow(second)).status).toBe("submitted");
  });

  it("a request wholly of revenue (its gaps priced as revenue) is checked against the revenue pot only", async () => {
    // QHM prices laptop replacement as revenue (a leased device), so A81001's gap is revenue there.
    await getDb()
      .insertInto("price_list_entry")
      .values({
        icb_code: "QHM",
        unit_kind: "laptop_replacement",
        basis: "each",
        unit_cost_pence: 95_000,
        effective_from: "2020-01-01",
        source: "Lease, per device",
        local_estimate: false,
        vat_rate_percent: 20,
        finance: "revenue",
        recurrence: "one_off",
      })
      .execute();
    expect((await setBudget("QHM", YEAR, "0", "900", "qhmLead")).status).toBe(302);
    const id = await raise([gap.A81001], "admin");
    expect(await requestRow(id)).toMatchObject({ amount_pence: 95_000, capital_pence: 0 });
    const refused = await step(id, "qhmLead", { intent: "approve" });
    expect(refused.data.fieldErrors.override).toMatch(
      new RegExp(`^The revenue budget for ${LABEL.replace("/", "\\/")} is short by £50\\.00`),
    );
    expect(refused.data.fieldErrors.override).not.toMatch(/capital/);
  });

  it("a request in a year whose capital is not set needs the override, saying so", async () => {
    await budgetBeforeTheSplit();
    const id = await raise([gap.F84013], "partnerIcb", { financial_year: String(YEAR + 1), title: "Next year" });
    const page = await call(requestPage.loader, get(`/funding-requests/${id}`, c.icbLead), { id: String(id) });
    expect(page.data.budget.overrideNeeded).toBe(
      `No capital budget is set for ${financialYearLabel(YEAR + 1)}, and this request needs £950.00 of capital.`,
    );
  });

  it("another ICB's lead cannot open or approve the request, by URL or a tampered form (404), and nothing changes", async () => {
    const second = await submittedF84013Request();
    const before = await requestRow(second);
    expect((await call(requestPage.loader, get(`/funding-requests/${second}`, c.qhmLead), { id: String(second) })).status).toBe(404);
    const res = await call(
      requestPage.action,
      post(
        `/funding-requests/${second}`,
        { intent: "approve", version: String(before.version), override: "on", override_reason: "x" },
        { cookie: c.qhmLead },
      ),
      { id: String(second) },
    );
    expect(res.status).toBe(404);
    expect(await requestRow(second)).toEqual(before);
  });
});

describe("separation of duties", () => {
  it("the lead who raised a request is not offered approval and is refused it (403), by default", async () => {
    const own = await leadsOwnRequest();
    const page = await call(requestPage.loader, get(`/funding-requests/${own}`, c.icbLead), { id: String(own) });
    expect(page.data.steps).toEqual(["reject"]);
    const before = await auditCount();
    const res = await step(own, "icbLead", { intent: "approve" });
    expect(res.status).toBe(403);
    expect((await requestRow(own)).status).toBe("submitted");
    expect(await auditCount()).toBe(before);
    // Another lead of the same ICB may approve it.
    const other = await call(requestPage.loader, get(`/funding-requests/${own}`, c.secondLead), { id: String(own) });
    expect(other.data.steps).toEqual(["approve", "reject"]);
  });

  it("where the ICB's policy allows it, the requester approves only with a reason, recorded on the request and in its audit event", async () => {
    const own = await leadsOwnRequest();
    await setPolicyValue(getDb(), await asUser(users.icbLead), {
      icbCode: "QMF",
      key: "funding_self_approval",
      value: "with_reason",
      version: null,
    });
    const page = await call(requestPage.loader, get(`/funding-requests/${own}`, c.icbLead), { id: String(own) });
    expect(page.data.steps).toEqual(["approve", "reject"]);
    expect(page.data.selfApprovalNeedsReason).toBe(true);
    const noReason = await step(own, "icbLead", { intent: "approve" });
    expect(noReason.data.fieldErrors).toEqual({ self_approval_reason: "Enter the reason you are approving a request you raised yourself" });
    expect((await requestRow(own)).status).toBe("submitted");
    const ok = await step(own, "icbLead", { intent: "approve", self_approval_reason: "Only lead in post this month" });
    expect(ok.status).toBe(302);
    expect(await requestRow(own)).toMatchObject({
      status: "approved",
      self_approval_reason: "Only lead in post this month",
      decided_by: users.icbLead,
    });
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "after"])
      .where("entity_type", "=", "funding_request")
      .where("entity_id", "=", String(own))
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      action: "funding_request.approve",
      after: { status: "Approved", self_approval_reason: "Only lead in post this month" },
    });
  });
});

describe("the gap and compliance pages", () => {
  it("the gap page offers 'Add to a funding request' to those who may raise one, and names the gap with its request's word", async () => {
    await approvedF84003Request();
    const asPartner = await call(gapPage.loader, get(`/gaps/${gap.F84003}`, c.partnerIcb), { id: String(gap.F84003) });
    expect(asPartner.data.canRequest).toBe(true);
    expect(asPartner.data.gap.status).toBe("funded");
    expect(asPartner.data.requests.map((r: { status: string }) => r.status)).toEqual(["approved"]);
    const asManager = await call(gapPage.loader, get(`/gaps/${gap.F84003}`, c.practiceManager), { id: String(gap.F84003) });
    expect(asManager.data.canRequest).toBe(false);
    expect((await call(gapPage.loader, get(`/gaps/${gap.F84003}`, c.qhmLead), { id: String(gap.F84003) })).status).toBe(404);
  });

  it("the practice compliance page shows the open gap's cost next to 'To fix', ex and inc VAT", async () => {
    await approvedF84003Request(); // funded, still open
    const page = await call(compliance.loader, get("/practices/F84003/compliance", c.practiceManager), { ods: "F84003" });
    const row = unpackRows(page.data.rows).find((r) => r.requirement.id === "DEV-02");
    expect(row?.fix).toMatchObject({ gapId: gap.F84003, pence: 95_000, vatPence: 19_000 });
  });
});
