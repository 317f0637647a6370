import ExcelJS from "exceljs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Lower Clapton General Practice (F84003) in Hackney Marshes PCN: the demo estate leaves its NHS
// App messaging switched off, so it has a CLN-08 gap that a delivery partner can close.
const PCN = "U05451";
const ODS = "F84003";

async function openGap(page: Page, id: string) {
  await page.goto(`/gaps/${id}`);
  return page.locator("main");
}

test.describe("from the dashboard to a funded gap that closes", () => {
  test("an ICB lead filters one PCN's gaps, bundles them into a request, approves it within budget and downloads the register; the gap closes when the delivery partner fixes the estate", async ({
    icbLead: lead,
    signedIn,
  }) => {
    test.setTimeout(300_000);

    // The dashboard: charts with their tables, headline cost.
    // The dashboard is computed on first view (then cached per ICB change stamp): slow on a busy machine.
    await lead.goto("/icbs/QMF/dashboard", { timeout: 120_000 });
    await expect.poll(() => lead.locator("svg[role='img']").count()).toBeGreaterThan(2);
    await expect(lead.locator("main")).toContainText(/£[\d,]+/);

    // The register for one PCN and one domain.
    await lead.goto("/gaps");
    await lead.getByLabel("PCN", { exact: true }).selectOption(PCN);
    await lead.getByLabel("Domain").selectOption("clinical_systems");
    await lead.getByRole("button", { name: "Apply" }).click();
    await lead.waitForURL((u) => u.searchParams.get("pcn") === PCN);
    const rows = lead.locator("table tbody tr", { hasText: "CLN-08" }).filter({ hasText: ODS });
    await expect(rows.first()).toBeVisible();
    const box = lead.getByLabel(`Select CLN-08 at ${ODS}`);
    const gapId = await box.getAttribute("value");
    expect(gapId).toMatch(/^\d+$/);
    await box.check();
    const other = lead.locator("input[name='gap']:not(:checked)").first();
    if (await other.count()) await other.check();
    await lead.getByRole("button", { name: "Add selected gaps to a new funding request" }).click();

    // The request: estimate as the default amount, then submitted and approved.
    await expect(lead.getByRole("heading", { name: "New funding request" })).toBeVisible();
    await lead.getByLabel("Title").fill("Hackney Marshes: NHS App messaging and digital services");
    await lead
      .getByLabel("Justification")
      .fill("Practices in Hackney Marshes PCN cannot message patients through the NHS App; set-up closes the CLN gaps this year.");
    await lead.getByRole("button", { name: "Save and submit" }).click();
    await lead.waitForURL(/\/funding-requests\/\d+(\?.*)?$/);
    const requestUrl = lead.url().split("?")[0];
    // Separation of duties: the lead raised it, so another decider (the admin) approves it.
    const decider = await signedIn("admin@demo.gp-estate.test");
    await decider.goto(requestUrl);
    await decider.getByRole("button", { name: "Approve" }).click();
    // Wait for the re-rendered page, not just the network: React commits after the URL changes.
    await expect(decider.locator("main dl")).toContainText(/Approved/);
    await expect(decider.locator("main")).not.toContainText(/Approve over the budget/);
    await decider.context().close();
    // One vocabulary: the gap in an approved request says "Approved", as its request does.
    await expect(await openGap(lead, gapId!)).toContainText(/Approved/);

    // The register downloads as Excel, filtered to the PCN.
    await lead.goto(`/gaps?pcn=${PCN}`);
    const [download] = await Promise.all([lead.waitForEvent("download"), lead.getByRole("link", { name: "Download (Excel)" }).click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.getWorksheet("Gaps")!;
    expect(sheet.rowCount).toBeGreaterThan(2);
    const texts: string[] = [];
    sheet.eachRow((row) => texts.push(JSON.stringify(row.values)));
    expect(texts.join("\n")).toContain(ODS);
    expect(texts.join("\n")).not.toContain("F82018"); // Barking: another PCN

    // The delivery partner switches NHS App messaging on; the gap closes in the same change.
    const partner = await signedIn("delivery.partner@demo.gp-estate.test");
    await partner.goto(`/practices/${ODS}/services/edit`);
    await partner.getByRole("group", { name: "NHS App: messaging" }).getByLabel("In use", { exact: true }).check();
    await partner.getByRole("button", { name: "Save all services" }).click();
    await partner.waitForURL((u) => u.pathname === `/practices/${ODS}/services`);
    const closed = await openGap(lead, gapId!);
    await expect(closed).toContainText(/Closed/);
    await expect(closed).toContainText(/Re-evaluation found the requirement met/);

    // The request still shows the gap, now closed; the board paper is one click away.
    await lead.goto(requestUrl);
    await expect(lead.locator("main")).toContainText(/Closed/);
    await lead.goto("/icbs/QMF/report");
    await expect(lead.getByRole("button", { name: "Print or save as PDF" }).first()).toBeVisible();
  });
});
