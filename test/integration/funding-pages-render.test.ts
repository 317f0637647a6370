import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { seedGaps } from "../support/gaps-fixture";
import { call, get, post, flashFor } from "../support/requests";
import { seedAndSignIn } from "../support/scoping";

// The funding pages rendered on the server from their real loader (and action) data, with
// Remix's hooks replaced, as in gaps-pages-render.test.ts: budgets in two pots, and a failed
// approval shows the error summary at the top with no success banner from the earlier step.
let loaderData: unknown;
let actionData: unknown;
vi.mock("@remix-run/react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@remix-run/react")>();
  type P = { to?: string; children?: ReactNode; className?: unknown; [k: string]: unknown };
  return {
    ...actual,
    useLoaderData: () => loaderData,
    useActionData: () => actionData,
    useLocation: () => ({ pathname: "/", search: "" }),
    useNavigation: () => ({ state: "idle" }),
    useSubmit: () => () => undefined,
    Link: ({ to, children, className, ...p }: P) => createElement("a", { href: to, className, ...p }, children),
    Form: ({ children, method, action, ...p }: P) => createElement("form", { method, action, ...p }, children),
  };
});

const budgets = await import("~/routes/icbs.$code_.budgets");
const requestPage = await import("~/routes/funding-requests.$id");
const newRequest = await import("~/routes/funding-requests.new");

const YEAR = financialYearOf(todayIso());
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedAndSignIn(cookies, ["lead", "dp"], seedGaps);
}, 120_000);

async function render(mod: { default: () => ReactNode }, data: unknown, action?: unknown) {
  loaderData = JSON.parse(JSON.stringify(data));
  actionData = action === undefined ? undefined : JSON.parse(JSON.stringify(action));
  return renderToStaticMarkup(createElement(mod.default));
}

/** QMF's budget for this year, £1,000 capital and £500 revenue, set by its lead (each test starts with none). */
async function setQmfBudget() {
  expect(
    (
      await call(
        budgets.action,
        post(
          "/icbs/QMF/budgets",
          { financial_year: String(YEAR), capital: "1,000", revenue: "500", version: "" },
          { cookie: cookies.lead },
        ),
        { code: "QMF" },
      )
    ).status,
  ).toBe(302);
}

describe("funding pages render", () => {
  it("the budgets page: capital, revenue and total rows per year, and a form with both pots", async () => {
    await setQmfBudget();
    const page = await call(budgets.loader, get(`/icbs/QMF/budgets?year=${YEAR}`, cookies.lead), { code: "QMF" });
    const html = await render(budgets, page.data);
    expect(html).toContain(">Capital</th>");
    expect(html).toContain(">Revenue</th>");
    expect(html).toContain(">Total</th>");
    expect(html).toContain("£1,000.00");
    expect(html).toContain("£1,500.00");
    expect(html).toMatch(/Capital budget for \d{4}\/\d{2}, in pounds/);
    expect(html).toMatch(/Revenue budget for \d{4}\/\d{2}, in pounds/);
  });

  it("a request page after a failed approval: error summary at the top, no stale success banner; split and VAT shown", async () => {
    await setQmfBudget(); // £500 of revenue
    const gap = await getDb()
      .selectFrom("gap")
      .innerJoin("practice", "practice.ods_code", "gap.practice_code")
      .select("gap.id")
      .where("practice.icb_code", "=", "QMF")
      .where("gap.requirement_id", "=", "DEV-02")
      .executeTakeFirstOrThrow();
    const f = new URLSearchParams({
      title: "Laptops",
      financial_year: String(YEAR),
      amount: "1,000,000",
      amount_reason: "Whole estate",
      justification: "Out of support",
      intent: "submit",
      gap: String(gap.id),
    });
    const created = await call(
      newRequest.action,
      new Request("http://localhost:3000/funding-requests/new", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookies.dp, Origin: "http://localhost:3000" },
        body: f.toString(),
      }),
    );
    expect(created.status).toBe(302);
    const id = /\/funding-requests\/(\d+)/.exec(created.location!)![1];
    const version = String(
      (await getDb().selectFrom("funding_request").select("version").where("id", "=", Number(id)).executeTakeFirstOrThrow()).version,
    );
    const failed = await call(
      requestPage.action,
      post(`/funding-requests/${id}`, { intent: "approve", version }, { cookie: cookies.lead }),
      { id },
    );
    expect(failed.status).toBe(400);
    const page = await call(requestPage.loader, get(`/funding-requests/${id}`, cookies.lead), { id });
    const html = await render(requestPage, page.data, failed.data);
    expect(html).not.toContain("Request submitted.");
    const summary = html.indexOf("nhsuk-error-summary");
    expect(summary).toBeGreaterThan(-1);
    expect(summary).toBeLessThan(html.indexOf("nhsuk-summary-list"));
    // This gap's remedy is priced as revenue in the fixture: the revenue pot is the one named.
    expect(html).toMatch(/<a href="#field-override">The revenue budget for \d{4}\/\d{2} is short by £999,500\.00/);
    expect(html).toContain("ex VAT");
    expect(html).toContain("inc VAT");
    expect(html).toContain("Capital £0.00 · revenue £1,000,000.00");
    expect(html).toContain("£1,200,000.00 inc VAT");
    // The step just taken is confirmed once, on the requester's next page (the session's flash, shown by the root).
    expect(await flashFor(cookies.dp)).toBe("Request submitted.");
  });
});
