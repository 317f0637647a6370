import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { seedGaps } from "../support/gaps-fixture";
import { call, get } from "../support/requests";
import { seedAndSignIn } from "../support/scoping";

// The gap pages rendered on the server from their real loader data (as Remix would send it), with
// Remix's router hooks replaced by plain elements: proves each page renders and says what it must.
const rendered = vi.hoisted(() => ({ loaderData: undefined as unknown, location: { pathname: "/gaps", search: "" } }));
vi.mock("@remix-run/react", async (importOriginal) =>
  (await import("../support/remix-render")).remixForRender(await importOriginal<object>(), rendered),
);

const register = await import("~/routes/gaps._index");
const gapPage = await import("~/routes/gaps.$id");
const practiceGaps = await import("~/routes/practices.$ods.gaps");

const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedAndSignIn(cookies, ["pm", "dp", "admin"], seedGaps);
}, 120_000);

async function render(mod: { loader: any; default: () => ReactNode }, path: string, cookie: string, params: Record<string, string> = {}) {
  const r = await call(mod.loader, get(path, cookie), params);
  expect(r.status).toBe(200);
  rendered.loaderData = JSON.parse(JSON.stringify(r.data));
  const url = new URL(path, "http://localhost");
  rendered.location = { pathname: url.pathname, search: url.search };
  return renderToStaticMarkup(createElement(mod.default));
}

describe("gap pages render", () => {
  it("the register: labelled filters, group totals, rows with 'No estimate' (never £0), selection for funding and downloads", async () => {
    const html = await render(register, "/gaps?group=pcn&funder=icb", cookies.dp);
    for (const label of ["Domain", "Category", "Responsibility", "Status", "Financial year of deadline", "Sort by", "Group by"]) {
      expect(html).toMatch(new RegExp(`<label class="nhsuk-label" for="filter-[a-z_]+">${label}</label>`));
    }
    expect(html).toContain("Hackney Marshes PCN");
    expect(html).toContain("<strong>Total</strong>");
    expect(html).toContain("No estimate");
    expect(html).not.toMatch(/>£0\.00</);
    expect(html).toContain('action="/funding-requests/new"');
    expect(html).toMatch(/<input class="nhsuk-checkboxes__input" id="gap-\d+" name="gap" type="checkbox" value="\d+"/);
    expect(html).toContain("Add selected gaps to a new funding request");
    expect(html).toContain('href="/gaps/export?funder=icb&amp;format=csv"');
    expect(html).toContain('href="/gaps/export?funder=icb&amp;format=xlsx"');
  });

  it("a practice manager's register has no selection and no downloads", async () => {
    const html = await render(register, "/gaps", cookies.pm);
    expect(html).not.toContain('name="gap"');
    expect(html).not.toContain("Add selected gaps");
    expect(html).not.toContain("/gaps/export");
    expect(html).toContain("F84003");
    expect(html).not.toContain("F84013");
  });

  it("one gap: requirement link, cost breakdown, every priority factor, history", async () => {
    const gap = await getDb()
      .selectFrom("gap")
      .select(["id", "requirement_id"])
      .where("practice_code", "=", "F84003")
      .where("requirement_id", "=", "DEV-02")
      .executeTakeFirstOrThrow();
    const html = await render(gapPage, `/gaps/${gap.id}`, cookies.pm, { id: String(gap.id) });
    expect(html).toContain(`href="/practices/F84003/compliance/DEV-02"`);
    expect(html).toContain("Cost breakdown");
    for (const f of ["Category", "Cyber risk", "Patients affected", "Deadline", "Extent"]) expect(html).toContain(`<td>${f}</td>`);
    expect(html).toContain("Opened");
    // Issue 11: a practice manager cannot open funding requests, so the page has no such section.
    expect(html).not.toContain("Funding requests</h2>");
    const dpHtml = await render(gapPage, `/gaps/${gap.id}`, cookies.dp, { id: String(gap.id) });
    expect(dpHtml).toContain("This gap is not in any funding request you can open.");
  });

  it("a practice's gaps in three parts with subtotals", async () => {
    const html = await render(practiceGaps, "/practices/F84003/gaps", cookies.pm, { ods: "F84003" });
    for (const h of ["The ICB may fund", "Your practice funds", "Paid for nationally"]) expect(html).toContain(`>${h}</h2>`);
    expect(html.match(/Subtotal \(/g)).toHaveLength(3);
    expect(html).toContain('href="/practices/F84003/gaps"');
  });
});
