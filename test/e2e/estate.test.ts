import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, launch, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// A device inventory as a delivery partner's tool might export it: `;` separators, UK dates, an
// OS string as inventory tools write it, and one row with a device type the register does not know.
const header = "Asset Tag;Serial Number;Device Type;Manufacturer;Model;Operating System;Purchase Date;Warranty Expiry;Status";
const good = [
  "E2E-0001;SN-E2E-1;Desktop;Dell;OptiPlex 7010;Microsoft Windows 11 Enterprise 10.0.26100;01/04/2024;31/03/2029;In use",
  "E2E-0002;SN-E2E-2;Laptop;HP;EliteBook 840 G8;Microsoft Windows 10 Pro 10.0.19045;15/06/2021;14/06/2024;In use",
];
const bad = "E2E-0003;SN-E2E-3;Toaster;Dualit;Classic;;01/01/2020;;In use";
const fixed = "E2E-0003;SN-E2E-3;Printer;HP;LaserJet Pro M404dn;;01/01/2020;;In use";
const csv = (rows: string[]) => Buffer.from([header, ...rows].join("\r\n") + "\r\n", "utf8");

async function upload(page: Page, rows: string[]) {
  await page.getByLabel("Upload a file").setInputFiles({ name: "inventory.csv", mimeType: "text/csv", buffer: csv(rows) });
  await page.getByRole("button", { name: "Upload and check" }).click();
  await page.getByRole("heading", { name: "Check your device import" }).waitFor();
}

describe("device import and telephony editing", () => {
  it("a delivery partner sees the bad row, fixes the file and imports every row", async () => {
    const page = await browser.newPage();
    await signIn(page, "delivery.partner@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/estate/import?practice=F84003`);
    await upload(page, [...good, bad]);
    // Wait for the table rather than read the page once: the Toaster is on line 4 of the file (the header is line 1).
    const rejected = page.locator("#rejected + p + table, table:has(caption:text('Problems in rejected rows'))").first();
    await expect.poll(async () => (await rejected.locator("td").allTextContents()).map((t) => t.trim())).toContain("4");
    await expect.poll(async () => (await rejected.textContent())?.toLowerCase()).toContain("type");

    await page.getByRole("button", { name: "Cancel and upload a different file" }).click();
    await page.getByLabel("Upload a file").waitFor();
    await upload(page, [...good, fixed]);
    const problems = await page.locator("main").textContent();
    expect(await page.locator("#rejected").count(), problems?.slice(problems.indexOf("What this file would change")) ?? "").toBe(0);
    await page.getByRole("button", { name: "Import 3 rows" }).click();
    await page.getByRole("heading", { name: "Devices imported" }).waitFor({ timeout: 60_000 });

    await page.goto(`${baseUrl()}/practices/F84003/devices?q=E2E`);
    await page.locator("table", { hasText: "E2E-0003" }).waitFor();
    const table = await page.locator("table").first().textContent();
    for (const tag of ["E2E-0001", "E2E-0002", "E2E-0003"]) expect(table).toContain(tag);
    await page.close();
  });

  it("a practice manager edits their telephony and sees the change in its history", async () => {
    const page = await browser.newPage();
    await signIn(page, "pm.f84003@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/practices/F84003/telephony`);
    await page.getByRole("link", { name: "Edit the current system" }).click();
    await page.getByLabel("Supplier").fill("E2E Telephony Ltd");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForURL(/\/practices\/F84003\/telephony$/);
    await page.getByText("Telephone system saved.").waitFor();
    await page.getByText("E2E Telephony Ltd").first().waitFor();
    const main = await page.locator("main").textContent();
    expect(main).toContain("E2E Telephony Ltd");
    expect(main).toMatch(/History/);
    expect(main).toContain("Demo Practice Manager (Lower Clapton)");
    await page.close();
  });
});
