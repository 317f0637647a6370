import fs from "node:fs";
import path from "node:path";
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

// The Intune "All devices" export as it comes (test/fixtures), with the practice's own device
// category for its desktops, as Intune admins define categories: "Clinical PCs".
const FIXTURE = fs
  .readFileSync(path.join(__dirname, "../fixtures/intune-all-devices.csv"), "utf8")
  .replaceAll(",Desktops,", ",Clinical PCs,");
const DESKTOPS = FIXTURE.split("\n").filter((l) => l.includes(",Clinical PCs,")).length;

describe("the device import journey", () => {
  it("a delivery partner imports an Intune export as it comes: maps a value, sees the impact, imports", async () => {
    const page = await browser.newPage();
    await signIn(page, "delivery.partner@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/estate/import?practice=F84003`);
    await page.getByLabel("Upload a file").setInputFiles({
      name: "DevicesWithInventory_2026-12-01.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(FIXTURE, "utf8"),
    });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.getByRole("heading", { name: "Check your device import" }).waitFor();

    // One line for the value the register does not know, with its rows; map it to Desktop.
    const choice = page.getByLabel(`"Clinical PCs" in Category, ${DESKTOPS} rows`);
    await choice.selectOption("desktop");
    await page.getByRole("button", { name: "Save values and check again" }).click();
    await page.getByText("Mapped by your saved choice").waitFor();
    expect(await page.locator("#rejected").count()).toBe(0);

    // The impact preview: what the rules would make of the practice after the import.
    await page.getByRole("heading", { name: "If you import this file" }).waitFor();
    const impact = await page.locator("main").textContent();
    expect(impact).toContain("Open gaps");
    expect(impact).toContain("ex VAT");

    await page.getByRole("button", { name: /^Import \d+ rows/ }).click();
    await page.getByRole("heading", { name: "Devices imported" }).waitFor({ timeout: 60_000 });

    // The choice is saved for this user, listed and deletable.
    await page.goto(`${baseUrl()}/estate/import/mappings`);
    await page.getByRole("heading", { name: "Your saved import choices" }).waitFor();
    expect(await page.locator("table").textContent()).toContain("Clinical PCs");
    await page
      .getByRole("button", { name: /Delete/ })
      .first()
      .click();
    await page.getByText("Saved choice deleted.").waitFor();
    await page.close();
  });
});
