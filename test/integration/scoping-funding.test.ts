import { describe, expect, it } from "vitest";
import * as prices from "~/routes/icbs.$code_.prices._index";
import * as price from "~/routes/icbs.$code_.prices.$unit";
import * as budgets from "~/routes/icbs.$code_.budgets";
import * as requests from "~/routes/funding-requests._index";
import * as newRequest from "~/routes/funding-requests.new";
import * as requestPage from "~/routes/funding-requests.$id";
import * as exportPipeline from "~/routes/funding-requests.export";
import { getDb } from "~/utils/db.server";
import { seedFundingFixture } from "../support/funding-fixture";
import { call, get } from "../support/requests";
import { defineMatrix, OTHER_ICB, QMF_ONLY, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "icbs.$code_.prices._index.tsx": prices,
  "icbs.$code_.prices.$unit.tsx": price,
  "icbs.$code_.budgets.tsx": budgets,
  "funding-requests._index.tsx": requests,
  "funding-requests.new.tsx": newRequest,
  "funding-requests.$id.tsx": requestPage,
  "funding-requests.export.ts": exportPipeline,
};

// Prices and budgets are ICB pages (read in ICB scope; a practice manager's or practice-list
// partner's scope holds no ICB, so 404); changing them is the ICB lead's (policy:manage).
// Funding pages need funding:request, which practice managers never hold (403). Deciding is
// funding:decide: a delivery partner asking to approve gets 403 whatever else is wrong.
const POLICY_WRITE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 404,
};
const FUNDING_ANY: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 200,
  partnerPractice: 200,
  practiceManager: 403,
};
const FUNDING_QMF: Expect = { ...FUNDING_ANY, partnerPractice: 404 };
const FUNDING_QHM: Expect = { ...FUNDING_QMF, icbLead: 404, partnerIcb: 404 };
const FUNDING_F84013: Expect = FUNDING_ANY;
const DECIDE_QMF: Expect = { ...FUNDING_QMF, partnerIcb: 403 };

const Q = { code: "QMF" };
// POSTs below fail validation or carry a stale version, so nothing changes whatever order rows run in.
const BAD_PRICE = { unit_cost: "", basis: "each", effective_from: "", source: "" };
const BAD_REQUEST = { title: "", financial_year: "2026", amount: "", justification: "" };

const MATRIX: MatrixRow[] = (
  [
    { file: "icbs.$code_.prices._index.tsx", path: "/icbs/QMF/prices", params: Q, expect: QMF_ONLY },
    { file: "icbs.$code_.prices._index.tsx", path: "/icbs/QHM/prices", params: { code: "QHM" }, expect: OTHER_ICB },
    {
      file: "icbs.$code_.prices.$unit.tsx",
      path: "/icbs/QMF/prices/laptop_replacement",
      params: { ...Q, unit: "laptop_replacement" },
      expect: QMF_ONLY,
    },
    {
      file: "icbs.$code_.prices.$unit.tsx",
      path: "/icbs/QMF/prices/no_such_unit",
      params: { ...Q, unit: "no_such_unit" },
      expect: { ...QMF_ONLY, admin: 404, icbLead: 404, partnerIcb: 404 },
    },
    {
      file: "icbs.$code_.prices.$unit.tsx",
      path: "/icbs/QHM/prices/laptop_replacement",
      params: { code: "QHM", unit: "laptop_replacement" },
      expect: OTHER_ICB,
    },
    {
      file: "icbs.$code_.prices.$unit.tsx",
      method: "POST",
      path: "/icbs/QMF/prices/laptop_replacement",
      params: { ...Q, unit: "laptop_replacement" },
      fields: BAD_PRICE,
      expect: POLICY_WRITE,
    },
    {
      file: "icbs.$code_.prices.$unit.tsx",
      method: "POST",
      path: "/icbs/QHM/prices/laptop_replacement",
      params: { code: "QHM", unit: "laptop_replacement" },
      fields: BAD_PRICE,
      expect: OTHER_ICB,
    },
    { file: "icbs.$code_.budgets.tsx", path: "/icbs/QMF/budgets", params: Q, expect: QMF_ONLY },
    { file: "icbs.$code_.budgets.tsx", path: "/icbs/QHM/budgets", params: { code: "QHM" }, expect: OTHER_ICB },
    {
      file: "icbs.$code_.budgets.tsx",
      method: "POST",
      path: "/icbs/QMF/budgets",
      params: Q,
      fields: { financial_year: "2026", amount: "lots" },
      expect: POLICY_WRITE,
    },
    {
      file: "icbs.$code_.budgets.tsx",
      method: "POST",
      path: "/icbs/QHM/budgets",
      params: { code: "QHM" },
      fields: { financial_year: "2026", amount: "lots" },
      expect: OTHER_ICB,
    },

    { file: "funding-requests._index.tsx", path: "/funding-requests", expect: FUNDING_ANY },
    { file: "funding-requests._index.tsx", path: "/funding-requests?icb=QHM&status=draft&year=2026", expect: FUNDING_ANY },
    { file: "funding-requests.new.tsx", path: "/funding-requests/new?gap=9001", expect: FUNDING_QMF },
    { file: "funding-requests.new.tsx", path: "/funding-requests/new?gap=9002", expect: FUNDING_F84013 },
    { file: "funding-requests.new.tsx", path: "/funding-requests/new?gap=9003", expect: FUNDING_QHM },
    { file: "funding-requests.new.tsx", path: "/funding-requests/new?gap=9001&gap=9003", expect: { ...FUNDING_QHM, admin: 200 } },
    {
      file: "funding-requests.new.tsx",
      method: "POST",
      path: "/funding-requests/new",
      fields: { ...BAD_REQUEST, gap: "9001" },
      expect: FUNDING_QMF,
    },
    // Form tampering: another ICB's gap id in the hidden input.
    {
      file: "funding-requests.new.tsx",
      method: "POST",
      path: "/funding-requests/new",
      fields: { ...BAD_REQUEST, gap: "9003" },
      expect: FUNDING_QHM,
    },
    { file: "funding-requests.$id.tsx", path: "/funding-requests/801", params: { id: "801" }, expect: FUNDING_QMF },
    { file: "funding-requests.$id.tsx", path: "/funding-requests/802", params: { id: "802" }, expect: FUNDING_QHM },
    { file: "funding-requests.$id.tsx", path: "/funding-requests/803", params: { id: "803" }, expect: FUNDING_F84013 },
    {
      file: "funding-requests.$id.tsx",
      path: "/funding-requests/abc",
      params: { id: "abc" },
      expect: { ...FUNDING_ANY, admin: 404, icbLead: 404, partnerIcb: 404, partnerPractice: 404 },
    },
    {
      file: "funding-requests.$id.tsx",
      method: "POST",
      path: "/funding-requests/801",
      params: { id: "801" },
      fields: { intent: "approve", version: "999" },
      expect: DECIDE_QMF,
    },
    {
      file: "funding-requests.$id.tsx",
      method: "POST",
      path: "/funding-requests/802",
      params: { id: "802" },
      fields: { intent: "submit", version: "999" },
      expect: FUNDING_QHM,
    },
    { file: "funding-requests.export.ts", path: "/funding-requests/export?format=csv", expect: FUNDING_ANY },
    { file: "funding-requests.export.ts", path: "/funding-requests/export?format=xlsx", expect: FUNDING_ANY },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  // No role in the matrix raised the fixture's requests, so deciding them tests scope alone:
  // separation of duties (the requester may not approve) is tested in funding-pots.test.ts.
  await seedFundingFixture(db, null);
});

describe("gaps and funding: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});

describe("funding lists and exports show only what is in scope", () => {
  const ids = async (role: keyof typeof cookies) =>
    (await call(requests.loader, get("/funding-requests", cookies[role]))).data.page.rows.map((r: { id: number }) => r.id).sort();

  it("lists each role's requests: its ICBs, or requests wholly within its practices", async () => {
    expect(await ids("admin")).toEqual([801, 802, 803]);
    expect(await ids("icbLead")).toEqual([801, 803]);
    expect(await ids("partnerIcb")).toEqual([801, 803]);
    expect(await ids("partnerPractice")).toEqual([803]);
  });

  it("exports only the requests and gaps in scope", async () => {
    const res = await call(exportPipeline.loader, get("/funding-requests/export?format=csv&sheet=gaps", cookies.partnerPractice));
    const text = await res.response!.text();
    expect(text).toContain("9002");
    expect(text).not.toContain("9001");
    expect(text).not.toContain("A81001");
    const lead = await (await call(exportPipeline.loader, get("/funding-requests/export?format=csv", cookies.icbLead))).response!.text();
    expect(lead).toContain("Request 801");
    expect(lead).not.toContain("Request 802");
  });

  it("refuses a closed gap and gaps from two ICBs with a message, not a request", async () => {
    const closed = await call(newRequest.loader, get("/funding-requests/new?gap=9004", cookies.icbLead));
    expect(closed.data.problem).toMatch(/#9004 is closed/);
    const mixed = await call(newRequest.loader, get("/funding-requests/new?gap=9001&gap=9003", cookies.admin));
    expect(mixed.data.problem).toMatch(/one ICB/);
  });
});
