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

/** The NHS.UK error pattern: focus on the error summary, and "Error: " in front of the page's title. */
async function expectErrorPattern(page: Page, title: string) {
  await expect.poll(() => page.title()).toBe(`Error: ${title}`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary"))).toBe(true);
}

describe("practice manager", () => {
  it("signs in, sees their own practice and is refused another", async () => {
    const page = await browser.newPage();
    await signIn(page, "pm.f84003@demo.gp-estate.test");
    // A single-practice user goes straight from the practice list to their practice.
    await page.getByRole("link", { name: "My practice" }).click();
    await page.waitForURL(/\/practices\/F84003$/);
    await page.getByRole("heading", { level: 1, name: "Lower Clapton General Practice" }).waitFor();
    const summary = await page.locator("main").textContent();
    expect(summary).toContain("E5 0RD");
    expect(summary).toContain("U05451");
    expect(summary).toMatch(/EMIS/);

    const other = await page.goto(`${baseUrl()}/practices/F82018`);
    expect(other?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    expect(await page.locator("main").textContent()).not.toContain("Barking");

    await page.goto(`${baseUrl()}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    const afterSignOut = await page.goto(`${baseUrl()}/practices/F84003`);
    expect(new URL(afterSignOut!.url()).pathname).toBe("/sign-in");
    await page.close();
  });

  it("a wrong password shows the error summary and keeps the email typed", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByLabel("Email address").fill("pm.f84003@demo.gp-estate.test");
    await page.getByLabel("Password").fill("definitely wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("There is a problem").waitFor();
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("The email address or password is not correct.");
    expect(await page.getByLabel("Email address").inputValue()).toBe("pm.f84003@demo.gp-estate.test");
    await expectErrorPattern(page, "Sign in – GP digital estate");
    await page.close();
  });
});

describe("ICB lead", () => {
  it("browses ICB → sub-ICB → PCN → practice and searches by postcode", async () => {
    const page = await browser.newPage();
    await signIn(page, "icb.lead@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/icbs/QMF`);
    await page
      .getByRole("link", { name: /A3A8R|North East London/i })
      .first()
      .click();
    await page.waitForURL(/\/sub-icbs\/A3A8R/);
    await page.getByRole("link", { name: "Hackney Marshes PCN" }).click();
    await page.waitForURL(/\/pcns\/U05451/);
    await page.getByRole("link", { name: "Lower Clapton General Practice" }).click();
    await page.waitForURL(/\/practices\/F84003/);

    await page.goto(`${baseUrl()}/practices`);
    await page.getByLabel("Search by practice name, ODS code or postcode").fill("E5 0RD");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=E5/);
    await page.locator("table", { hasText: "F84003" }).waitFor();
    await page.close();
  });
});

describe("admin", () => {
  it("adding a user with missing fields shows errors next to each field", async () => {
    const page = await browser.newPage();
    await signIn(page, "admin@demo.gp-estate.test");
    await page.goto(`${baseUrl()}/admin/users/new`);
    await page.getByLabel("Email address").fill("not-an-email");
    await page.getByLabel("Role").selectOption("practice_manager");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("There is a problem").waitFor();
    const errors = await page.locator(".nhsuk-error-message").allTextContents();
    expect(errors.join("|")).toContain("Enter the person's full name");
    expect(errors.join("|")).toContain("Enter the practice ODS code, like F84003");
    await expectErrorPattern(page, "Add a user – GP digital estate");
    await page.close();
  });
});
