import ExcelJS from "exceljs";
import { expect, test } from "./fixtures";

test.describe("funding requests", () => {
  test("an ICB lead filters gaps for one PCN, bundles them into a request, approves it and downloads the pipeline XLSX", async ({
    icbLead: page,
    signedIn,
  }) => {
    // Gaps grouped by PCN: the first PCN's link filters the register to it.
    await page.goto("/gaps?group=pcn&funder=icb&status=open");
    const pcnLink = page.locator("table").first().locator("tbody th a").first();
    const pcnName = (await pcnLink.textContent())!.trim();
    await pcnLink.click();
    await expect(page).toHaveURL(/pcn=/);
    const boxes = page.locator('input[name="gap"]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Add selected gaps to a new funding request" }).click();
    await expect(page).toHaveURL(/\/funding-requests\/new\?/);
    await expect(page.getByRole("heading", { name: "New funding request" })).toBeVisible();
    await expect(
      page.locator("main table", { has: page.locator("caption", { hasText: "Gaps in this request" }) }).locator("tbody tr"),
    ).toHaveCount(2);

    await page.getByLabel("Title").fill(`Fix ${pcnName} gaps`);
    if ((await page.getByLabel("Amount requested, in pounds").inputValue()) === "") {
      await page.getByLabel("Amount requested, in pounds").fill("4,000");
      await page.getByLabel("Reason for the amount").fill("Supplier quote: some gaps have no estimate");
    }
    // The browser checks the form with the server's schema before posting: a missing justification stops it.
    await page.getByRole("button", { name: "Save and submit" }).click();
    await expect(page.getByText("Enter the justification: what the money buys and why now").first()).toBeVisible();
    await page.getByLabel("Justification").fill("Out-of-support kit and connectivity shortfalls in one PCN, fixed in one visit.");
    await page.getByRole("button", { name: "Save and submit" }).click();
    await expect(page).toHaveURL(/\/funding-requests\/\d+$/);
    await expect(page.getByText("Request submitted.")).toBeVisible();
    const id = /\/funding-requests\/(\d+)/.exec(page.url())![1];
    await expect(page.locator("main dl")).toContainText("Submitted");

    // Separation of duties: the lead who raised it is not offered "Approve"; someone else decides.
    await expect(page.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);
    const decider = await signedIn("admin@demo.gp-estate.test");
    await decider.goto(`/funding-requests/${id}`);
    const override = decider.getByLabel("Approve over the budget");
    if (await override.count()) {
      await override.check();
      await decider.getByLabel("Reason for going over the budget").fill("Board agreed");
    }
    await decider.getByRole("button", { name: "Approve", exact: true }).click();
    // Same address before and after: the session's one-time message says the step was taken.
    await expect(decider.getByText("Request approved.")).toBeVisible();
    await expect(decider.locator("main dl")).toContainText("Approved");
    await expect(decider.locator("main")).toContainText("Funding request #" + id);
    await decider.context().close();

    await page.goto("/funding-requests");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /XLSX/ }).click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Requests", "By year and status", "Gaps"]);
    const ids = (wb.getWorksheet("Requests")!.getColumn(1).values as unknown[]).slice(2);
    expect(ids).toContain(Number(id));
    const row = wb
      .getWorksheet("Requests")!
      .getRows(2, ids.length)!
      .find((r) => r.getCell(1).value === Number(id))!;
    expect(row.getCell(6).value).toBe("Approved");
  });
});
