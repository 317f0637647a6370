import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

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
  await expect(page.getByRole("heading", { name: "Check your device import" })).toBeVisible();
}

test.describe("device import and telephony editing", () => {
  test("a delivery partner sees the bad row, fixes the file and imports every row", async ({ deliveryPartner: page }) => {
    await page.goto("/estate/import?practice=F84003");
    await upload(page, [...good, bad]);
    // The Toaster is on line 4 of the file (the header is line 1), and the problem names the type.
    const rejected = page.locator("#rejected + p + table, table:has(caption:text('Problems in rejected rows'))").first();
    await expect(rejected.locator("td").filter({ hasText: /^\s*4\s*$/ })).not.toHaveCount(0);
    await expect(rejected).toContainText(/type/i);

    await page.getByRole("button", { name: "Cancel and upload a different file" }).click();
    await expect(page.getByLabel("Upload a file")).toBeVisible();
    await upload(page, [...good, fixed]);
    // Nothing rejected (if something is, the message shows what the page says the file would change).
    const problems = (await page.locator("main").textContent()) ?? "";
    await expect(page.locator("#rejected"), problems.slice(problems.indexOf("What this file would change"))).toHaveCount(0);
    await page.getByRole("button", { name: "Import 3 rows" }).click();
    await expect(page.getByRole("heading", { name: "Devices imported" })).toBeVisible({ timeout: 60_000 });

    await page.goto("/practices/F84003/devices?q=E2E");
    const table = page.locator("table").first();
    for (const tag of ["E2E-0001", "E2E-0002", "E2E-0003"]) await expect(table).toContainText(tag);
  });

  test("a practice manager edits their telephony and sees the change in its history", async ({ practiceManager: page }) => {
    await page.goto("/practices/F84003/telephony");
    await page.getByRole("link", { name: "Edit the current system" }).click();
    await page.getByLabel("Supplier").fill("E2E Telephony Ltd");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(/\/practices\/F84003\/telephony$/);
    await expect(page.getByText("Telephone system saved.")).toBeVisible();
    const main = page.locator("main");
    await expect(main).toContainText("E2E Telephony Ltd");
    await expect(main).toContainText(/History/);
    await expect(main).toContainText("Demo Practice Manager (Lower Clapton)");
  });
});
