import type { Page } from "@playwright/test";
import type { AxeWatch } from "./a11y";
import { expect, test, USERS } from "./fixtures";

/**
 * The NHS.UK error pattern: focus on the error summary, and "Error: " in front of the page's title.
 * The page with its errors is checked with axe too: a form the browser checks itself shows them without a navigation.
 */
async function expectErrorPattern(page: Page, axe: AxeWatch, title: string) {
  await expect(page).toHaveTitle(`Error: ${title}`);
  await expect(page.locator(".nhsuk-error-summary")).toBeFocused();
  await axe.checkNow(page);
}

test.describe("practice manager", () => {
  test("signs in, sees their own practice and is refused another", async ({ practiceManager: page }) => {
    // A single-practice user goes straight from the practice list to their practice.
    await page.getByRole("link", { name: "My practice" }).click();
    await expect(page).toHaveURL(/\/practices\/F84003$/);
    await expect(page.getByRole("heading", { level: 1, name: "Lower Clapton General Practice" })).toBeVisible();
    const summary = page.locator("main");
    await expect(summary).toContainText("E5 0RD");
    await expect(summary).toContainText("U05451");
    await expect(summary).toContainText(/EMIS/);

    const other = await page.goto("/practices/F82018");
    expect(other?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.locator("main")).not.toContainText("Barking");

    await page.goto("/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    const afterSignOut = await page.goto("/practices/F84003");
    expect(new URL(afterSignOut!.url()).pathname).toBe("/sign-in");
  });

  test("a wrong password shows the error summary and keeps the email typed", async ({ page, axe }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email address").fill(USERS.practiceManager);
    await page.getByLabel("Password").fill("definitely wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("There is a problem")).toBeVisible();
    await expect(page.locator(".nhsuk-error-summary")).toContainText("The email address or password is not correct.");
    await expect(page.getByLabel("Email address")).toHaveValue(USERS.practiceManager);
    await expectErrorPattern(page, axe, "Sign in – GP digital estate");
  });
});

test.describe("ICB lead", () => {
  test("browses ICB → sub-ICB → PCN → practice and searches by postcode", async ({ icbLead: page }) => {
    await page.goto("/icbs/QMF");
    await page
      .getByRole("link", { name: /A3A8R|North East London/i })
      .first()
      .click();
    await expect(page).toHaveURL(/\/sub-icbs\/A3A8R/);
    await page.getByRole("link", { name: "Hackney Marshes PCN" }).click();
    await expect(page).toHaveURL(/\/pcns\/U05451/);
    await page.getByRole("link", { name: "Lower Clapton General Practice" }).click();
    await expect(page).toHaveURL(/\/practices\/F84003/);

    await page.goto("/practices");
    await page.getByLabel("Search by practice name, ODS code or postcode").fill("E5 0RD");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=E5/);
    await expect(page.locator("table", { hasText: "F84003" })).toBeVisible();
  });
});

test.describe("admin", () => {
  test("adding a user with missing fields shows errors next to each field", async ({ admin: page, axe }) => {
    await page.goto("/admin/users/new");
    await page.getByLabel("Email address").fill("not-an-email");
    await page.getByLabel("Role").selectOption("practice_manager");
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText("There is a problem")).toBeVisible();
    const errors = page.locator(".nhsuk-error-message");
    await expect(errors.filter({ hasText: "Enter the person's full name" }).first()).toBeVisible();
    await expect(errors.filter({ hasText: "Enter the practice ODS code, like F84003" }).first()).toBeVisible();
    await expectErrorPattern(page, axe, "Add a user – GP digital estate");
  });
});
