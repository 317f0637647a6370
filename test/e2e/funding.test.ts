import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launch, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("funding requests", () => {
  it("an ICB lead filters gaps for one PCN, bundles them into a request, approves it and downloads the pipeline XLSX", async () => {
    const page = await browser.newPage();
    await signIn(page, "icb.lead@demo.gp-estate.test");
    // Gaps grouped by PCN: the first PCN's link filters the register to it.
    await page.goto(`${baseUrl()}/gaps?group=pcn&funder=icb&status=open`);
    const pcnLink = page.locator("table").first().locator("tbody th a").first();
    const pcnName = (await pcnLink.textContent())!.trim();
    await pcnLink.click();
    await page.waitForURL(/pcn=/);
    const boxes = page.locator('input[name="gap"]');
    await boxes.first().waitFor();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Add selected gaps to a new funding request" }).click();
    await page.waitForURL(/\/funding-requests\/new\?/);
    await page.getByRole("heading", { name: "New funding request" }).waitFor();
    expect(
      await page
        .locator("main table", { has: page.locator("caption", { hasText: "Gaps in this request" }) })
        .locator("tbody tr")
        .count(),
    ).toBe(2);

    await page.getByLabel("Title").fill(`Fix ${pcnName} gaps`);
    if ((await page.getByLabel("Amount requested, in pounds").inputValue()) === "") {
      await page.getByLabel("Amount requested, in pounds").fill("4,000");
      await page.getByLabel("Reason for the amount").fill("Supplier quote: some gaps have no estimate");
    }
    // The browser checks the form with the server's schema before posting: a missing justification stops it.
    await page.getByRole("button", { name: "Save and submit" }).click();
    await page.getByText("Enter the justification: what the money buys and why now").first().waitFor();
    await page.getByLabel("Justification").fill("Out-of-support kit and connectivity shortfalls in one PCN, fixed in one visit.");
    await page.getByRole("button", { name: "Save and submit" }).click();
    await page.waitForURL(/\/funding-requests\/\d+$/);
    await page.getByText("Request submitted.").waitFor();
    const id = /\/funding-requests\/(\d+)/.exec(page.url())![1];
    // The URL changes before React renders the new page: wait for the text rather than read it once.
    await expect.poll(() => page.locator("main dl").textContent()).toContain("Submitted");

    // Separation of duties: the lead who raised it is not offered "Approve"; someone else decides.
    expect(await page.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
    const decider = await browser.newPage();
    await signIn(decider, "admin@demo.gp-estate.test");
    await decider.goto(`${baseUrl()}/funding-requests/${id}`);
    const override = decider.getByLabel("Approve over the budget");
    if (await override.count()) {
      await override.check();
      await decider.getByLabel("Reason for going over the budget").fill("Board agreed");
    }
    await decider.getByRole("button", { name: "Approve", exact: true }).click();
    // Same address before and after: the session's one-time message says the step was taken.
    await decider.getByText("Request approved.").waitFor();
    await expect.poll(() => decider.locator("main dl").textContent()).toContain("Approved");
    expect(await decider.locator("main").textContent()).toContain("Funding request #" + id);
    await decider.close();

    await page.goto(`${baseUrl()}/funding-requests`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /XLSX/ }).click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Requests", "By year and status", "Gaps"]);
    const ids = (wb.getWorksheet("Requests")!.getColumn(1).values as unknown[]).slice(2);
    expect(ids).toContain(Number(id));
    const row = wb
      .getWorksheet("Requests")!
      .getRows(2, ids.length)!
      .find((r) => r.getCell(1).value === Number(id))!;
    expect(row.getCell(6).value).toBe("Approved");
    await page.close();
  });
});
