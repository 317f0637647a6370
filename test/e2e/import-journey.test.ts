import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";

// The Intune "All devices" export as it comes (test/fixtures), with the practice's own device
// category for its desktops, as Intune admins define categories: "Clinical PCs".
const FIXTURE = fs
  .readFileSync(path.join(import.meta.dirname, "../fixtures/intune-all-devices.csv"), "utf8")
  .replaceAll(",Desktops,", ",Clinical PCs,");
const DESKTOPS = FIXTURE.split("\n").filter((l) => l.includes(",Clinical PCs,")).length;

test.describe("the device import journey", () => {
  test("a delivery partner imports an Intune export as it comes: maps a value, sees the impact, imports", async ({
    deliveryPartner: page,
  }) => {
    await page.goto("/estate/import?practice=F84003");
    await page.getByLabel("Upload a file").setInputFiles({
      name: "DevicesWithInventory_2026-12-01.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FIXTURE, "utf8"),
    });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await expect(page.getByRole("heading", { name: "Check your device import" })).toBeVisible();

    // One line for the value the register does not know, with its rows; map it to Desktop.
    const choice = page.getByLabel(`"Clinical PCs" in Category, ${DESKTOPS} rows`);
    await choice.selectOption("desktop");
    await page.getByRole("button", { name: "Save values and check again" }).click();
    await expect(page.getByText("Mapped by your saved choice")).toBeVisible();
    await expect(page.locator("#rejected")).toHaveCount(0);

    // The impact preview: what the rules would make of the practice after the import.
    await expect(page.getByRole("heading", { name: "If you import this file" })).toBeVisible();
    const impact = page.locator("main");
    await expect(impact).toContainText("Open gaps");
    await expect(impact).toContainText("ex VAT");

    await page.getByRole("button", { name: /^Import \d+ rows/ }).click();
    await expect(page.getByRole("heading", { name: "Devices imported" })).toBeVisible({ timeout: 60_000 });

    // The choice is saved for this user, listed and deletable (deleting it also leaves the demo as it was).
    await page.goto("/estate/import/mappings");
    await expect(page.getByRole("heading", { name: "Your saved import choices" })).toBeVisible();
    await expect(page.locator("table")).toContainText("Clinical PCs");
    await page
      .getByRole("button", { name: /Delete/ })
      .first()
      .click();
    await expect(page.getByText("Saved choice deleted.")).toBeVisible();
  });
});
