import { carbonForActivity, lastCompleteMonth } from "~/modules/paper/carbon";
import { FACTORS, factorsOn, LATER_FACTORS, SEED_EFFECTIVE_FROM, SEED_FACTORS, type FactorKey } from "~/modules/paper/factors";
import { todayIso } from "~/utils/today";
import { expect, test } from "./fixtures";

test.describe("paper and carbon", () => {
  test("a practice manager records a month of paper use and sees its carbon", async ({ practiceManager: page }) => {
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

    await page.goto("/practices/F84003/paper");
    await expect(page.getByRole("heading", { name: "Paper and carbon" })).toBeVisible();
    await page.locator(`#month-${month} a`).click();
    await page.getByLabel("Sheets of paper printed").fill(String(figures.sheets_printed));
    await page.getByLabel("Recycled paper share (%)").fill(String(figures.recycled_share_pct));
    await page.getByLabel("Letters posted to patients").fill(String(figures.letters_posted));
    await page.getByLabel("Text messages (SMS) sent").fill(String(figures.sms_sent));
    await page.getByLabel("NHS App messages sent").fill(String(figures.nhs_app_messages));
    await page.getByLabel("Emails sent to patients").fill(String(figures.emails_sent));
    await page.getByRole("button", { name: "Save the figures" }).click();
    await expect(page).toHaveURL(/\/practices\/F84003\/paper(#|$)/);
    await expect(page.getByText(/Saved the figures for/)).toBeVisible();
    const row = page.locator(`#month-${month}`);
    await expect(row).toContainText("12,345");
    await expect(row).toContainText("789");
    await expect(row).toContainText(shown);
    const main = page.locator("main");
    await expect(main).toContainText("Net zero trajectory");
    await expect(main).toContainText("Moving letters to digital messages");
  });

  test("an ICB lead sees practices ranked per 1,000 patients", async ({ icbLead: page }) => {
    await page.goto("/icbs/QMF/sustainability");
    await expect(page.getByRole("heading", { name: "Paper and carbon across the ICB" })).toBeVisible();
    const table = page.locator("#practice-ranking");
    await expect(table).toContainText("Missing");
    await expect(table).toContainText(/\b1\b/);
  });
});
