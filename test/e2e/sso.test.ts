import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_IDP_PASSWORD_DEFAULT } from "../../scripts/dev-idp/identities";
import { baseUrl, launch } from "./browser";

// The production server with single sign-on configured against the local provider
// (test/e2e/global-setup.ts), which runs on another site (127.0.0.1) than the app (localhost).
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe("single sign-on", () => {
  it("an ICB lead signs in through the local OpenID Connect provider without a password, and signs out of both", async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${baseUrl()}/icbs/QMF`);
    await page.waitForURL(/\/sign-in\?redirectTo=/);
    await page.getByRole("link", { name: "Sign in with Local NHS identity" }).click();

    // The provider's own sign-in and consent pages.
    await page.waitForURL((u) => u.hostname === "127.0.0.1");
    await page.getByLabel("Email address or user name").fill("icb.lead@demo.gp-estate.test");
    await page.getByLabel("Password").fill(DEV_IDP_PASSWORD_DEFAULT);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();

    // Back on the app, signed in, on the page first asked for.
    await page.waitForURL((u) => u.hostname === "localhost" && u.pathname === "/icbs/QMF");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toMatch(/North East London/i);
    expect(await page.locator("header").textContent()).toContain("Sign out");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "You have signed out" }).waitFor();
    await page.getByRole("link", { name: "Sign out of Local NHS identity too" }).click();
    await page.waitForURL((u) => u.hostname === "127.0.0.1");
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((u) => u.hostname === "localhost" && u.pathname === "/sign-in");
    const after = await page.goto(`${baseUrl()}/icbs/QMF`);
    expect(new URL(after!.url()).pathname).toBe("/sign-in");
    expect(blocked).toEqual([]);
    await page.close();
  });

  it("someone nobody invited is told so, and is not signed in", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl()}/sign-in`);
    await page.getByRole("link", { name: "Sign in with Local NHS identity" }).click();
    await page.getByLabel("Email address or user name").fill("uninvited");
    await page.getByLabel("Password").fill(DEV_IDP_PASSWORD_DEFAULT);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { level: 1, name: "You do not have an account yet" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("not.invited@demo.gp-estate.test");
    const after = await page.goto(`${baseUrl()}/`);
    expect(new URL(after!.url()).pathname).toBe("/sign-in");
    await page.close();
  });
});
