import { DEV_IDP_PASSWORD_DEFAULT } from "../../scripts/dev-idp/identities";
import { expect, test } from "./fixtures";

// The production server with single sign-on configured against the local provider
// (test/e2e/global-setup.ts), which runs on another site (127.0.0.1) than the app (localhost).
test.describe("single sign-on", () => {
  test("an ICB lead signs in through the local OpenID Connect provider without a password, and signs out of both", async ({ page }) => {
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto("/icbs/QMF");
    await expect(page).toHaveURL(/\/sign-in\?redirectTo=/);
    await page.getByRole("link", { name: "Sign in with Local NHS identity" }).click();

    // The provider's own sign-in and consent pages.
    await page.waitForURL((u) => u.hostname === "127.0.0.1");
    await page.getByLabel("Email address or user name").fill("icb.lead@demo.gp-estate.test");
    await page.getByLabel("Password").fill(DEV_IDP_PASSWORD_DEFAULT);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();

    // Back on the app, signed in, on the page first asked for.
    await page.waitForURL((u) => u.hostname === "localhost" && u.pathname === "/icbs/QMF");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/North East London/i);
    await expect(page.locator("header")).toContainText("Sign out");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You have signed out" })).toBeVisible();
    await page.getByRole("link", { name: "Sign out of Local NHS identity too" }).click();
    await page.waitForURL((u) => u.hostname === "127.0.0.1");
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((u) => u.hostname === "localhost" && u.pathname === "/sign-in");
    const after = await page.goto("/icbs/QMF");
    expect(new URL(after!.url()).pathname).toBe("/sign-in");
    expect(blocked).toEqual([]);
  });

  test("someone nobody invited is told so, and is not signed in", async ({ page, axe }) => {
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Sign in with Local NHS identity" }).click();
    await page.getByLabel("Email address or user name").fill("uninvited");
    await page.getByLabel("Password").fill(DEV_IDP_PASSWORD_DEFAULT);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You do not have an account yet" })).toBeVisible();
    await expect(page.locator("main")).toContainText("not.invited@demo.gp-estate.test");
    // The refusal is shown at the callback's address after a chain of redirects through the
    // provider; check it as it stands, so a navigation event that raced its queued check cannot
    // leave it unchecked.
    await axe.checkNow(page);
    const after = await page.goto("/");
    expect(new URL(after!.url()).pathname).toBe("/sign-in");
  });
});
