import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { carbonForActivity, lastCompleteMonth } from "~/modules/paper/carbon";
import { FACTORS, factorsOn, LATER_FACTORS, SEED_EFFECTIVE_FROM, SEED_FACTORS, type FactorKey } from "~/modules/paper/factors";
import { todayIso } from "~/utils/today";
import { baseUrl, launch, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("paper and carbon", () => {
  it("a practice manager records a month of paper use and sees its carbon", async () => {
    const month = lastCompleteMonth(todayIso());
    const figures = {
      sheets_printed: 12_345,
      recycled_share_pct: 50,
      letters_posted: 789,
      sms_sent: 1000,
      nhs_app_messages: 500,
      emails_sent: 20,
    };
    // The demo's factors are the shipped ones (first versions and the 2026 DESNZ paper versions): the figure the page should show.
    const versions = [
      ...SEED_FACTORS.map((f, i) => ({ ...f, id: i + 1, unit: FACTORS[f.key as FactorKey].unit, effective_from: SEED_EFFECTIVE_FROM })),
      ...LATER_FACTORS.map((f, i) => ({ ...f, id: 100 + i, unit: FACTORS[f.key as FactorKey].unit })),
    ];
    const expected = carbonForActivity(
      { period_start: `${month}-01`, period_end: `${month}-28`, site_code: null, ...figures },
      factorsOn(versions, `${month}-01`),
    );
    if (expected.status !== "ok") throw new Error("expected a figure");
    const shown = expected.kg.toLocaleString("en-GB", { maximumFractionDigits: 1 });

    const page = await browser.newPage();
    await signIn(page, "pm.f84003@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/practices/F84003/paper`);
    await page.getByRole("heading", { name: "Paper and carbon" }).waitFor();
    await page.locator(`#month-${month} a`).click();
    await page.getByLabel("Sheets of paper printed").waitFor();
    await page.getByLabel("Sheets of paper printed").fill(String(figures.sheets_printed));
    await page.getByLabel("Recycled paper share (%)").fill(String(figures.recycled_share_pct));
    await page.getByLabel("Letters posted to patients").fill(String(figures.letters_posted));
    await page.getByLabel("Text messages (SMS) sent").fill(String(figures.sms_sent));
    await page.getByLabel("NHS App messages sent").fill(String(figures.nhs_app_messages));
    await page.getByLabel("Emails sent to patients").fill(String(figures.emails_sent));
    await page.getByRole("button", { name: "Save the figures" }).click();
    await page.waitForURL(/\/practices\/F84003\/paper(#|$)/);
    await page.getByText(/Saved the figures for/).waitFor();
    const row = await page.locator(`#month-${month}`).textContent();
    expect(row).toContain("12,345");
    expect(row).toContain("789");
    expect(row).toContain(shown);
    const main = await page.locator("main").textContent();
    expect(main).toContain("Net zero trajectory");
    expect(main).toContain("Moving letters to digital messages");
    await page.close();
  });

  it("an ICB lead sees practices ranked per 1,000 patients", async () => {
    const page = await browser.newPage();
    await signIn(page, "icb.lead@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/icbs/QMF/sustainability`);
    await page.getByRole("heading", { name: "Paper and carbon across the ICB" }).waitFor();
    const table = await page.locator("#practice-ranking").textContent();
    expect(table).toContain("Missing");
    expect(table).toMatch(/\b1\b/);
    await page.close();
  });
});
